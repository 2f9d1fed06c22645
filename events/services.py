"""Events' workflows: saving an event with its sessions, registering, the waiting list and its
offers, cancelling. Every workflow that counts seats locks the event row first
(`select_for_update`), then counts: two people can never both take the last seat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events import emails
from events.models import Event, Registration, Session

DEFAULT_REMINDER_DAYS = [7, 1]
# Paths under /arrangementer/ that an event's slug must not look like.
RESERVED_SLUGS = {"stab", "kalender", "pamelding", "tilbud", "evaluering", "mine-kursbevis"}


class RegistrationRefused(Exception):
    """The event cannot take this registration; `message` says why, for the person."""

    def __init__(self, message: str, *, full: bool = False):
        super().__init__(message)
        self.message = message
        self.full = full


@dataclass(frozen=True)
class SessionTimes:
    starts_at: datetime
    ends_at: datetime


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:150] or "arrangement"
    if base in RESERVED_SLUGS:
        base += "-1"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _schedule_changed(before: dict, event: Event, sessions: list[SessionTimes]) -> bool:
    after = _schedule_key(event, [(s.starts_at, s.ends_at) for s in sessions])
    return before != after


def _schedule_key(event: Event, sessions: list[tuple]) -> dict:
    return {
        "sessions": sorted(sessions),
        "venue": event.venue,
        "municipality": event.municipality_id,
        "format": event.format,
        "join_url": event.join_url,
    }


@transaction.atomic
def event_save(*, event: Event, sessions: list[SessionTimes]) -> Event:
    """Create or update an event and its sessions. When time, place or join link of a published
    event changes, SEQUENCE goes up and everyone with a seat gets the new calendar file; more
    capacity offers the freed seats to the waiting list."""
    if not sessions:
        raise ValidationError(_("Et arrangement trenger minst én økt."))
    if event.pk:
        # Lock first: the capacity check below must see every registration that holds a seat.
        Event.objects.select_for_update().get(pk=event.pk)
        before = _schedule_key(
            Event.objects.get(pk=event.pk),
            list(Session.objects.filter(event=event).values_list("starts_at", "ends_at")),
        )
        taken = event.registrations.holding_seat().count()
        if event.capacity is not None and event.capacity < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(taken)s personer har allerede plass. Antall plasser kan ikke være "
                        "lavere enn det."
                    )
                    % {"taken": taken}
                }
            )
    else:
        before = None
        event.slug = _unique_slug(event.title)
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    event.starts_at = ordered[0].starts_at
    event.ends_at = max(s.ends_at for s in ordered)
    changed = before is not None and _schedule_changed(before, event, ordered)
    if changed:
        event.sequence += 1
    event.full_clean(exclude=["slug"])
    event.save()
    event.sessions.all().delete()
    for times in ordered:
        session = Session(event=event, starts_at=times.starts_at, ends_at=times.ends_at)
        session.full_clean()
        session.save()
    if changed and event.status == Event.Status.PUBLISHED:
        for registration in event.registrations.holding_seat():
            emails.send_event_updated(registration)
    if event.status == Event.Status.PUBLISHED:
        _offer_free_seats(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Cancel an event: METHOD:CANCEL to everyone with a seat, a note to the waiting list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        return event
    was_published = event.status == Event.Status.PUBLISHED
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    if was_published:
        for registration in event.registrations.filter(status__in=Registration.ACTIVE_STATUSES):
            emails.send_event_cancelled(registration)
    return event


def _seats_free(event: Event) -> int | None:
    """Free seats on a locked event; None when there is no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.registrations.holding_seat().count(), 0)


