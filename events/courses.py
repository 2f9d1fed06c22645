"""Facilitator courses: attendance per session, completion after the last session,
certificates (issue, revoke, reissue) and the facilitator registry. A course is an Event of kind
COURSE; registration, capacity, the waiting list, calendar files and reminders are events'."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpoints.models import ContactPoint, Facilitator
from events import certificates, emails
from events.models import (
    Attendance,
    Certificate,
    CourseCompletion,
    Event,
    FacilitatorTraining,
    Registration,
    Session,
)
from selvhjelp.audit import audit_log


class CourseRefused(Exception):
    """The action cannot be done; `message` says why, for the staff member."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def required_sessions(event: Event, session_count: int) -> int:
    """How many sessions a person must attend to complete: all (default) or the minimum."""
    if event.completion_minimum:
        return min(event.completion_minimum, session_count)
    return session_count


@transaction.atomic
def course_attendance_set(*, session: Session, marks: dict[int, str]) -> int:
    """Mark present / absent / excused for confirmed registrations at one session. Refuses the
    whole set (nothing saved) for a cancelled course or anyone not registered."""
    event = Event.objects.select_for_update().get(pk=session.event_id)
    if event.status == Event.Status.CANCELLED:
        raise CourseRefused(_("Kurset er avlyst. Oppmøte kan ikke føres."))
    valid = set(Attendance.Status.values)
    if any(status not in valid for status in marks.values()):
        raise CourseRefused(_("Velg til stede, borte eller meldt forfall."))
    confirmed = set(
        event.registrations.filter(
            status=Registration.Status.CONFIRMED, pk__in=marks.keys()
        ).values_list("pk", flat=True)
    )
    if confirmed != set(marks):
        raise CourseRefused(_("Noen på listen er ikke påmeldt kurset. Ingenting ble lagret."))
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, registration_id=pk, status=status, marked_at=now)
            for pk, status in marks.items()
        ],
        update_conflicts=True,
        unique_fields=["registration", "session"],
        update_fields=["status", "marked_at"],
    )
    return len(marks)


def completion_rows(event: Event) -> list[dict]:
    """Everyone with a seat, how many sessions they attended and whether that meets the rule.
    Three queries, whatever the number of people."""
    session_count = event.sessions.count()
    needed = required_sessions(event, session_count)
    registrations = list(
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("completion", "certificate", "from_contact_point")
        .order_by("name", "pk")
    )
    present: dict[int, int] = {}
    for reg_id in (
        Attendance.objects.present()
        .filter(registration__event=event)
        .values_list("registration_id", flat=True)
    ):
        present[reg_id] = present.get(reg_id, 0) + 1
    rows = []
    for registration in registrations:
        attended = present.get(registration.pk, 0)
        rows.append(
            {
                "registration": registration,
                "attended": attended,
                "met_rule": session_count > 0 and attended >= needed,
                "completion": getattr(registration, "completion", None),
                "certificate": getattr(registration, "certificate", None),
            }
        )
    return rows


