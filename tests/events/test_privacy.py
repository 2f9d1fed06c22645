"""Registrations and waiting-list entries in the per-person export and erasure, and the
automatic deletion a set time after the event, keeping anonymous counts."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from events import jobs
from events.models import Attendance, Event, Registration
from selvhjelp import privacy
from selvhjelp.models import OutgoingEmail
from tests.events.conftest import make_event, register

pytestmark = pytest.mark.django_db


def test_export_and_erase_cover_registrations_and_the_waiting_list(contact_point):
    event = make_event(contact_point=contact_point, capacity=1)
    register(event, "kari@example.test", name="Kari")
    register(event, "Ola@Example.test", name="Ola", waiting=True)
    other = make_event(contact_point=contact_point)
    register(other, "ola@example.test", name="Ola")

    exported = privacy.export_person("OLA@example.test")["events"]
    assert sorted(row["status"] for row in exported) == ["confirmed", "waiting"]
    assert {row["name"] for row in exported} == {"Ola"}

    assert OutgoingEmail.objects.filter(to__iexact="ola@example.test").exists()

    assert privacy.erase_person("ola@example.test")["events"] == 2
    assert list(Registration.objects.values_list("name", flat=True)) == ["Kari"]
    assert not OutgoingEmail.objects.filter(to__iexact="ola@example.test").exists()
    assert OutgoingEmail.objects.filter(to="kari@example.test").exists()


def test_personal_data_is_deleted_after_the_retention_period_and_counts_stay(
    contact_point, settings
):
    settings.EVENT_RETENTION_DAYS = 183
    event = make_event(contact_point=contact_point, starts_in=dt.timedelta(days=2))
    came = register(event, "a@example.test")
    register(event, "b@example.test")
    Attendance.objects.create(registration=came, session=event.sessions.get())
    ends = event.ends_at

    with freeze_time(ends + dt.timedelta(days=182)):
        assert jobs.registrations_anonymise() == 0
    with freeze_time(ends + dt.timedelta(days=184)):
        assert jobs.registrations_anonymise() == 1
        assert jobs.registrations_anonymise() == 0

    event.refresh_from_db()
    assert not event.registrations.exists()
    assert (event.count_registered, event.count_attended) == (2, 1)
    assert event.anonymised_at is not None
    assert Event.objects.filter(pk=event.pk).exists()