@transaction.atomic
def registration_create(
    *, event: Event, data: dict, consent_version: str, join_waiting_list: bool = False
) -> tuple[Registration, bool]:
    """Register a person. Returns (registration, created): a second registration with the same
    email gets the first one back, and its confirmation again. Raises RegistrationRefused when
    the event is closed, or full and the person did not ask for the waiting list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if reason := event.registration_closed_reason():
        raise RegistrationRefused(reason)
    email = data["email"].strip()
    existing = (
        event.registrations.filter(status__in=Registration.ACTIVE_STATUSES)
        .filter(email__iexact=email)
        .first()
    )
    if existing:
        _resend(existing)
        return existing, False
    free = _seats_free(event)
    if free is None or free > 0:
        status = Registration.Status.CONFIRMED
    elif join_waiting_list:
        status = Registration.Status.WAITING
    else:
        raise RegistrationRefused(
            _("Arrangementet er fullt. Du kan sette deg på ventelisten."), full=True
        )
    registration = Registration(
        event=event,
        name=data["name"],
        email=email,
        phone=data.get("phone", ""),
        diet=data.get("diet", ""),
        accessibility=data.get("accessibility", ""),
        organisation=data.get("organisation", ""),
        from_contact_point=data.get("from_contact_point"),
        answer=data.get("answer", ""),
        consent_version=consent_version,
        status=status,
    )
    registration.full_clean()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # cannot happen under the lock; kept so a bug is a calm refusal
        raise RegistrationRefused(_("Du er allerede påmeldt dette arrangementet.")) from None
    _resend(registration)
    return registration, True


def _resend(registration: Registration) -> None:
    if registration.status == Registration.Status.CONFIRMED:
        emails.send_registration_confirmed(registration)
    elif registration.status == Registration.Status.WAITING:
        emails.send_registration_waiting(registration)
    elif registration.status == Registration.Status.OFFERED:
        emails.send_offer(registration)


def _offer_deadline(event: Event, now: datetime) -> datetime:
    """48 hours by default, never past registration close or the event's start."""
    deadline = now + timedelta(hours=settings.EVENT_OFFER_HOURS)
    for limit in (event.registration_closes_at, event.starts_at):
        if limit is not None:
            deadline = min(deadline, limit)
    return deadline


def _offer_free_seats(event: Event) -> int:
    """On a locked event: offer each free seat to the next on the waiting list."""
    now = timezone.now()
    if event.status != Event.Status.PUBLISHED:
        return 0
    deadline = _offer_deadline(event, now)
    if deadline <= now:
        return 0  # too late for offers: the event has started or registration closed
    free = _seats_free(event)
    waiting = event.registrations.waiting()
    next_ones = list(waiting if free is None else waiting[:free])
    for registration in next_ones:
        registration.status = Registration.Status.OFFERED
        registration.offer_expires_at = deadline
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        emails.send_offer(registration)
    return len(next_ones)


def _locked(registration: Registration) -> tuple[Event, Registration]:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def registration_cancel(*, registration: Registration) -> bool:
    """The person cancels (or leaves the waiting list). A freed seat goes to the next in line."""
    event, registration = _locked(registration)
    if registration.status not in Registration.ACTIVE_STATUSES:
        return False
    held_seat = registration.status in Registration.SEAT_STATUSES
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if held_seat:
        _offer_free_seats(event)
    return True


class OfferGone(Exception):
    def __init__(self, state: str):
        super().__init__(state)
        self.state = state  # "accepted", "expired" or "gone"


@transaction.atomic
def offer_accept(*, registration: Registration) -> str:
    """Returns what happened: "accepted", "expired" (the seat passed on) or "gone". An offer that
    ran out before the job noticed is expired here, and the seat offered on, in this transaction
    (an exception would roll that back)."""
    event, registration = _locked(registration)
    if registration.status == Registration.Status.CONFIRMED:
        return "accepted_before"
    if registration.status == Registration.Status.EXPIRED:
        return "expired"
    if registration.status != Registration.Status.OFFERED:
        return "gone"
    if registration.offer_expires_at <= timezone.now():
        _expire(event, registration)
        return "expired"
    registration.status = Registration.Status.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    emails.send_registration_confirmed(registration)
    return "accepted"


