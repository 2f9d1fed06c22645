"""The district office dashboard: counts for its counties, each linking to the list behind it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Interest
from tests import factories
from tests.groups.lifecycle_data import approved, submitted

pytestmark = pytest.mark.django_db

DASHBOARD = "/distriktskontor/innlandet/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _interest(contact_point, topic, name="Kanari Testesen") -> Interest:
    return Interest.objects.create(
        contact_point=contact_point,
        topic=topic,
        municipality=contact_point.municipality,
        name=name,
        email="kanari@example.test",
        consent_text_version="2026-01",
        consent_given_at=timezone.now(),
        consent_channel=Interest.Channel.WEB,
    )


def _fill(contact_point, other_contact_point, size: int) -> None:
    topic = factories.make_topic("Sorg")
    for n in range(size):
        submitted(contact_point, name=f"Venter {n}")
        approved(contact_point, name=f"Godkjent {n}", stale_since=timezone.now())
        approved(contact_point, name=f"Spurt {n}", confirmation_requested_at=timezone.now())
        _interest(contact_point, topic)
    submitted(other_contact_point, name="Venter i Oslo")
    _interest(other_contact_point, topic)


def test_the_url_is_the_offices_slug():
    assert reverse("district:dashboard", kwargs={"slug": "innlandet"}) == DASHBOARD


def test_the_dashboard_counts_its_counties_only_and_links_each_number(
    district_user, contact_point, other_contact_point
):
    _fill(contact_point, other_contact_point, 2)
    html = _client(district_user).get(DASHBOARD).content.decode()
    assert html.count("<h1") == 1 and 'scope="col"' in html and 'scope="row"' in html
    assert "2 grupper venter på godkjenning" in html
    assert "2 grupper er skjult fordi de ikke er bekreftet" in html
    assert "2 grupper venter på bekreftelse fra kontaktpunktet" in html
    assert "1 kontaktpunkt i området" in html
    assert reverse("district:queue", kwargs={"slug": "innlandet"}) in html
    assert reverse("district:needs-attention", kwargs={"slug": "innlandet"}) in html
    assert reverse("district:contactpoint-list", kwargs={"slug": "innlandet"}) in html
    assert reverse("district:application-list", kwargs={"slug": "innlandet"}) in html
    assert "/distriktskontor/innlandet/grupper/?status=i-gang" in html
    assert "/distriktskontor/innlandet/grupper/?godkjenning=sendt-inn" in html


def test_interest_is_shown_as_counts_without_personal_data(
    district_user, contact_point, other_contact_point
):
    _fill(contact_point, other_contact_point, 3)
    html = _client(district_user).get(DASHBOARD).content.decode()
    assert '<th scope="row">Sorg</th><td>Dovre</td><td>3</td>' in html
    assert "Kanari" not in html and "kanari@example.test" not in html
    assert "Oslo</td>" not in html


def test_the_group_list_filters_by_status(district_user, contact_point):
    approved(contact_point, name="Går nå")
    approved(contact_point, name="Har pause", status=Group.Status.PAUSED)
    url = reverse("district:group-list", kwargs={"slug": "innlandet"})
    html = _client(district_user).get(url + "?status=pause").content.decode()
    assert "Har pause" in html and "Går nå" not in html
    html = _client(district_user).get(url + "?status=tull").content.decode()
    assert "Har pause" in html and "Går nå" in html


def test_the_needs_attention_list_shows_stale_and_waiting_groups(district_user, contact_point):
    approved(contact_point, name="Skjult gruppe", stale_since=timezone.now())
    approved(contact_point, name="Spurt gruppe", confirmation_requested_at=timezone.now())
    approved(contact_point, name="Fersk gruppe")
    approved(
        contact_point,
        name="Avsluttet gruppe",
        status=Group.Status.ENDED,
        stale_since=timezone.now(),
    )
    url = reverse("district:needs-attention", kwargs={"slug": "innlandet"})
    html = _client(district_user).get(url).content.decode()
    assert "Skjult gruppe" in html and "Spurt gruppe" in html
    assert "Fersk gruppe" not in html and "Avsluttet gruppe" not in html


def test_the_contact_point_list_shows_the_offices_contact_points(
    district_user, contact_point, other_contact_point
):
    url = reverse("district:contactpoint-list", kwargs={"slug": "innlandet"})
    html = _client(district_user).get(url).content.decode()
    assert "Dombås frivilligsentral" in html and "LINK Oslo" not in html


@pytest.mark.parametrize("size", [2, 15])
@pytest.mark.parametrize(
    "name", ["dashboard", "queue", "needs-attention", "group-list", "contactpoint-list"]
)
def test_the_lists_have_a_query_budget(
    district_user, contact_point, other_contact_point, size, name, django_assert_max_num_queries
):
    _fill(contact_point, other_contact_point, size)
    client = _client(district_user)
    url = reverse(f"district:{name}", kwargs={"slug": "innlandet"})
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_other_offices_and_outsiders_get_404_and_anonymous_must_log_in(
    district_user, cp_user, outsider, national_admin
):
    assert _client(district_user).get("/distriktskontor/oslo/").status_code == 404
    assert _client(cp_user).get(DASHBOARD).status_code == 404
    assert _client(outsider).get(DASHBOARD).status_code == 404
    assert _client(national_admin).get("/distriktskontor/oslo/").status_code == 200
    response = Client().get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_the_staff_home_links_to_the_dashboard(district_user):
    html = _client(district_user).get(reverse("staff-home")).content.decode()
    assert f'href="{DASHBOARD}"' in html
