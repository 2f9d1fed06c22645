"""The events app's emails, one function per message; each calls `selvhjelp.emails.queue` in the
caller's transaction. Emails to registered people carry the calendar file with the join link."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from events import ics
from events.models import Registration
from events.tokens import make_token
from selvhjelp import emails

EVALUATION_SALT = "events.evaluation"


def _context(registration: Registration) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "title": event.title,  # the subjects name it plainly (tests/selvhjelp/test_emails.py)
        "sessions": list(event.sessions.all()),
        # The join link is for people with a seat only, never for the waiting list.
        "show_join": registration.status == Registration.Status.CONFIRMED,
        "event_url": emails.absolute_url(event.get_absolute_url()),
        "manage_url": emails.absolute_url(
            reverse(
                "events:registration-manage",
                kwargs={"token": make_token(registration, "manage")},
            )
        ),
    }


def _calendar_file(registration: Registration) -> list[emails.Attachment]:
    with_join_url = registration.status == Registration.Status.CONFIRMED
    content = ics.event_ics(registration.event, with_join_url=with_join_url)
    return [("arrangement.ics", "text/calendar", content)]


def send_registration_confirmed(registration: Registration) -> None:
    emails.queue(
        to=registration.email,
        name="event-registration-confirmed",
        context=_context(registration),
        attachments=_calendar_file(registration),
    )


def send_registration_waiting(registration: Registration) -> None:
    emails.queue(
        to=registration.email, name="event-registration-waiting", context=_context(registration)
    )


def send_offer(registration: Registration) -> None:
    token = make_token(registration, "offer")
    context = {
        **_context(registration),
        "accept_url": emails.absolute_url(reverse("events:offer-accept", kwargs={"token": token})),
        "decline_url": emails.absolute_url(
            reverse("events:offer-decline", kwargs={"token": token})
        ),
    }
    emails.queue(to=registration.email, name="event-offer", context=context)


def send_event_updated(registration: Registration) -> None:
    emails.queue(
        to=registration.email,
        name="event-updated",
        context=_context(registration),
        attachments=_calendar_file(registration),
    )


def send_event_cancelled(registration: Registration) -> None:
    emails.queue(
        to=registration.email,
        name="event-cancelled",
        context=_context(registration),
        attachments=_calendar_file(registration),
    )


def send_reminder(registration: Registration, days_before: int) -> None:
    emails.queue(
        to=registration.email,
        name="event-reminder",
        context={**_context(registration), "days_before": days_before},
        attachments=_calendar_file(registration),
    )


def send_evaluation(registration: Registration, invitation) -> None:
    token = signing.dumps(str(invitation.public_id), salt=EVALUATION_SALT)
    context = {
        **_context(registration),
        "evaluation_url": emails.absolute_url(
            reverse("events:evaluation", kwargs={"token": token})
        ),
    }
    emails.queue(to=registration.email, name="event-evaluation", context=context)


def send_certificate(certificate) -> None:
    """The course certificate as a PDF, to the person who completed."""
    from events import certificates

    registration = certificate.registration
    emails.queue(
        to=registration.email,
        name="course-certificate",
        context={
            "certificate": certificate,
            "title": registration.event.title,
            "verify_url": certificates.verify_url(certificate),
        },
        attachments=[
            (
                certificates.filename(certificate),
                "application/pdf",
                certificates.certificate_pdf(certificate),
            )
        ],
    )


def send_gathering_invitation(*, facilitator, event, office) -> None:
    """An invitation to an experience gathering, to a trained facilitator."""
    emails.queue(
        to=facilitator.email,
        name="course-gathering-invitation",
        context={
            "facilitator": facilitator,
            "title": event.title,
            "event": event,
            "office": office,
            "event_url": emails.absolute_url(event.get_absolute_url()),
        },
    )
