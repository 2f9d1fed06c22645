"""The district office dashboard: counts for its counties, each linking to the list behind it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contactpoints.models import ContactPoint, ContactPointApplication
from groups.models import Group, Interest
from groups.services import approval as approval_services
from selvhjelp.models import PostalCode
from tests import factories
from tests.factories import logged_in_client
from tests.groups.lifecycle_data import approved, ready_draft, submitted

pytestmark = pytest.mark.django_db

DASHBOARD = "/distriktskontor/innlandet/"


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


def test_the_dashboard_counts_its_counties_only_and_links_each_number(
    district_user, contact_point, other_contact_point
):
    _fill(contact_point, other_contact_point, 2)
    html = logged_in_client(district_user).get(DASHBOARD).content.decode()
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
    html = logged_in_client(district_user).get(DASHBOARD).content.decode()
    assert (
        '<th scope="row">Dombås frivilligsentral</th><td>Sorg</td><td>Dovre</td><td>3</td>' in html
    )
    assert "Kanari" not in html and "kanari@example.test" not in html
    assert "Oslo</td>" not in html


def test_the_group_list_filters_by_status(district_user, contact_point):
    approved(contact_point, name="Går nå")
    approved(contact_point, name="Har pause", status=Group.Status.PAUSED)
    url = reverse("district:group-list", kwargs={"slug": "innlandet"})
    html = logged_in_client(district_user).get(url + "?status=pause").content.decode()
    assert "Har pause" in html and "Går nå" not in html
    html = logged_in_client(district_user).get(url + "?status=tull").content.decode()
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
    html = logged_in_client(district_user).get(url).content.decode()
    assert "Skjult gruppe" in html and "Spurt gruppe" in html
    assert "Fersk gruppe" not in html and "Avsluttet gruppe" not in html


def test_the_queue_shows_when_each_group_was_submitted(district_user, cp_user, contact_point):
    approval_services.group_submit(
        group=ready_draft(contact_point, name="Sendt inn i dag"), actor=cp_user
    )
    submitted(contact_point, name="Uten hendelse")
    url = reverse("district:queue", kwargs={"slug": "innlandet"})
    html = logged_in_client(district_user).get(url).content.decode()
    today = timezone.localdate()
    assert f"<td>{today.day}.{today.month}.{today.year}</td>" in html
    assert "<td>–</td>" in html


def test_the_contact_point_list_shows_the_offices_contact_points(
    district_user, contact_point, other_contact_point
):
    url = reverse("district:contactpoint-list", kwargs={"slug": "innlandet"})
    html = logged_in_client(district_user).get(url).content.decode()
    assert "Dombås frivilligsentral" in html and "LINK Oslo" not in html


@pytest.mark.parametrize("size", [2, 15])
@pytest.mark.parametrize(
    "name", ["dashboard", "queue", "needs-attention", "group-list", "contactpoint-list"]
)
def test_the_lists_have_a_query_budget(
    district_user, contact_point, other_contact_point, size, name, django_assert_max_num_queries
):
    _fill(contact_point, other_contact_point, size)
    client = logged_in_client(district_user)
    url = reverse(f"district:{name}", kwargs={"slug": "innlandet"})
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_other_offices_and_outsiders_get_404_and_anonymous_must_log_in(
    district_user, cp_user, outsider, national_admin
):
    assert logged_in_client(district_user).get("/distriktskontor/oslo/").status_code == 404
    assert logged_in_client(cp_user).get(DASHBOARD).status_code == 404
    assert logged_in_client(outsider).get(DASHBOARD).status_code == 404
    assert logged_in_client(national_admin).get("/distriktskontor/oslo/").status_code == 200
    response = Client().get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_the_staff_home_links_to_the_dashboard(district_user):
    html = logged_in_client(district_user).get(reverse("staff-home")).content.decode()
    assert f'href="{DASHBOARD}"' in html


# Pagination ----------------------------------------------------------------------------------


def _application(n: int) -> ContactPointApplication:
    return ContactPointApplication.objects.create(
        organisation=f"Søker {n}",
        host_kind=ContactPoint.HostKind.VOLUNTEER_CENTRE,
        street_address="Storgata 1",
        postal_code=PostalCode.objects.get(code="2660"),
        contact_name="Kanari Testesen",
        contact_email="kanari@example.test",
    )


def _contact_point(contact_point, n: int) -> None:
    # The office's own `contact_point` is the first row of this list.
    if n:
        factories.make_contact_point(f"Rad {n}")


# How to add the n-th row of each list.
ROW_MAKERS = {
    "queue": lambda cp, n: submitted(cp, name=f"Rad {n}"),
    "needs-attention": lambda cp, n: approved(cp, name=f"Rad {n}", stale_since=timezone.now()),
    "group-list": lambda cp, n: approved(cp, name=f"Rad {n}"),
    "contactpoint-list": _contact_point,
    "application-list": lambda cp, n: _application(n),
}


def _add_rows(name: str, contact_point, start: int, stop: int) -> None:
    for n in range(start, stop):
        ROW_MAKERS[name](contact_point, n)


def _rows(html: str) -> int:
    return html.count('scope="row"')


@pytest.mark.parametrize("name", ROW_MAKERS)
def test_each_list_shows_25_rows_a_page(district_user, contact_point, name):
    _add_rows(name, contact_point, 0, 30)
    client = logged_in_client(district_user)
    url = reverse(f"district:{name}", kwargs={"slug": "innlandet"})
    first = client.get(url).content.decode()
    second = client.get(url + "?side=2").content.decode()
    assert _rows(first) == 25 and "Side 1 av 2" in first and 'href="?side=2"' in first
    assert _rows(second) == 5 and "Side 2 av 2" in second and 'href="?side=1"' in second


@pytest.mark.parametrize("name", ROW_MAKERS)
def test_a_page_number_out_of_range_or_not_a_number_shows_the_nearest_page(
    district_user, contact_point, name
):
    _add_rows(name, contact_point, 0, 30)
    client = logged_in_client(district_user)
    url = reverse(f"district:{name}", kwargs={"slug": "innlandet"})
    for side, rows in (("tull", 25), ("", 25), ("-1", 5), ("99", 5), ("2.5", 25)):
        response = client.get(url, {"side": side})
        assert response.status_code == 200, side
        assert _rows(response.content.decode()) == rows, side


def test_the_page_links_keep_the_filters(district_user, contact_point):
    for n in range(30):
        approved(contact_point, name=f"Pause {n}", status=Group.Status.PAUSED)
    approved(contact_point, name="Går nå")
    url = reverse("district:group-list", kwargs={"slug": "innlandet"})
    client = logged_in_client(district_user)
    first = client.get(url, {"status": "pause"}).content.decode()
    assert 'href="?status=pause&amp;side=2"' in first
    second = client.get(url, {"status": "pause", "side": "2"}).content.decode()
    assert _rows(second) == 5 and "Går nå" not in second
    assert 'href="?status=pause&amp;side=1"' in second


@pytest.mark.parametrize("name", ROW_MAKERS)
def test_each_list_takes_as_many_queries_for_60_rows_as_for_3(district_user, contact_point, name):
    client = logged_in_client(district_user)
    url = reverse(f"district:{name}", kwargs={"slug": "innlandet"})
    _add_rows(name, contact_point, 0, 3)
    client.get(url)  # the first request fills caches the others use
    with CaptureQueriesContext(connection) as few:
        assert _rows(client.get(url).content.decode()) == 3
    _add_rows(name, contact_point, 3, 60)
    with CaptureQueriesContext(connection) as many:
        assert _rows(client.get(url).content.decode()) == 25
    assert len(many) == len(few) <= 14
