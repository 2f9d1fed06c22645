"""Privacy for interest lists: automatic deletion after the retention period (with anonymous
counts left behind), a person's export and erasure, and the append-only audit log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db import DatabaseError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import DemandNotice, Interest, InterestNote, InterestTally
from groups.services import demand as demand_services
from groups.services import interests as interests_services
from selvhjelp.jobs import DAILY_JOBS, run_daily
from selvhjelp.models import AuditEntry, OutgoingEmail
from tests import factories
from tests.permissions_workspace import make_interest

CANARY_NAME = "Slettes Kanarisen"
CANARY_EMAIL = "slett-meg@example.test"
# The canary phone number in every form it could be stored or shown in.
CANARY_PHONES = ("+47 912 34 567", "912 34 567", "91234567", "+4791234567")


@pytest.fixture
def staff(client, cp_user):
    client.force_login(cp_user)
    return client


def url(name: str, interest: Interest) -> str:
    return reverse(
        f"workspace:{name}",
        kwargs={"slug": interest.contact_point.slug, "public_id": interest.public_id},
    )


def _email(to: str, *, kind: str = "interest-receipt", status: str = "sent") -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        kind=kind, to=to, subject="Vi har fått meldingen din", body_text="Hei", status=status
    )


# Retention -----------------------------------------------------------------------------------


def test_interests_are_deleted_a_year_after_their_last_change(contact_point, sorg, settings):
    settings.INTEREST_RETENTION_DAYS = 365
    with freeze_time("2026-01-10 12:00"):
        old = make_interest(contact_point, topic=sorg, name="Gammel")
    with freeze_time("2026-06-01 12:00"):
        recent = make_interest(contact_point, topic=sorg, name="Nyere")

    with freeze_time("2027-01-09 12:00"):
        assert DAILY_JOBS["interest_retention"]()["interests"] == 0
    with freeze_time("2027-01-11 12:00"):
        assert DAILY_JOBS["interest_retention"]()["interests"] == 1
        assert DAILY_JOBS["interest_retention"]()["interests"] == 0  # safe to run twice

    assert list(Interest.objects.all()) == [recent]
    assert not Interest.objects.filter(pk=old.pk).exists()
    tally = InterestTally.objects.get()
    assert (str(tally.month), tally.topic, tally.municipality, tally.reason, tally.count) == (
        "2026-01-01",
        sorg,
        contact_point.municipality,
        "lagringstid",
        1,
    )


def test_a_change_restarts_the_retention_clock(contact_point, cp_user, sorg):
    with freeze_time("2026-01-10 12:00"):
        interest = make_interest(contact_point, topic=sorg)
    with freeze_time("2026-12-01 12:00"):
        interests_services.interest_note_add(interest=interest, author=cp_user, text="Ringt")
    with freeze_time("2027-02-01 12:00"):
        DAILY_JOBS["interest_retention"]()
    assert Interest.objects.filter(pk=interest.pk).exists()


def test_placed_interests_are_deleted_three_months_after_the_group_started(
    contact_point, sorg, settings
):
    settings.INTEREST_RETENTION_AFTER_GROUP_START_DAYS = 90
    with freeze_time("2026-03-01 12:00"):
        started = factories.make_group(
            contact_point, name="Startet", starts_on=timezone.localdate()
        )
        later = factories.make_group(
            contact_point, name="Senere", starts_on=timezone.localdate() + timedelta(days=30)
        )
        placed = make_interest(contact_point, topic=sorg, group=started, status="plassert")
        waiting = make_interest(contact_point, topic=sorg, group=later, status="plassert")
    with freeze_time("2026-05-29 12:00"):  # 89 days after the start
        assert DAILY_JOBS["interest_retention"]()["interests"] == 0
    with freeze_time("2026-05-31 12:00"):  # 91 days
        assert DAILY_JOBS["interest_retention"]()["interests"] == 1
    assert list(Interest.objects.all()) == [waiting]
    assert not Interest.objects.filter(pk=placed.pk).exists()
    assert InterestTally.objects.get(reason="lagringstid").count == 1


def test_a_new_interest_in_a_group_that_started_long_ago_survives_the_nightly_jobs(
    contact_point, sorg, settings
):
    settings.INTEREST_RETENTION_AFTER_GROUP_START_DAYS = 90
    with freeze_time("2024-09-01 12:00"):
        running = factories.make_group(
            contact_point, name="Går allerede", topics=[sorg], starts_on=timezone.localdate()
        )
    with freeze_time("2026-03-01 12:00"):
        interest = interests_services.interest_register(
            topic=sorg,
            municipality=contact_point.municipality,
            name="Kanari Testesen",
            email=CANARY_EMAIL,
            consent_text_version=CURRENT_CONSENT_VERSION,
            group=running,
        )
        run_daily()
    with freeze_time("2026-08-01 12:00"):  # five months later, nobody has touched it yet
        run_daily()
    assert Interest.objects.filter(pk=interest.pk).exists()
    assert not InterestTally.objects.exists()


def test_a_person_placed_in_a_running_group_is_kept_the_period_after_their_placing(
    contact_point, sorg, settings
):
    settings.INTEREST_RETENTION_AFTER_GROUP_START_DAYS = 90
    with freeze_time("2025-01-10 12:00"):
        running = factories.make_group(contact_point, name="Går", starts_on=timezone.localdate())
    with freeze_time("2026-03-01 12:00"):
        placed = make_interest(contact_point, topic=sorg, group=running, status="plassert")
    with freeze_time("2026-05-29 12:00"):  # 89 days after the placing
        assert DAILY_JOBS["interest_retention"]()["interests"] == 0
    with freeze_time("2026-05-31 12:00"):  # 91 days
        assert DAILY_JOBS["interest_retention"]()["interests"] == 1
    assert not Interest.objects.filter(pk=placed.pk).exists()


def test_retention_deletes_the_persons_emails_and_rechecks_demand(contact_point, sorg, settings):
    settings.INTEREST_RETENTION_DAYS = 365
    settings.DEMAND_THRESHOLD = 1
    with freeze_time("2026-01-10 12:00"):
        make_interest(contact_point, topic=sorg, email=CANARY_EMAIL)
        demand_services.demand_check(contact_point=contact_point)
    with freeze_time("2026-12-01 12:00"):
        receipt = _email(CANARY_EMAIL)  # recent, so only the person's deletion removes it
    with freeze_time("2027-01-11 12:00"):
        assert DAILY_JOBS["interest_retention"]()["interests"] == 1
    assert not OutgoingEmail.objects.filter(pk=receipt.pk).exists()
    assert not DemandNotice.objects.filter(closed_at=None).exists()


def test_the_retention_job_deletes_old_sent_emails_to_people(db, settings):
    settings.INTEREST_RETENTION_DAYS = 365
    with freeze_time("2026-01-10 12:00"):
        old_receipt = _email("kanari@example.test")
        old_starts = _email("kanari@example.test", kind="workspace-group-starts")
        old_staff = _email("kontaktpunkt@example.test", kind="interest-notification")
    with freeze_time("2026-12-01 12:00"):
        recent = _email("kanari2@example.test")
    with freeze_time("2027-01-11 12:00"):
        result = run_daily()["interest_retention"]
        assert result["emails"] == 2
        assert run_daily()["interest_retention"]["emails"] == 0
    remaining = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert remaining == {old_staff.pk, recent.pk}
    assert old_receipt.pk not in remaining and old_starts.pk not in remaining


# Export --------------------------------------------------------------------------------------


@pytest.fixture
def person(contact_point, other_contact_point, sorg, angst):
    """One person with three interests here (matched by email or by phone written differently)
    and one at another contact point; plus someone else."""
    first = make_interest(
        contact_point, topic=sorg, name=CANARY_NAME, email=CANARY_EMAIL, phone="+47 912 34 567"
    )
    make_interest(contact_point, topic=angst, name=CANARY_NAME, email=CANARY_EMAIL.upper())
    make_interest(contact_point, topic=angst, name="Slettes", email="", phone="91234567")
    make_interest(other_contact_point, topic=sorg, name=CANARY_NAME, email=CANARY_EMAIL)
    make_interest(contact_point, topic=sorg, name="Noen Andre", email="andre@example.test")
    InterestNote.objects.create(interest=first, text="Ringt")
    return first


def test_staff_export_everything_about_a_person_as_json(staff, cp_user, person, contact_point):
    response = staff.post(url("interest-export", person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="interessemeldinger-{person.public_id}.json"'
    )
    data = json.loads(response.content)
    assert data["contact_point"] == contact_point.name
    assert len(data["interests"]) == 3
    fields = set(data["interests"][0])
    assert {"name", "email", "phone", "topic", "municipality", "note", "status"} <= fields
    assert {"consent_text_version", "consent_given_at", "consent_channel", "staff_notes"} <= fields
    first = next(row for row in data["interests"] if row["id"] == str(person.public_id))
    assert first["staff_notes"][0]["text"] == "Ringt"
    assert "andre@example.test" not in response.content.decode()
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.object_id, entry.contact_point_id, entry.detail) == (
        cp_user,
        str(person.pk),
        contact_point.pk,
        "interests=3",
    )


def test_export_is_post_only_and_hidden_from_other_contact_points(
    client, staff, person, other_contact_point
):
    assert staff.get(url("interest-export", person)).status_code == 405
    other_staff = factories.make_user("oslo@example.test")
    factories.add_contact_point_member(other_staff, other_contact_point)
    client.force_login(other_staff)
    assert client.post(url("interest-export", person)).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_no_personal_data_in_the_export_and_erase_urls(person):
    for name in ("interest-export", "interest-erase", "interest-detail"):
        path = url(name, person)
        assert CANARY_EMAIL not in path and "Slettes" not in path
        # The canary phone in full (a 3-digit fragment can turn up in a random UUID).
        assert not any(phone in path for phone in CANARY_PHONES)


# Erasure -------------------------------------------------------------------------------------


def test_erasure_asks_first_and_changes_nothing_on_get(staff, person):
    response = staff.get(url("interest-erase", person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dette sletter 3 interessemeldinger" in html
    assert Interest.objects.count() == 5
    assert AuditEntry.objects.filter(action="view").count() == 1


def test_staff_erase_a_person_and_only_anonymous_counts_remain(
    staff, cp_user, contact_point, person, sorg, angst
):
    _email(CANARY_EMAIL)
    _email(CANARY_EMAIL, status="pending")  # not yet sent: left to go out
    response = staff.post(url("interest-erase", person))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workspace:interest-list", kwargs={"slug": contact_point.slug}
    )
    here = Interest.objects.filter(contact_point=contact_point)
    assert list(here.values_list("name", flat=True)) == ["Noen Andre"]
    assert Interest.objects.filter(name=CANARY_NAME).count() == 1  # the other contact point's
    assert not InterestNote.objects.exists()
    assert OutgoingEmail.objects.filter(to=CANARY_EMAIL).count() == 1
    tallies = {(t.topic, t.reason): t.count for t in InterestTally.objects.all()}
    assert tallies == {(sorg, "slettet"): 1, (angst, "slettet"): 2}
    entry = AuditEntry.objects.get(action="erase")
    assert (entry.actor, entry.contact_point_id, entry.detail) == (
        cp_user,
        contact_point.pk,
        "interests=3",
    )


def _text_columns(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
    ]


def test_after_erasure_no_table_holds_the_persons_details(
    staff, contact_point, sorg, django_capture_on_commit_callbacks
):
    """G13: register through the real path (receipt and staff emails sent), view, note,
    erase; then search every table for the canary."""
    with django_capture_on_commit_callbacks(execute=True):
        interest = interests_services.interest_register(
            topic=sorg,
            municipality=contact_point.municipality,
            name=CANARY_NAME,
            email=CANARY_EMAIL,
            phone="+47 912 34 567",
            note="Kanari-melding",
            consent_text_version=CURRENT_CONSENT_VERSION,
            contact_point=contact_point,
        )
    assert any(m.to == [CANARY_EMAIL] for m in mail.outbox)
    staff.get(url("interest-detail", interest))
    staff.post(url("interest-note-add", interest), {"text": "Notat om kanari"})
    staff.post(url("interest-export", interest))
    staff.post(url("interest-erase", interest))

    found = []
    for model in apps.get_models():
        if model._meta.app_label in ("sessions",):
            continue
        columns = _text_columns(model)
        for canary in (CANARY_EMAIL, CANARY_NAME, "912 34 567", "Kanari-melding", "kanari"):
            query = models.Q()
            for column in columns:
                query |= models.Q(**{f"{column}__icontains": canary})
            if columns and model._default_manager.filter(query).exists():
                found.append((model.__name__, canary))
    assert found == []


# The audit log -------------------------------------------------------------------------------


def test_the_audit_table_refuses_update_and_delete(cp_user, contact_point):
    entry = AuditEntry.objects.create(
        actor=cp_user, action="view", object_type="interest", object_id="1"
    )
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET detail = 'endret'", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    entry.refresh_from_db()
    assert entry.detail == ""


def test_national_admins_read_the_audit_log(client, national_admin, staff, person):
    staff.get(url("interest-detail", person))
    staff.post(url("interest-export", person))
    client.force_login(national_admin)
    response = client.get(reverse("audit-log"))
    assert response.status_code == 200
    actions = {entry.action for entry in response.context["page"].object_list}
    assert {"view", "export"} <= actions
    assert CANARY_EMAIL not in response.content.decode()


def test_every_audit_row_of_a_workspace_session_is_free_of_personal_data(staff, person):
    staff.get(reverse("workspace:interest-list", kwargs={"slug": person.contact_point.slug}))
    staff.get(url("interest-detail", person))
    staff.post(url("interest-export", person))
    staff.get(url("interest-erase", person))
    staff.post(url("interest-erase", person))
    entries = list(AuditEntry.objects.all())
    assert {e.action for e in entries} == {"list", "view", "export", "erase"}
    for entry in entries:
        text = f"{entry.object_type} {entry.object_id} {entry.detail}".lower()
        assert "kanari" not in text and "@" not in text
        # Full forms only: object_id is a primary key that can be 912, 1912, … with --reuse-db.
        assert not any(phone in text for phone in CANARY_PHONES)


# Finding a person ----------------------------------------------------------------------------


def _search_url(contact_point) -> str:
    return reverse("workspace:person-search", kwargs={"slug": contact_point.slug})


def test_staff_find_a_person_by_email_or_phone_through_a_post(staff, contact_point, person):
    by_email = staff.post(_search_url(contact_point), {"email": CANARY_EMAIL.upper()})
    assert by_email.status_code == 200
    assert len(by_email.context["rows"]) == 2
    by_phone = staff.post(_search_url(contact_point), {"phone": "912 34 567"})
    assert {row.name for row in by_phone.context["rows"]} == {CANARY_NAME, "Slettes"}
    assert "Noen Andre" not in by_phone.content.decode()
    entries = AuditEntry.objects.filter(action="list")
    assert sorted(e.detail for e in entries) == [
        "person-search matches=2",
        "person-search matches=2",
    ]


def test_a_person_search_without_terms_asks_for_one(staff, contact_point):
    response = staff.post(_search_url(contact_point), {"email": "", "phone": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        "Skriv e-posten eller telefonnummeret du leter etter."
    ]
    assert not AuditEntry.objects.exists()


def test_a_person_search_finds_nothing_at_other_contact_points(client, other_contact_point, person):
    other_staff = factories.make_user("oslo@example.test")
    factories.add_contact_point_member(other_staff, other_contact_point)
    client.force_login(other_staff)
    response = client.post(_search_url(other_contact_point), {"phone": "91234567"})
    assert response.context["rows"] == []
