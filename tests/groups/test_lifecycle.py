"""Keeping a published group current: full, open, paused or ended; schedule and description."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from groups.history import change_rows
from groups.models import Group, GroupEvent
from groups.services import lifecycle as lifecycle_services
from tests import factories
from tests.factories import logged_in_client
from tests.groups.lifecycle_data import approved, ready_draft, submitted

pytestmark = pytest.mark.django_db


def _status_url(group) -> str:
    return reverse(
        "workspace:group-status", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
    )


def _edit_url(group) -> str:
    return reverse(
        "workspace:group-edit", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
    )


def _in_search(group) -> bool:
    return Group.objects.published().filter(pk=group.pk).exists()


def test_staff_mark_a_group_full_and_the_change_is_logged(cp_user, contact_point):
    group = approved(contact_point)
    response = logged_in_client(cp_user).post(_status_url(group), {"status": "i-gang"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert not group.open_for_new_members
    event = group.events.get(kind=GroupEvent.Kind.STATUS_CHANGED)
    assert event.actor == cp_user
    assert event.changes == {"open_for_new_members": [True, False]}  # raw, not a label


def test_staff_open_a_full_group_for_new_members(cp_user, contact_point):
    group = approved(contact_point, open_for_new_members=False)
    logged_in_client(cp_user).post(
        _status_url(group), {"status": "i-gang", "open_for_new_members": "on"}
    )
    group.refresh_from_db()
    assert group.open_for_new_members


def test_a_paused_group_stays_listed_and_an_ended_group_leaves_search(cp_user, contact_point):
    group = approved(contact_point)
    client = logged_in_client(cp_user)
    client.post(_status_url(group), {"status": "pause", "open_for_new_members": "on"})
    group.refresh_from_db()
    assert group.status == Group.Status.PAUSED
    assert _in_search(group)
    client.post(_status_url(group), {"status": "avsluttet"})
    group.refresh_from_db()
    assert group.status == Group.Status.ENDED
    assert not _in_search(group)
    changes = [e.changes for e in group.events.filter(kind=GroupEvent.Kind.STATUS_CHANGED)]
    assert changes[0] == {"status": ["i-gang", "pause"]}
    assert changes[1]["status"] == ["pause", "avsluttet"]


def test_saving_an_unchanged_status_logs_nothing(cp_user, contact_point):
    group = approved(contact_point)
    logged_in_client(cp_user).post(
        _status_url(group), {"status": "i-gang", "open_for_new_members": "on"}
    )
    assert not group.events.exists()


def test_a_bad_status_shows_an_error_and_changes_nothing(cp_user, contact_point):
    group = approved(contact_point)
    response = logged_in_client(cp_user).post(_status_url(group), {"status": "borte"})
    assert response.status_code == 200
    assert (
        "errorlist" in response.content.decode() or "invalid-feedback" in response.content.decode()
    )
    group.refresh_from_db()
    assert group.status == Group.Status.RUNNING


def test_staff_edit_the_schedule_and_description_of_a_published_group(cp_user, contact_point):
    group = approved(contact_point)
    client = logged_in_client(cp_user)
    html = client.get(_edit_url(group)).content.decode()
    assert 'name="description"' in html and 'name="weekday"' in html
    assert 'name="name"' not in html  # renaming a published group needs a new approval
    response = client.post(
        _edit_url(group),
        {
            "description": "Nå på torsdager.",
            "weekday": 4,
            "start_time": "19:00",
            "frequency": "annenhver",
            "starts_on": "",
            "venue_address": "Nytt sted 2",
            "name": "Forsøk på nytt navn",
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.weekday == 4 and group.description == "Nå på torsdager."
    assert group.name == "Sorggruppe Dovre"
    changes = group.events.get(kind=GroupEvent.Kind.EDITED).changes
    # Raw values (choice keys, ISO times): translated when the history is read.
    assert changes["weekday"] == [2, 4]
    assert changes["start_time"] == ["18:00:00", "19:00:00"]
    assert changes["frequency"] == ["ukentlig", "annenhver"]
    assert "name" not in changes


def test_a_group_waiting_for_approval_cannot_be_edited(cp_user, contact_point):
    group = submitted(contact_point)
    response = logged_in_client(cp_user).post(
        _edit_url(group), {"description": "Endret"}, follow=True
    )
    assert "mens distriktskontoret vurderer den" in response.content.decode()
    group.refresh_from_db()
    assert group.description.startswith("En trygg gruppe")


def test_the_district_office_may_look_at_a_group_but_not_change_it(district_user, contact_point):
    group = approved(contact_point)
    client = logged_in_client(district_user)
    assert (
        client.get(
            reverse(
                "workspace:group-detail", kwargs={"slug": group.contact_point.slug, "pk": group.pk}
            )
        ).status_code
        == 200
    )
    assert client.post(_status_url(group), {"status": "avsluttet"}).status_code == 403
    assert client.post(_edit_url(group), {"description": "x"}).status_code == 403
    group.refresh_from_db()
    assert group.status == Group.Status.RUNNING


def test_staff_of_another_contact_point_get_404(other_contact_point, contact_point):
    from tests import factories

    other = factories.make_user("oslo@example.test")
    factories.add_contact_point_member(other, other_contact_point)
    group = approved(contact_point)
    assert (
        logged_in_client(other).post(_status_url(group), {"status": "avsluttet"}).status_code == 404
    )


def test_the_detail_page_shows_the_history_to_staff(cp_user, contact_point):
    group = approved(contact_point)
    client = logged_in_client(cp_user)
    client.post(_status_url(group), {"status": "pause"})
    html = client.get(group.get_workspace_url()).content.decode()
    assert html.count("<h1") == 1
    assert "Status endret" in html and "Kari Kontakt" in html
    assert "Hemmeligveien 1" in html  # staff see the venue


# The history, readable -----------------------------------------------------------------------


def _detail(client, group) -> str:
    return client.get(group.get_workspace_url()).content.decode()


def test_the_history_names_the_fields_and_shows_their_values_as_people_read_them(
    cp_user, contact_point
):
    group = approved(contact_point)
    client = logged_in_client(cp_user)
    client.post(
        _edit_url(group),
        {
            "description": group.description,
            "weekday": 4,
            "start_time": "19:00",
            "frequency": "annenhver",
            "starts_on": "2026-09-01",
            "venue_address": group.venue_address,
        },
    )
    client.post(_status_url(group), {"status": "i-gang"})
    html = _detail(client, group)
    assert "Ukedag: Tirsdag → Torsdag" in html
    assert "Klokkeslett: 18.00 → 19.00" in html
    assert "Hvor ofte: Hver uke → Annenhver uke" in html
    assert "Oppstart: – → 1. september 2026" in html
    assert "Åpen for nye deltakere: Ja → Nei" in html
    for raw in ("weekday", "start_time", "starts_on", "open_for_new_members", "2026-09-01"):
        assert raw not in html, raw


def test_a_change_to_a_field_that_no_longer_exists_shows_its_key(cp_user, contact_point):
    group = approved(contact_point)
    GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.EDITED, changes={"gammelt_felt": ["før", "etter"]}
    )
    assert "gammelt_felt: før → etter" in _detail(logged_in_client(cp_user), group)


def test_the_history_reads_raw_values_and_changes_stored_in_another_language(contact_point):
    group = approved(contact_point)
    event = GroupEvent(
        group=group,
        kind=GroupEvent.Kind.EDITED,
        changes={
            "weekday": [1, "Thursday"],
            "open_for_new_members": [True, "no"],
            "status": ["i-gang", "Pause"],
            "topics": ["Angst, Sorg", "Sorg"],
        },
    )
    assert change_rows(event) == [
        ("Ukedag", "Mandag", "Torsdag"),
        ("Åpen for nye deltakere", "Ja", "Nei"),
        ("Status", "I gang", "Pause"),
        ("Temaer", "Angst, Sorg", "Sorg"),
    ]
    with translation.override("en"):
        assert change_rows(event)[0] == ("Weekday", "Monday", "Thursday")


def test_counts_stored_with_an_event_are_shown_as_facts(contact_point):
    group = approved(contact_point)
    event = GroupEvent(group=group, kind=GroupEvent.Kind.CREATED, changes={"placed": 3})
    assert change_rows(event) == [("Personer plassert i gruppen", None, "3")]


# Links already sent by email point at /kontaktpunkt/gruppe/<pk>/…; the pages now live under the
# contact point (/kontaktpunkt/<slug>/grupper/<pk>/…).


@pytest.mark.parametrize(
    ("old_suffix", "new_name"),
    [
        ("", "workspace:group-detail"),
        ("endre/", "workspace:group-edit"),
        ("send-inn/", "workspace:group-submit"),
        ("status/", "workspace:group-status"),
    ],
)
def test_an_old_link_from_an_email_leads_to_the_page_under_the_contact_point(
    cp_user, contact_point, old_suffix, new_name
):
    group = approved(contact_point)
    response = logged_in_client(cp_user).get(f"/kontaktpunkt/gruppe/{group.pk}/{old_suffix}")
    assert response.status_code == 302
    assert response["Location"] == reverse(new_name, args=[contact_point.slug, group.pk])
    assert f"/kontaktpunkt/{contact_point.slug}/grupper/{group.pk}/" in response["Location"]


def test_an_old_link_tells_an_outsider_nothing(outsider, contact_point):
    group = approved(contact_point)
    response = logged_in_client(outsider).get(f"/kontaktpunkt/gruppe/{group.pk}/")
    assert response.status_code == 404


def test_a_group_under_another_contact_points_address_is_not_found(national_admin, contact_point):
    group = approved(contact_point)
    other = factories.make_contact_point("Et annet kontaktpunkt", postcode="0182")
    url = reverse("workspace:group-detail", args=[other.slug, group.pk])
    assert logged_in_client(national_admin).get(url).status_code == 404


def test_the_history_stores_raw_values_and_reads_them_in_the_readers_language(
    cp_user, contact_point
):
    group = ready_draft(contact_point)  # a draft: every field may change
    angst = factories.make_topic("Angst")
    lifecycle_services.group_update(
        group=group,
        actor=cp_user,
        data={"weekday": 4, "topics": [angst], "municipality": group.municipality},
    )
    event = group.events.get(kind=GroupEvent.Kind.EDITED)
    assert event.changes["weekday"][1] == 4
    assert event.changes["topics"][1] == [angst.pk]
    rows = {row.label: row for row in change_rows(event)}
    assert rows["Ukedag"].new == "Torsdag"
    assert rows["Temaer"].new == "Angst"
    with translation.override("en"):
        english = {row.label: row.new for row in change_rows(event)}
    assert english["Weekday"] == "Thursday"