@transaction.atomic
def course_complete(
    *, event: Event, actor=None, decisions: dict[int, tuple[bool, str]] | None = None
) -> int:
    """Decide completion for everyone with a seat, after the last session. Those who meet the
    rule complete; `decisions` maps a registration to (completed, reason) where staff decide
    otherwise, which needs a reason (ValidationError keyed by registration id, nothing saved).
    Completing issues and emails the certificate and updates the facilitator registry. Safe to
    run twice: a certificate is issued once. Returns how many completed."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_course:
        raise CourseRefused(_("Bare igangsetterkurs kan fullføres."))
    if event.status == Event.Status.CANCELLED:
        raise CourseRefused(_("Kurset er avlyst."))
    if event.ends_at is None or event.ends_at > timezone.now():
        raise CourseRefused(_("Kurset kan fullføres etter siste økt."))
    decisions = decisions or {}
    rows = completion_rows(event)
    known = {row["registration"].pk for row in rows}
    errors = {}
    if set(decisions) - known:
        raise CourseRefused(_("Personen er ikke påmeldt kurset."))
    for row in rows:
        pk = row["registration"].pk
        completed, reason = decisions.get(pk, (row["met_rule"], ""))
        if completed != row["met_rule"] and not reason.strip():
            errors[str(pk)] = _(
                "Skriv en begrunnelse når du avgjør noe annet enn oppmøtet tilsier."
            )
    if errors:
        raise ValidationError(errors)
    done = 0
    for row in rows:
        registration = row["registration"]
        completed, reason = decisions.get(registration.pk, (row["met_rule"], ""))
        reason = reason.strip() if completed != row["met_rule"] else ""
        completion, _created = CourseCompletion.objects.update_or_create(
            registration=registration,
            defaults={
                "completed": completed,
                "met_rule": row["met_rule"],
                "override_reason": reason,
                "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
                "decided_at": timezone.now(),
            },
        )
        if reason:
            # The reason stays on the completion row; the audit log gets ids only.
            audit_log(
                actor=actor,
                action="update",
                object_type="course-completion-override",
                object_id=completion.pk,
                detail="completed" if completed else "not-completed",
            )
        if completed:
            done += 1
            _certificate_issue(registration)
            _facilitator_record(registration, event)
    return done


def _certificate_issue(registration: Registration) -> Certificate:
    certificate = Certificate.objects.filter(registration=registration).first()
    if certificate is not None:
        return certificate  # issued before: the code and the sent email stay
    certificate = Certificate.objects.create(
        registration=registration, code=certificates.new_code(), name=registration.name
    )
    emails.send_certificate(certificate)
    return certificate


def _facilitator_record(registration: Registration, event: Event) -> FacilitatorTraining:
    """Create or update the person's Facilitator record (by email) and its training row; the
    link to the contact point they came from waits for the contact point to confirm."""
    facilitator = (
        Facilitator.objects.filter(email__iexact=registration.email).order_by("pk").first()
    )
    if facilitator is None:
        facilitator = Facilitator(name=registration.name, email=registration.email)
    last_day = timezone.localtime(event.ends_at).date()
    if facilitator.trained_on is None or facilitator.trained_on <= last_day:
        facilitator.trained_on = last_day
        facilitator.trained_where = f"{event.title}, {event.organiser_name}"[:150]
    facilitator.full_clean()
    facilitator.save()
    training, _created = FacilitatorTraining.objects.get_or_create(
        registration=registration,
        defaults={"facilitator": facilitator, "contact_point": registration.from_contact_point},
    )
    return training


def courses_complete_due() -> int:
    """The job after the last session: courses that ended (up to two weeks ago) and have no
    decisions yet are completed by the rule. Staff can decide otherwise afterwards."""
    now = timezone.now()
    done = 0
    due = Event.objects.filter(
        kind=Event.Kind.COURSE,
        status=Event.Status.PUBLISHED,
        ends_at__lte=now,
        ends_at__gte=now - timezone.timedelta(days=14),
    ).exclude(registrations__completion__isnull=False)
    for event in due:
        done += course_complete(event=event)
    return done


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor,
            action="update",
            object_type="certificate-revoke",
            object_id=certificate.pk,
        )
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, name: str, actor) -> Certificate:
    """A name correction: a new PDF by email, the same code (printed QR codes keep working)."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    name = " ".join(name.split())
    if certificate.revoked_at is not None:
        raise ValidationError(
            {"name": _("Beviset er trukket tilbake og kan ikke utstedes på nytt.")}
        )
    if not name:
        raise ValidationError({"name": _("Skriv navnet slik det skal stå på beviset.")})
    certificate.name = name
    certificate.reissued_at = timezone.now()
    certificate.full_clean()
    certificate.save(update_fields=["name", "reissued_at"])
    registration = certificate.registration
    registration.name = name
    registration.save(update_fields=["name", "updated_at"])
    audit_log(
        actor=actor, action="update", object_type="certificate-reissue", object_id=certificate.pk
    )
    emails.send_certificate(certificate)
    return certificate


@transaction.atomic
def facilitator_training_confirm(
    *, training: FacilitatorTraining, contact_point: ContactPoint, actor
) -> FacilitatorTraining:
    """The contact point confirms that the trained person is one of theirs."""
    training = FacilitatorTraining.objects.select_for_update().get(pk=training.pk)
    if training.contact_point_id != contact_point.pk:
        raise CourseRefused(_("Denne igangsetteren er ikke knyttet til dere."))
    if training.confirmed_at is None:
        training.confirmed_at = timezone.now()
        training.save(update_fields=["confirmed_at"])
        training.facilitator.contact_points.add(contact_point)
        audit_log(
            actor=actor,
            action="update",
            object_type="facilitator-training-confirm",
            object_id=training.pk,
            contact_point_id=contact_point.pk,
        )
    return training


@transaction.atomic
def gathering_invite(*, facilitators: list[Facilitator], event: Event, office, actor) -> int:
    """Email the chosen facilitators an invitation to an experience gathering."""
    if event.kind != Event.Kind.EXPERIENCE_GATHERING or event.status != Event.Status.PUBLISHED:
        raise CourseRefused(_("Velg en publisert erfaringssamling."))
    sent = 0
    for facilitator in facilitators:
        if facilitator.email:
            emails.send_gathering_invitation(facilitator=facilitator, event=event, office=office)
            sent += 1
    audit_log(
        actor=actor,
        action="create",
        object_type="gathering-invitation",
        object_id=event.pk,
        detail=str(sent),
    )
    return sent
