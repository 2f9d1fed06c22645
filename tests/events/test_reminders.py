"""Reminders relative to the event, moved by the clock: each once per person even when the job
runs twice; late but before the start they are sent, after the start marked missed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from events import jobs, services
from events.models import ReminderDelivery
from tests.events.conftest import make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(contact_point, on_commit):
    with on_commit():
        event = make_event(contact_point=contact_point, starts_in=dt.timedelta(days=10))
        register(event, "kari@example.test")
        register(event, "ola@example.test")
    mail.outbox.clear()
    return event


def _run(on_commit) -> dict:
    with on_commit():
        return jobs.run_event_jobs()["reminders"]


def test_reminders_go_out_seven_and_one_day_before_once_each(event, on_commit):
    start = event.starts_at
    with freeze_time(start - dt.timedelta(days=7, minutes=5)):
        assert _run(on_commit) == {"sent": 0, "missed": 0}
    with freeze_time(start - dt.timedelta(days=7) + dt.timedelta(minutes=1)):
        assert _run(on_commit) == {"sent": 2, "missed": 0}
        assert _run(on_commit) == {"sent": 0, "missed": 0}
    assert sorted(m.to[0] for m in mail.outbox) == ["kari@example.test", "ola@example.test"]
    assert all("Påminnelse" in m.subject for m in mail.outbox)
    assert mail.outbox[0].attachments[0][0] == "arrangement.ics"
    with freeze_time(start - dt.timedelta(hours=23)):
        assert _run(on_commit) == {"sent": 2, "missed": 0}
        assert _run(on_commit) == {"sent": 0, "missed": 0}
    assert len(mail.outbox) == 4


def test_reminders_move_with_the_event(event, on_commit):
    old_start = event.starts_at
    new_start = old_start + dt.timedelta(days=5)
    with on_commit():
        services.event_save(
            event=event,
            sessions=[services.SessionTimes(new_start, new_start + dt.timedelta(hours=2))],
        )
    mail.outbox.clear()

    with freeze_time(old_start - dt.timedelta(days=7) + dt.timedelta(minutes=1)):
        assert _run(on_commit)["sent"] == 0
    with freeze_time(new_start - dt.timedelta(days=7) + dt.timedelta(minutes=1)):
        assert _run(on_commit)["sent"] == 2


def test_a_late_reminder_is_sent_before_the_start_and_missed_after(event, on_commit):
    start = event.starts_at
    # Down for days: the 7-day reminder is late, but the event has not started.
    with freeze_time(start - dt.timedelta(days=2)):
        assert _run(on_commit) == {"sent": 2, "missed": 0}
    mail.outbox.clear()
    # Down again until after the start: the 1-day reminder is marked missed, not sent.
    with freeze_time(start + dt.timedelta(minutes=30)):
        assert _run(on_commit) == {"sent": 0, "missed": 2}
        assert _run(on_commit) == {"sent": 0, "missed": 0}
    assert not mail.outbox
    assert ReminderDelivery.objects.filter(outcome="missed", days_before=1).count() == 2


def test_no_reminders_for_cancelled_registrations_or_events_without_them(contact_point, on_commit):
    event = make_event(contact_point=contact_point, reminder_days=[])
    register(event, "kari@example.test")
    other = make_event(contact_point=contact_point)
    services.registration_cancel(registration=register(other, "ola@example.test"))
    mail.outbox.clear()

    with freeze_time(timezone.now() + dt.timedelta(days=13, hours=12)):
        assert _run(on_commit) == {"sent": 0, "missed": 0}
    assert not mail.outbox


def test_someone_who_registers_after_a_reminder_was_due_gets_only_the_later_ones(
    contact_point, on_commit
):
    event = make_event(contact_point=contact_point, starts_in=dt.timedelta(days=10))
    start = event.starts_at
    with freeze_time(start - dt.timedelta(days=3)):
        register(event, "sen@example.test")
        mail.outbox.clear()
        assert _run(on_commit) == {"sent": 0, "missed": 0}
    with freeze_time(start - dt.timedelta(hours=23)):
        assert _run(on_commit) == {"sent": 1, "missed": 0}
    assert [m.to for m in mail.outbox] == [["sen@example.test"]]
