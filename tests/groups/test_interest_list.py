"""A contact point's interest list in the workspace: access, the list and its filters and query
budget, a person's page with notes and status (optimistic locking), adding an interest by hand."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import Interest
from groups.services import interests as interests_services
from selvhjelp.models import AuditEntry
from tests.groups.workspace_helpers import (
    PERSON,
    bulk_interests,
    detail_url,
    no_personal_data_in_audit,
    url,
)
from tests.permissions_workspace import make_interest

# Access --------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, contact_point):
    response = client.get(url("home", contact_point))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_outsiders_get_404(client, outsider, contact_point):
    client.force_login(outsider)
    assert client.get(url("home", contact_point)).status_code == 404


def test_staff_of_another_contact_point_cannot_open_its_interest(
    client, cp_user, other_contact_point, sorg
):
    interest = make_interest(other_contact_point, topic=sorg)
    client.force_login(cp_user)
    assert client.get(detail_url(interest)).status_code == 404
    # Nor through their own workspace address.
    own = reverse(
        "workspace:interest-detail",
        kwargs={"slug": "dombas-frivilligsentral", "public_id": interest.public_id},
    )
    assert client.get(own).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_district_office_enters_contact_points_in_its_counties_only(
    client, district_user, contact_point, other_contact_point
):
    client.force_login(district_user)
    assert client.get(url("home", contact_point)).status_code == 200
    assert client.get(url("home", other_contact_point)).status_code == 404


def test_a_national_admin_enters_every_workspace(client, national_admin, other_contact_point):
    client.force_login(national_admin)
    assert client.get(url("home", other_contact_point)).status_code == 200


def test_the_staff_home_links_to_the_workspace(staff, contact_point):
    html = staff.get(reverse("staff-home")).content.decode()
    assert url("home", contact_point) in html


# Home and list -------------------------------------------------------------------------------


def test_home_shows_counts_and_demand_per_topic_and_municipality(staff, contact_point, sorg):
    make_interest(contact_point, topic=sorg)
    make_interest(contact_point, topic=sorg, status=Interest.Status.CONTACTED)
    make_interest(contact_point, topic=sorg, status=Interest.Status.WITHDRAWN)
    response = staff.get(url("home", contact_point))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert re.search(r"<th scope=\"row\">Sorg</th><td>Dovre</td><td><a [^>]+>2</a>", html)
    assert "Trukket: <strong>1</strong>" in html


def test_the_list_shows_interests_and_writes_one_audit_entry(staff, cp_user, contact_point, sorg):
    make_interest(contact_point, topic=sorg)
    response = staff.get(url("interest-list", contact_point))
    assert response.status_code == 200
    assert "Kanari Testesen" in response.content.decode()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.contact_point_id) == (
        "list",
        cp_user,
        contact_point.pk,
    )
    no_personal_data_in_audit()


def test_the_list_filters_by_topic_municipality_status_and_age(
    staff, contact_point, sorg, angst, lesja
):
    contact_point.municipalities_served.add(lesja)
    with freeze_time(timezone.now() - timedelta(days=100)):
        make_interest(contact_point, topic=sorg, name="Gammel Sorg")
    make_interest(contact_point, topic=sorg, name="Ny Sorg")
    make_interest(contact_point, topic=angst, name="Ny Angst", municipality=lesja)
    make_interest(contact_point, topic=sorg, name="Plassert Sorg", status=Interest.Status.PLACED)

    def names(**query) -> set[str]:
        page = staff.get(url("interest-list", contact_point), query).context["page"]
        return {interest.name for interest in page.object_list}

    assert names(tema=angst.pk) == {"Ny Angst"}
    assert names(kommune=lesja.pk) == {"Ny Angst"}
    assert names(status="plassert") == {"Plassert Sorg"}
    assert names(status="aktiv", tema=sorg.pk) == {"Gammel Sorg", "Ny Sorg"}
    assert names(alder="over-90") == {"Gammel Sorg"}
    assert names(alder="30") == {"Ny Sorg", "Ny Angst", "Plassert Sorg"}


def test_a_bad_filter_value_is_explained_and_nothing_breaks(staff, contact_point):
    response = staff.get(url("interest-list", contact_point), {"status": "tull"})
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_list_and_home_keep_their_query_budget(
    staff, contact_point, sorg, count, django_assert_max_num_queries
):
    bulk_interests(contact_point, sorg, count)
    with django_assert_max_num_queries(16):
        response = staff.get(url("interest-list", contact_point))
    assert len(response.context["page"].object_list) == min(count, 50)
    with django_assert_max_num_queries(16):
        staff.get(url("home", contact_point))
    with django_assert_max_num_queries(20):
        staff.get(url("group-create", contact_point))


def test_the_list_query_count_does_not_grow_with_the_rows(staff, contact_point, sorg):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            staff.get(url("interest-list", contact_point))
        return len(captured)

    bulk_interests(contact_point, sorg, 10)
    small = queries()
    bulk_interests(contact_point, sorg, 990)
    assert queries() == small


# Detail, notes, status -----------------------------------------------------------------------


def test_the_detail_page_shows_the_person_and_logs_every_view(staff, cp_user, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg, phone="+47 912 34 567")
    for _ in range(2):
        html = staff.get(detail_url(interest)).content.decode()
    assert "kanari@example.test" in html and "+47 912 34 567" in html
    assert html.count("<h1") == 1
    views = AuditEntry.objects.filter(action="view", object_type="interest")
    assert views.count() == 2
    assert {(e.actor_id, e.object_id, e.contact_point_id) for e in views} == {
        (cp_user.pk, str(interest.pk), contact_point.pk)
    }
    no_personal_data_in_audit()


def test_staff_add_a_short_note(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("interest-note-add", contact_point, public_id=interest.public_id),
        {"text": "Ringt, ringer tilbake fredag"},
    )
    assert response.status_code == 302
    assert interest.notes.get().text == "Ringt, ringer tilbake fredag"
    assert "Ringt, ringer tilbake fredag" in staff.get(detail_url(interest)).content.decode()
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_an_empty_note_is_refused_with_a_message(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("interest-note-add", contact_point, public_id=interest.public_id), {"text": ""}
    )
    assert response.status_code == 400
    assert "Skriv et kort notat." in response.content.decode()
    assert not interest.notes.exists()


def test_a_get_on_a_post_only_url_changes_nothing(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    update = url("interest-update", contact_point, public_id=interest.public_id)
    assert staff.get(update, {"status": "trukket", "version": 1}).status_code == 405
    interest.refresh_from_db()
    assert interest.status == Interest.Status.NEW


def test_marking_contacted_sets_the_time_and_bumps_the_version(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    response = staff.post(
        url("interest-update", contact_point, public_id=interest.public_id),
        {"status": "kontaktet", "version": 1},
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == Interest.Status.CONTACTED
    assert interest.contacted_at is not None
    assert interest.version == 2


def test_a_stale_version_is_refused_and_nothing_is_overwritten(staff, contact_point, sorg):
    interest = make_interest(contact_point, topic=sorg)
    update = url("interest-update", contact_point, public_id=interest.public_id)
    # Two people opened the page at version 1; the first one saves.
    assert staff.post(update, {"status": "kontaktet", "version": 1}).status_code == 302
    response = staff.post(update, {"status": "trukket", "version": 1})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Noen andre har endret denne interessemeldingen" in html
    assert 'name="version" value="2"' in html  # the form now carries the current version
    interest.refresh_from_db()
    assert (interest.status, interest.version) == (Interest.Status.CONTACTED, 2)


def test_the_service_refuses_a_stale_version(contact_point, cp_user, sorg):
    interest = make_interest(contact_point, topic=sorg)
    interests_services.interest_update(
        interest=interest, version=1, actor=cp_user, status="kontaktet"
    )
    with pytest.raises(interests_services.StaleVersionError):
        interests_services.interest_update(
            interest=interest, version=1, actor=cp_user, status="trukket"
        )


# Adding an interest by hand ------------------------------------------------------------------


def _hand_data(topic, **overrides) -> dict:
    data = {
        **PERSON,
        "topic": topic.pk,
        "place": "2660",
        "preferred_format": "",
        "note": "",
        "consent_channel": "telefon",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_staff_add_an_interest_by_hand_with_oral_consent(
    staff, cp_user, contact_point, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url("interest-create", contact_point), _hand_data(sorg))

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert response["Location"] == detail_url(interest)
    assert interest.contact_point == contact_point
    assert interest.consent_channel == "telefon"
    assert interest.consent_recorded_by == cp_user
    assert interest.consent_text_version == CURRENT_CONSENT_VERSION
    assert timezone.now() - interest.consent_given_at < timedelta(minutes=1)
    assert AuditEntry.objects.filter(action="create", object_id=str(interest.pk)).exists()
    receipt = next(m for m in mail.outbox if m.to == ["kanari@example.test"])
    assert receipt.subject == "Vi har fått meldingen din"


def test_staff_get_no_new_interest_email_for_an_interest_they_typed_in(
    staff, contact_point, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url("interest-create", contact_point), _hand_data(sorg))

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["kanari@example.test"]]  # the receipt only
    assert not any("Ny interessemelding" in m.subject for m in mail.outbox)


def test_the_withdraw_link_works_for_a_hand_added_interest(
    staff, client, contact_point, sorg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url("interest-create", contact_point), _hand_data(sorg))
    receipt = next(m for m in mail.outbox if m.to == ["kanari@example.test"])
    link = re.search(r"https?://[^/\s]+(/grupper/meld-interesse/trekk/\S+/)", receipt.body)[1]
    client.logout()
    assert client.post(link).status_code == 200
    assert not Interest.objects.exists()


def test_adding_by_hand_without_a_way_to_reach_is_refused_and_input_kept(
    staff, contact_point, sorg
):
    response = staff.post(
        url("interest-create", contact_point), _hand_data(sorg, email="", phone="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Oppgi e-post eller telefon, så kontaktpunktet når personen." in html
    assert 'value="Kanari Testesen"' in html
    assert response.context["form"].errors["phone"]
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": ""}, "consent", "Kryss av for at personen har gitt samtykke muntlig."),
        ({"consent_channel": "nett"}, "consent_channel", "Velg et gyldig valg"),
        ({"place": "Atlantis"}, "place", "Vi finner ikke «Atlantis»"),
        ({"email": "ikke-en-adresse"}, "email", "Skriv en gyldig e-postadresse"),
        # The same phone rule as the public form (selvhjelp.forms.validated_phone).
        ({"phone": "12 34"}, "phone", "Skriv et telefonnummer med minst åtte sifre"),
    ],
)
def test_bad_hand_input_gets_a_message_next_to_the_field(
    staff, contact_point, sorg, overrides, field, message
):
    response = staff.post(url("interest-create", contact_point), _hand_data(sorg, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Interest.objects.exists()


def test_a_name_with_bidirectional_controls_is_isolated_on_staff_pages(
    client, cp_user, contact_point, sorg
):
    # Older rows (or a name typed by staff) may hold a right-to-left override; the public forms
    # strip it from new input, and staff pages isolate every name so it cannot turn the page.
    interest = make_interest(contact_point, topic=sorg)
    Interest.objects.filter(pk=interest.pk).update(name="Kari \u202eevol")
    client.force_login(cp_user)

    listing = client.get(url("interest-list", contact_point)).content.decode()
    detail = client.get(detail_url(interest)).content.decode()

    assert "<bdi>Kari \u202eevol</bdi>" in listing
    assert "Interessemelding fra <bdi>Kari \u202eevol</bdi>" in detail
