"""Events (arrangementer): information meetings, seminars, webinars, conferences, and later
facilitator courses (igangsetterkurs), which are events of their own kind with several
sessions. Registrations hold the waiting list too: a waiting or offered registration is a
waiting-list entry, so one row follows a person from the list to a seat."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpoints.models import ContactPoint, Facilitator
from selvhjelp.models import DistrictOffice, Municipality


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        """What the public sees: published and cancelled events (a cancelled event stays visible,
        marked, so people who planned to come find out)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now())

    def past(self) -> EventQuerySet:
        return self.filter(ends_at__lt=timezone.now())

    def organised_by_contact_point(self, contact_point: ContactPoint) -> EventQuerySet:
        return self.filter(contact_point=contact_point)

    def organised_by_office(self, office: DistrictOffice) -> EventQuerySet:
        return self.filter(district_office=office)


class Event(models.Model):
    class Kind(models.TextChoices):
        INFORMATION_MEETING = "information", _("Informasjonsmøte")
        NETWORK_MEETING = "network", _("Nettverksmøte")
        EXPERIENCE_GATHERING = "experience", _("Erfaringssamling")
        SEMINAR = "seminar", _("Seminar")
        WEBINAR = "webinar", _("Webinar")
        CONFERENCE = "conference", _("Konferanse")
        # Facilitator courses build on events: several sessions, certificates.
        COURSE = "course", _("Igangsetterkurs")
        OTHER = "other", _("Annet")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Alle som vil vite mer om selvhjelp")
        MUNICIPAL_STAFF = "municipal", _("Ansatte i kommunen")
        FACILITATORS = "facilitators", _("Igangsettere")
        PARTNERS = "partners", _("Samarbeidspartnere")

    class Format(models.TextChoices):
        PHYSICAL = "physical", _("Fysisk")
        DIGITAL = "digital", _("Digitalt")
        HYBRID = "hybrid", _("Fysisk og digitalt")

    class CourseAudience(models.TextChoices):
        VOLUNTEERS = "volunteers", _("Frivillige")
        PROFESSIONALS = "professionals", _("Fagfolk")
        STUDENTS = "students", _("Studenter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publisert")
        CANCELLED = "cancelled", _("Avlyst")

    title = models.CharField(_("tittel"), max_length=150)
    slug = models.SlugField(unique=True, max_length=170)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the .ics UID
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    audience = models.CharField(_("for hvem"), max_length=20, choices=Audience.choices)
    description = models.TextField(_("beskrivelse"))
    follow_up_text = models.CharField(_("hva kan deltakerne gjøre etterpå"), max_length=250)
    follow_up_url = models.URLField(_("lenke til neste steg"), blank=True)
    # The organiser: a contact point, a district office, or neither (the national office).
    contact_point = models.ForeignKey(
        ContactPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("kontaktpunkt"),
    )
    district_office = models.ForeignKey(
        DistrictOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("distriktskontor"),
    )
    format = models.CharField(_("form"), max_length=10, choices=Format.choices)
    venue = models.CharField(_("sted og adresse"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("kommune"),
    )
    # Sent in the confirmation and reminders only, never shown on a public page.
    join_url = models.URLField(_("lenke for å delta digitalt"), blank=True)
    capacity = models.PositiveIntegerField(
        _("antall plasser"), null=True, blank=True, help_text=_("Tomt betyr ubegrenset.")
    )
    registration_opens_at = models.DateTimeField(_("påmeldingen åpner"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("påmeldingen stenger"), null=True, blank=True)
    ask_diet = models.BooleanField(_("spør om allergier og mat"), default=False)
    ask_accessibility = models.BooleanField(_("spør om tilrettelegging"), default=False)
    ask_organisation = models.BooleanField(_("spør om organisasjon"), default=False)
    question = models.CharField(_("eget spørsmål"), max_length=200, blank=True)
    reminder_days = ArrayField(
        models.PositiveSmallIntegerField(),
        default=list,
        blank=True,
        verbose_name=_("påminnelser (dager før)"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Courses only: who the course is for, and how many sessions make it completed.
    course_audience = models.CharField(
        _("kurset er for"), max_length=20, choices=CourseAudience.choices, blank=True
    )
    completion_minimum = models.PositiveSmallIntegerField(
        _("minste antall økter for å fullføre"),
        null=True,
        blank=True,
        help_text=_("Tomt betyr at deltakeren må være med på alle øktene."),
    )
    # Goes up when time, place or join link changes, so calendar apps replace the old entry.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The first start and the last end of the sessions, kept by the services, for lists and filters.
    starts_at = models.DateTimeField(null=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(null=True, editable=False, db_index=True)
    # Personal data was deleted after the retention period; the counts below stay.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    count_registered = models.PositiveIntegerField(default=0, editable=False)
    count_attended = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_point__isnull=True) | Q(district_office__isnull=True),
                name="event_one_organiser",
            )
        ]
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.kind == self.Kind.COURSE:
            # A course is given by the national office or a district office.
            if self.contact_point_id:
                raise ValidationError(
                    {
                        "kind": _(
                            "Igangsetterkurs holdes av Selvhjelp Norge eller et distriktskontor."
                        )
                    }
                )
            if not self.course_audience:
                raise ValidationError({"course_audience": _("Velg hvem kurset er for.")})

    @property
    def organiser_name(self) -> str:
        if self.contact_point_id:
            return self.contact_point.name
        if self.district_office_id:
            return self.district_office.name
        return str(_("Selvhjelp Norge"))

    @property
    def is_course(self) -> bool:
        return self.kind == self.Kind.COURSE

    @property
    def is_digital(self) -> bool:
        return self.format in (self.Format.DIGITAL, self.Format.HYBRID)

    @property
    def is_physical(self) -> bool:
        return self.format in (self.Format.PHYSICAL, self.Format.HYBRID)

    def registration_closed_reason(self, now=None) -> str:
        """Why no one can register now, or "" when they can (capacity aside)."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return str(_("Arrangementet er avlyst."))
        if self.status != self.Status.PUBLISHED:
            return str(_("Arrangementet er ikke publisert."))
        if self.starts_at and self.starts_at <= now:
            return str(_("Arrangementet har allerede startet."))
        if self.registration_opens_at and now < self.registration_opens_at:
            return str(_("Påmeldingen har ikke åpnet ennå."))
        if self.registration_closes_at and now >= self.registration_closes_at:
            return str(_("Påmeldingen er stengt."))
        return ""


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]
        verbose_name = _("økt")
        verbose_name_plural = _("økter")

    def __str__(self) -> str:
        return f"{self.event} {self.starts_at:%Y-%m-%d %H:%M}"


class RegistrationQuerySet(models.QuerySet):
    def holding_seat(self) -> RegistrationQuerySet:
        """Confirmed, and offered a seat that is held for them until the offer runs out."""
        return self.filter(status__in=Registration.SEAT_STATUSES)

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Påmeldt")
        WAITING = "waiting", _("På venteliste")
        OFFERED = "offered", _("Tilbudt plass")
        CANCELLED = "cancelled", _("Avmeldt")
        DECLINED = "declined", _("Takket nei")
        EXPIRED = "expired", _("Tilbudet gikk ut")

    SEAT_STATUSES = [Status.CONFIRMED, Status.OFFERED]
    ACTIVE_STATUSES = [Status.CONFIRMED, Status.OFFERED, Status.WAITING]

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # The key in the signed links; never the row id, which would reveal how many registered.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("navn"), max_length=150)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    diet = models.CharField(_("allergier og mat"), max_length=250, blank=True)
    accessibility = models.CharField(_("tilrettelegging"), max_length=250, blank=True)
    organisation = models.CharField(_("organisasjon"), max_length=150, blank=True)
    # Courses: the contact point the person comes from (picked from the list), if any.
    from_contact_point = models.ForeignKey(
        ContactPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_registrations",
        verbose_name=_("kommer fra kontaktpunkt"),
    )
    answer = models.CharField(_("svar"), max_length=500, blank=True)
    consent_version = models.CharField(max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per person and event: a second try resends the confirmation.
            models.UniqueConstraint(
                "event",
                models.functions.Lower("email"),
                condition=Q(status__in=["confirmed", "offered", "waiting"]),
                name="registration_one_active_per_email",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")

    def __str__(self) -> str:
        return f"{self.event}: {self.get_status_display()}"


class ReminderDelivery(models.Model):
    """One reminder to one person: the row is the claim, written in the same transaction as the
    outbox email, so a job that runs twice (or dies half-way) sends each reminder once."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("sendt")
        MISSED = "missed", _("for sent")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "days_before"], name="reminder_once_per_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} -{self.days_before}d {self.outcome}"


class AttendanceQuerySet(models.QuerySet):
    def present(self) -> AttendanceQuerySet:
        return self.filter(status=Attendance.Status.PRESENT)


class Attendance(models.Model):
    """Whether a person was there, at one session: present, or (courses) absent or excused."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Til stede")
        ABSENT = "absent", _("Borte")
        EXCUSED = "excused", _("Meldt forfall")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(
        _("oppmøte"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )
    marked_at = models.DateTimeField(default=timezone.now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="attendance_once_per_session"
            )
        ]
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøte")

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id}"


class EvaluationQuestion(models.Model):
    """A 1–5 question asked after every event of a kind; national staff keep them in the admin."""

    kind = models.CharField(_("type arrangement"), max_length=20, choices=Event.Kind.choices)
    text = models.CharField(_("spørsmål"), max_length=200)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    is_active = models.BooleanField(_("i bruk"), default=True)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = _("evalueringsspørsmål")
        verbose_name_plural = _("evalueringsspørsmål")

    def __str__(self) -> str:
        return self.text


class EvaluationInvitation(models.Model):
    """That a person was asked, and whether they answered: kept apart from the answers, with no
    time and no link to them, so no answer can be tied to a person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, related_name="invitation"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answered = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("evalueringsinvitasjon")
        verbose_name_plural = _("evalueringsinvitasjoner")

    def __str__(self) -> str:
        return f"{self.event_id}: {self.answered}"


class EvaluationResponse(models.Model):
    """One anonymous set of answers. A random key and no time: neither the order of the rows nor
    a timestamp can be matched against who answered when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="responses")
    comment = models.TextField(_("kommentar"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("evalueringssvar")
        verbose_name_plural = _("evalueringssvar")

    def __str__(self) -> str:
        return str(self.event_id)


class EvaluationAnswer(models.Model):
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(EvaluationQuestion, on_delete=models.PROTECT)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="evaluation_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating}"


# Facilitator courses ---------------------------------------------------------------


class CourseCompletion(models.Model):
    """The decision, after a course's last session, whether a person completed it. `met_rule`
    is what the attendance said; staff may decide otherwise, with a reason."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="completion"
    )
    completed = models.BooleanField(_("fullført"))
    met_rule = models.BooleanField(_("oppfylte kravet"))
    override_reason = models.CharField(_("begrunnelse"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Deciding against the attendance always needs a reason.
            models.CheckConstraint(
                condition=Q(completed=models.F("met_rule")) | ~Q(override_reason=""),
                name="completion_override_has_reason",
            )
        ]
        verbose_name = _("fullføring")
        verbose_name_plural = _("fullføringer")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.completed}"


class CertificateQuerySet(models.QuerySet):
    def valid(self) -> CertificateQuerySet:
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """A course certificate. The code is random (128 bits or more) and never changes, also when
    the certificate is reissued after a name correction: the QR code on a printed copy keeps
    working."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("navn på beviset"), max_length=150)
    issued_at = models.DateTimeField(default=timezone.now)
    reissued_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("kursbevis")
        verbose_name_plural = _("kursbevis")

    def __str__(self) -> str:
        return f"{self.registration_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class FacilitatorTraining(models.Model):
    """A completed course in the facilitator registry: links the person's Facilitator record to
    the course, and (pending until the contact point confirms) to the contact point they came
    from."""

    facilitator = models.ForeignKey(Facilitator, on_delete=models.CASCADE, related_name="trainings")
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="facilitator_training"
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitator_trainings",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("igangsetterkurs fullført")
        verbose_name_plural = _("igangsetterkurs fullført")

    def __str__(self) -> str:
        return f"{self.facilitator_id}@{self.registration_id}"
