"""Builders for the events tests: events are set up through the real service."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from events import services
from events.models import Event, Registration
from selvhjelp.models import Municipality

_seq = itertools.count(1)


def make_event(
    *,
    contact_point=None,
    district_office=None,
    starts_in: dt.timedelta = dt.timedelta(days=14),
    starts_at: dt.datetime | None = None,
    hours: int = 2,
    days: int = 1,
    **extra,
) -> Event:
    start = (starts_at or timezone.now() + starts_in).replace(second=0, microsecond=0)
    fields = {
        "title": extra.pop("title", None) or f"Informasjonsmøte {next(_seq)}",
        "kind": Event.Kind.INFORMATION_MEETING,
        "audience": Event.Audience.PUBLIC,
        "description": "Hva er en selvhjelpsgruppe, og hvordan kommer man i gang?",
        "follow_up_text": "Meld interesse for en gruppe.",
        "format": Event.Format.PHYSICAL,
        "venue": "Dombås frivilligsentral, Storrvegen 5",
        "municipality": Municipality.objects.get(name="Dovre"),
        "status": Event.Status.PUBLISHED,
        "reminder_days": [7, 1],
        "contact_point": contact_point,
        "district_office": district_office,
    }
    fields.update(extra)
    sessions = [
        services.SessionTimes(
            starts_at=start + dt.timedelta(days=i),
            ends_at=start + dt.timedelta(days=i, hours=hours),
        )
        for i in range(days)
    ]
    return services.event_save(event=Event(**fields), sessions=sessions)


def register(event: Event, email: str, *, name: str = "Kari Nordmann", waiting=False):
    return services.registration_create(
        event=event,
        data={"name": name, "email": email},
        consent_version="arrangement-2026-11",
        join_waiting_list=waiting,
    )[0]


@pytest.fixture
def event(contact_point) -> Event:
    return make_event(contact_point=contact_point, capacity=2, title="Informasjonsmøte Dombås")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (the outbox sends through Celery, eager)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def seat_statuses(event: Event) -> list[str]:
    return list(
        Registration.objects.filter(event=event).order_by("pk").values_list("status", flat=True)
    )


DEFAULT_QUESTIONS = [
    "Hvor nyttig var arrangementet for deg?",
    "Hvor godt ble du tatt imot?",
    "Hvor godt vet du nå hva du kan gjøre videre?",
]


def ensure_questions(kind: str = "information") -> list:
    """The questions the data migration adds; a transactional test's flush removes them."""
    from events.models import EvaluationQuestion

    return [
        EvaluationQuestion.objects.get_or_create(kind=kind, text=text, defaults={"order": n})[0]
        for n, text in enumerate(DEFAULT_QUESTIONS)
    ]


@pytest.fixture
def questions(db) -> list:
    return ensure_questions()


def make_course(*, district_office=None, days: int = 2, **extra) -> Event:
    """A facilitator course, two days by default, published."""
    fields = {
        "title": extra.pop("title", None) or f"Igangsetterkurs {next(_seq)}",
        "kind": Event.Kind.COURSE,
        "course_audience": Event.CourseAudience.VOLUNTEERS,
        "audience": Event.Audience.FACILITATORS,
        **extra,
    }
    return make_event(district_office=district_office, days=days, hours=6, **fields)


def move_to_past(event: Event, days: int = 3) -> Event:
    """Registration closes when a course starts; tests register first, then let time pass."""
    from events.models import Session

    shift = dt.timedelta(days=(event.ends_at - timezone.now()).days + days)
    for session in Session.objects.filter(event=event):
        Session.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at - shift, ends_at=session.ends_at - shift
        )
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - shift, ends_at=event.ends_at - shift
    )
    event.refresh_from_db()
    return event
