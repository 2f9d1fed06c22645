"""Periodic jobs of the events app (Celery beat every 10 minutes; the daily run as a fallback
for set-ups without a broker). Each is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import emails, services
from events.models import Event, Registration, ReminderDelivery
from selvhjelp.jobs import register_daily


def reminders_send() -> dict[str, int]:
    """Each due reminder once per person. The ReminderDelivery row is the claim: it is written
    in the same transaction as the outbox email, and its unique constraint stops a second run
    (or a second worker). A reminder whose time passed while nothing ran is still sent if the
    event has not started; after the start it is marked missed."""
    now = timezone.now()
    counts = {"sent": 0, "missed": 0}
    longest = 60  # the most days before that the event form allows
    events = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .exclude(reminder_days=[])
        .filter(starts_at__lte=now + timedelta(days=longest), ends_at__gte=now - timedelta(days=1))
    )
    for event in events:
        started = event.starts_at <= now
        for days in event.reminder_days:
            due_at = event.starts_at - timedelta(days=days)
            if due_at > now:
                continue
            # Someone who registered after a reminder was due has just had the confirmation.
            pending = event.registrations.filter(
                status=Registration.Status.CONFIRMED, created_at__lt=due_at
            ).exclude(reminders__days_before=days)
            for registration in pending.select_related("event"):
                outcome = (
                    ReminderDelivery.Outcome.MISSED if started else ReminderDelivery.Outcome.SENT
                )
                try:
                    with transaction.atomic():
                        ReminderDelivery.objects.create(
                            registration=registration, days_before=days, outcome=outcome
                        )
                        if outcome == ReminderDelivery.Outcome.SENT:
                            emails.send_reminder(registration, days)
                except IntegrityError:
                    continue  # another run claimed it first
                counts[outcome] += 1
    return counts


def registrations_anonymise() -> int:
    """Personal data is deleted EVENT_RETENTION_DAYS after the event ends; the counts stay."""
    cutoff = timezone.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)
    done = 0
    for event in Event.objects.filter(ends_at__lt=cutoff, anonymised_at__isnull=True):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event.pk)
            event.count_registered = event.registrations.filter(
                status=Registration.Status.CONFIRMED
            ).count()
            event.count_attended = (
                event.registrations.filter(attendances__status="present").distinct().count()
            )
            event.anonymised_at = timezone.now()
            event.save(update_fields=["count_registered", "count_attended", "anonymised_at"])
            # A completed course is what a certificate and the facilitator registry rest on:
            # those registrations stay; everyone else's data goes.
            event.registrations.exclude(completion__completed=True).delete()
            done += 1
    return done


def run_event_jobs() -> dict[str, object]:
    return {
        "offers_expired": services.offers_expire(),
        "reminders": reminders_send(),
        "evaluations": services.evaluations_invite(),
    }


@register_daily("events")
def daily() -> dict[str, object]:
    return {**run_event_jobs(), "anonymised": registrations_anonymise()}


@register_daily("courses_complete")
def courses_complete() -> int:
    from events.courses import courses_complete_due

    return courses_complete_due()