@transaction.atomic
def offer_decline(*, registration: Registration) -> None:
    event, registration = _locked(registration)
    if registration.status != Registration.Status.OFFERED:
        raise OfferGone("accepted" if registration.status == "confirmed" else "gone")
    registration.status = Registration.Status.DECLINED
    registration.save(update_fields=["status", "updated_at"])
    _offer_free_seats(event)


def _expire(event: Event, registration: Registration) -> None:
    registration.status = Registration.Status.EXPIRED
    registration.save(update_fields=["status", "updated_at"])
    _offer_free_seats(event)


def offers_expire() -> int:
    """Offers nobody answered in time pass on to the next person. Safe to run twice: an expired
    offer is no longer OFFERED."""
    expired = 0
    now = timezone.now()
    ids = Registration.objects.filter(
        status=Registration.Status.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(ids):
        with transaction.atomic():
            registration = Registration.objects.get(pk=pk)
            event, registration = _locked(registration)
            if registration.status == Registration.Status.OFFERED and (
                registration.offer_expires_at <= now
            ):
                _expire(event, registration)
                expired += 1
    return expired


@transaction.atomic
def registration_move_in(*, registration: Registration) -> Registration:
    """Staff move someone from the waiting list to a seat by hand; capacity still holds."""
    event, registration = _locked(registration)
    if registration.status not in (Registration.Status.WAITING, Registration.Status.OFFERED):
        raise RegistrationRefused(_("Denne personen står ikke på ventelisten."))
    if registration.status == Registration.Status.WAITING and _seats_free(event) == 0:
        raise RegistrationRefused(_("Arrangementet er fullt. Øk antall plasser først."))
    registration.status = Registration.Status.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    emails.send_registration_confirmed(registration)
    return registration


@transaction.atomic
def attendance_set(*, session: Session, present_ids: set[int]) -> int:
    """Mark exactly these confirmed registrations present at the session. Returns how many."""
    from events.models import Attendance

    confirmed = set(
        session.event.registrations.filter(
            status=Registration.Status.CONFIRMED, pk__in=present_ids
        ).values_list("pk", flat=True)
    )
    Attendance.objects.filter(session=session).exclude(registration_id__in=confirmed).delete()
    Attendance.objects.filter(session=session).update(status=Attendance.Status.PRESENT)
    Attendance.objects.bulk_create(
        [Attendance(session=session, registration_id=pk) for pk in confirmed],
        ignore_conflicts=True,
    )
    return len(confirmed)


def evaluations_invite() -> int:
    """The day after the event ends, everyone marked present gets a link to the evaluation.
    Once per person: the invitation row (one per registration) is the claim."""
    from events.models import EvaluationInvitation

    now = timezone.now()
    sent = 0
    events = Event.objects.filter(
        status=Event.Status.PUBLISHED,
        ends_at__lte=now - timedelta(days=1),
        ends_at__gte=now - timedelta(days=14),
    )
    for event in events:
        present = event.registrations.filter(
            status=Registration.Status.CONFIRMED,
            attendances__status="present",
            invitation__isnull=True,
        ).distinct()
        for registration in present:
            try:
                with transaction.atomic():
                    invitation = EvaluationInvitation.objects.create(
                        event=event, registration=registration
                    )
                    emails.send_evaluation(registration, invitation)
            except IntegrityError:
                continue  # another run invited them first
            sent += 1
    return sent


@transaction.atomic
def evaluation_answer(*, invitation, ratings: dict[int, int], comment: str) -> bool:
    """Store the answers apart from the person: the invitation only learns that it was used."""
    from events.models import EvaluationAnswer, EvaluationInvitation, EvaluationResponse

    claimed = EvaluationInvitation.objects.filter(pk=invitation.pk, answered=False).update(
        answered=True
    )
    if claimed != 1:
        return False  # answered before
    response = EvaluationResponse.objects.create(event_id=invitation.event_id, comment=comment)
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(response=response, question_id=qid, rating=rating)
        for qid, rating in ratings.items()
    )
    return True
