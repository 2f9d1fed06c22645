"""Interests routed to the district office itself (no contact point serves the place) get a list
in the district area with the workspace list's tools; a contact point's list stays with the
contact point (the district office sees counts, not people)."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import Interest, InterestTally
from groups.services import demand as demand_services
from groups.services import interests as interests_services
from selvhjelp.models import AuditEntry, DistrictOffice, Municipality, OutgoingEmail
from tests import factories
from tests.factories import logged_in_client
from tests.permissions_workspace import make_interest

pytestmark = pytest.mark.django_db

LIST_URL = "/distriktskontor/innlandet/interesser/"


@pytest.fixture
def office() -> DistrictOffice:
    return DistrictOffice.objects.get(slug="innlandet")


@pytest.fixture
def staff(district_user):
    return logged_in_client(district_user)


def _register(topic, name="Kanari Lesja", email="kanari.lesja@example.test") -> Interest:
    """Lesja has no contact point in these tests, so the interest goes to the office."""
    return interests_services.interest_register(
        topic=topic,
        municipality=Municipality.objects.get(name="Lesja"),
        name=name,
        email=email,
        consent_text_version=CURRENT_CONSENT_VERSION,
    )


def _url(action: str, interest: Interest) -> str:
    return reverse(
        f"district:interest-{action}",
        kwargs={"slug": "innlandet", "public_id": interest.public_id},
    )


def test_an_interest_no_contact_point_serves_is_on_the_offices_list(
    staff, office, contact_point, sorg
):
    interest = _register(sorg)
    make_interest(contact_point, topic=sorg, name="Hos Kontaktpunktet")
    assert interest.district_office == office and interest.contact_point is None

    html = staff.get(LIST_URL).content.decode()

    assert "Kanari Lesja" in html and _url("detail", interest) in html
    assert "Hos Kontaktpunktet" not in html  # a contact point's people stay there
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LIST)
    assert entry.contact_point_id is None and entry.detail == f"office={office.pk} page=1"


def test_the_staff_email_links_to_the_offices_list_not_the_admin(
    district_user, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interest = _register(sorg)
    notice = OutgoingEmail.objects.get(kind="interest-notification")
    assert notice.to == district_user.email
    assert _url("detail", interest) in notice.body_text
    assert "/admin/" not in notice.body_text
    assert "Kanari" not in notice.body_text


def test_the_list_filters_by_topic_and_status(staff, sorg, angst):
    _register(sorg, name="Sorg Person", email="a@example.test")
    contacted = _register(angst, name="Angst Person", email="b@example.test")
    Interest.objects.filter(pk=contacted.pk).update(status=Interest.Status.CONTACTED)

    html = staff.get(LIST_URL, {"tema": angst.pk}).content.decode()
    assert "Angst Person" in html and "Sorg Person" not in html
    html = staff.get(LIST_URL, {"status": "ny"}).content.decode()
    assert "Sorg Person" in html and "Angst Person" not in html


def test_staff_open_change_status_and_add_a_note(staff, district_user, sorg):
    interest = _register(sorg)
    html = staff.get(_url("detail", interest)).content.decode()
    assert "kanari.lesja@example.test" in html
    assert 'href="/distriktskontor/innlandet/interesser/"' in html  # the area's navigation
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == 1

    response = staff.post(_url("update", interest), {"status": "kontaktet", "version": 1})
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == Interest.Status.CONTACTED and interest.contacted_at

    stale = staff.post(_url("update", interest), {"status": "trukket", "version": 1})
    assert stale.status_code == 409
    assert "Noen andre har endret" in stale.content.decode()

    assert staff.post(_url("note-add", interest), {"text": "Ringt"}).status_code == 302
    assert interest.notes.get().author == district_user
    empty = staff.post(_url("note-add", interest), {"text": "  "})
    assert empty.status_code == 400 and interest.notes.count() == 1


def test_staff_export_a_person_as_json(staff, office, sorg):
    interest = _register(sorg)
    response = staff.post(_url("export", interest))
    assert response["Content-Disposition"].endswith(f'-{interest.public_id}.json"')
    data = json.loads(response.content)
    assert data["contact_point"] == office.name
    assert [row["name"] for row in data["interests"]] == ["Kanari Lesja"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_staff_erase_a_person_and_only_counts_remain(
    staff, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interest = _register(sorg)
    assert OutgoingEmail.objects.filter(to="kanari.lesja@example.test").exists()

    assert staff.get(_url("erase", interest)).status_code == 200
    assert Interest.objects.exists()  # GET asks first
    response = staff.post(_url("erase", interest))

    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert not Interest.objects.exists()
    assert not OutgoingEmail.objects.filter(to="kanari.lesja@example.test").exists()
    assert InterestTally.objects.get().reason == InterestTally.Reason.ERASED
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 1


def test_district_staff_see_counts_of_a_contact_points_list_not_the_people(
    staff, contact_point, sorg
):
    interest = make_interest(contact_point, topic=sorg, name="Kanari Dovre")
    slug = contact_point.slug
    home = staff.get(reverse("workspace:home", args=[slug])).content.decode()
    assert "Kanari Dovre" not in home
    assert reverse("workspace:interest-list", args=[slug]) not in home
    assert "Hvem de er, ser bare kontaktpunktet." in home
    for url in (
        reverse("workspace:interest-list", args=[slug]),
        reverse("workspace:interest-detail", args=[slug, interest.public_id]),
        reverse("workspace:person-search", args=[slug]),
    ):
        assert staff.get(url).status_code == 404
    assert (
        staff.post(
            reverse("workspace:interest-export", args=[slug, interest.public_id])
        ).status_code
        == 404
    )
    assert (
        staff.post(reverse("workspace:interest-erase", args=[slug, interest.public_id])).status_code
        == 404
    )
    assert Interest.objects.filter(pk=interest.pk).exists()
    dashboard = staff.get("/distriktskontor/innlandet/").content.decode()
    assert (
        '<th scope="row">Dombås frivilligsentral</th><td>Sorg</td><td>Dovre</td><td>1</td>'
        in dashboard
    )


def test_national_admins_keep_full_access_to_a_contact_points_people(national_admin, contact_point):
    interest = make_interest(contact_point, name="Kanari Dovre")
    client = logged_in_client(national_admin)
    url = reverse("workspace:interest-detail", args=[contact_point.slug, interest.public_id])
    assert "Kanari Dovre" in client.get(url).content.decode()


def test_the_demand_email_sends_district_staff_to_the_overview(
    district_user, cp_user, contact_point, sorg, settings
):
    settings.DEMAND_THRESHOLD = 1
    make_interest(contact_point, topic=sorg)
    demand_services.demand_check(contact_point=contact_point)
    by_address = {e.to: e.body_text for e in OutgoingEmail.objects.filter(kind="workspace-demand")}
    overview = reverse("workspace:home", args=[contact_point.slug])
    assert (
        reverse("workspace:interest-list", args=[contact_point.slug]) in by_address[cp_user.email]
    )
    assert overview in by_address[district_user.email]
    assert "/interesser/" not in by_address[district_user.email]


def _bulk(office: DistrictOffice, topic, count: int) -> None:
    municipality = Municipality.objects.get(name="Lesja")
    Interest.objects.bulk_create(
        Interest(
            district_office=office,
            topic=topic,
            municipality=municipality,
            name=f"Person {n}",
            email=f"p{n}@example.test",
            consent_text_version=CURRENT_CONSENT_VERSION,
            consent_given_at=timezone.now(),
            consent_channel=Interest.Channel.WEB,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [5, 300])
def test_the_list_keeps_its_query_budget(staff, office, sorg, count, django_assert_max_num_queries):
    _bulk(office, sorg, count)
    with django_assert_max_num_queries(14):
        response = staff.get(LIST_URL)
    assert len(response.context["page"].object_list) == min(count, 25)


def test_the_list_query_count_does_not_grow_with_the_rows(staff, office, sorg):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            staff.get(LIST_URL)
        return len(captured)

    _bulk(office, sorg, 5)
    small = queries()
    _bulk(office, sorg, 200)
    assert queries() == small
    assert not mail.outbox


def test_other_offices_get_404(client, sorg):
    interest = _register(sorg)
    oslo_staff = factories.make_user("oslo@example.test")
    factories.add_district_office_member(oslo_staff, DistrictOffice.objects.get(slug="oslo"))
    client.force_login(oslo_staff)
    assert client.get(LIST_URL).status_code == 404
    assert client.get(_url("detail", interest)).status_code == 404
    assert client.post(_url("erase", interest)).status_code == 404
    assert Interest.objects.filter(pk=interest.pk).exists()


def test_an_empty_list_says_what_comes_here_and_where_to_go(staff, office):
    html = staff.get(LIST_URL).content.decode()

    assert "Ingen har meldt interesse hit ennå." in html
    assert 'href="/distriktskontor/innlandet/kontaktpunkter/"' in html


def test_a_filter_that_finds_nobody_offers_the_whole_list(staff, office, sorg):
    _register(sorg)

    html = staff.get(LIST_URL, {"alder": "over-180"}).content.decode()  # registered just now

    assert "Ingen interessemeldinger passer med filteret." in html
    assert f'href="{LIST_URL}">Vis alle</a>' in html
