from __future__ import annotations

from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from selvhjelp.text import fold

# Accounts and roles --------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True, is_national_admin=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff of a contact point or district office, a facilitator or a
    national admin. People looking for help never need an account."""

    email = models.EmailField(_("e-post"), unique=True)
    name = models.CharField(_("navn"), max_length=150, blank=True)
    is_national_admin = models.BooleanField(
        _("nasjonal administrator"),
        default=False,
        help_text=_("Kan se og endre alt i hele landet."),
    )
    is_staff = models.BooleanField(_("tilgang til admin"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("opprettet"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split()[0]

    @property
    def district_office_ids(self) -> set[int]:
        if not hasattr(self, "_district_office_ids"):
            self._district_office_ids = set(
                self.district_office_memberships.values_list("district_office_id", flat=True)
            )
        return self._district_office_ids

    @property
    def county_numbers(self) -> set[str]:
        """The counties this user works in as district office staff."""
        if not hasattr(self, "_county_numbers"):
            self._county_numbers = set(
                County.objects.filter(district_office__in=self.district_office_ids).values_list(
                    "number", flat=True
                )
            )
        return self._county_numbers


# Geography -----------------------------------------------------------------------------------


class County(models.Model):
    number = models.CharField(_("fylkesnummer"), max_length=2, primary_key=True)
    name = models.CharField(_("navn"), max_length=100)
    district_office = models.ForeignKey(
        "DistrictOffice",
        verbose_name=_("distriktskontor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counties",
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    number = models.CharField(_("kommunenummer"), max_length=4, primary_key=True)
    name = models.CharField(_("navn"), max_length=100)
    county = models.ForeignKey(
        County, verbose_name=_("fylke"), on_delete=models.PROTECT, related_name="municipalities"
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name, with the county where two municipalities share it (Herøy, Våler)."""
        return f"{self.name} ({self.county.name})"


class PostalCode(models.Model):
    code = models.CharField(_("postnummer"), max_length=4, primary_key=True)
    place = models.CharField(_("poststed"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="postal_codes",
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postnummer")
        verbose_name_plural = _("postnumre")

    def __str__(self) -> str:
        return f"{self.code} {self.place}"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.place)
        super().save(*args, **kwargs)


# District offices ----------------------------------------------------------------------------


class DistrictOfficeQuerySet(models.QuerySet):
    def active(self) -> DistrictOfficeQuerySet:
        """Offices still in service (an office that has closed is switched off, not deleted)."""
        return self.filter(is_active=True)

    def for_county(self, county_number: str | None) -> DistrictOffice | None:
        """The office that covers a county, or None."""
        if county_number is None:
            return None
        return self.filter(counties__number=county_number).first()

    def for_municipality(self, municipality) -> DistrictOffice | None:
        """The office that covers a municipality's county, or None."""
        return self.for_county(municipality.county_id if municipality else None)

    def visible_to(self, user) -> DistrictOfficeQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_national_admin:
            return self
        return self.filter(memberships__user=user).distinct()


class DistrictOffice(models.Model):
    """A regional office of the national competence centre; covers one or more counties."""

    name = models.CharField(_("navn"), max_length=150)
    slug = models.SlugField(unique=True)
    location = models.CharField(_("sted"), max_length=100, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Slå av for kontorer som er lagt ned. Da vises de ikke på nettsidene."),
    )

    objects = DistrictOfficeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("distriktskontor")
        verbose_name_plural = _("distriktskontorer")

    def __str__(self) -> str:
        return self.name


class DistrictOfficeMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="district_office_memberships",
    )
    district_office = models.ForeignKey(
        DistrictOffice, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "district_office"], name="unique_district_office_member"
            )
        ]
        verbose_name = _("ansatt ved distriktskontor")
        verbose_name_plural = _("ansatte ved distriktskontor")

    def __str__(self) -> str:
        return f"{self.user} @ {self.district_office}"


# Email outbox --------------------------------------------------------------------------------


def new_message_id() -> str:
    """A Message-ID in the sender's domain, e.g. <1764....@selvhjelp.example>."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "selvhjelp.invalid"
    return make_msgid(domain=domain)


class OutgoingEmail(models.Model):
    """One email, written in the same transaction as the change that caused it.

    A Celery task sends it after commit; a periodic sweep sends whatever is still pending.
    Sending claims the row with a conditional update, so it goes out once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("venter")
        SENDING = "sending", _("sendes")
        SENT = "sent", _("sendt")
        FAILED = "failed", _("feilet")
        SKIPPED = "skipped", _("ikke sendt (sperret adresse)")

    kind = models.CharField(_("type"), max_length=80)
    to = models.EmailField(_("mottaker"))
    subject = models.CharField(_("emne"), max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("siste feil"), max_length=500, blank=True)
    # The same Message-ID on every attempt, so a receiving system can drop a second copy.
    message_id = models.CharField(
        _("Message-ID"), max_length=255, unique=True, default=new_message_id, editable=False
    )
    # The relay went quiet after it had the whole message: it may have delivered it. Such a
    # row waits OUTBOX_UNCERTAIN_RETRY_SECONDS before the next try (see selvhjelp/outbox.py).
    delivery_uncertain = models.BooleanField(_("kanskje levert"), default=False)
    # Why it was not sent: the address is on the suppression list (a bounce or a complaint).
    skipped_reason = models.CharField(_("hvorfor ikke sendt"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class OutgoingEmailAttachment(models.Model):
    """A file sent with an outbox email (a calendar file). Stored with the row, so a retry sends
    exactly what the first try would have sent."""

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("filnavn"), max_length=150)
    content_type = models.CharField(_("type"), max_length=100)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    def __str__(self) -> str:
        return self.filename


class AuditEntry(models.Model):
    """Who looked at, exported, changed or erased personal data, and when. Append-only: the
    database refuses updates and deletes (see the migration that adds the trigger). Holds ids,
    never the personal data itself."""

    class Action(models.TextChoices):
        VIEW = "view", _("Så")
        LIST = "list", _("Så liste")
        CREATE = "create", _("Opprettet")
        UPDATE = "update", _("Endret")
        EXPORT = "export", _("Eksporterte")
        ERASE = "erase", _("Slettet")

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hvem"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("hva"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("type"), max_length=60)
    object_id = models.CharField(_("id"), max_length=60, blank=True)
    contact_point_id = models.BigIntegerField(_("kontaktpunkt"), null=True, blank=True)
    detail = models.CharField(_("detaljer"), max_length=250, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("loggføring")
        verbose_name_plural = _("revisjonslogg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


# Suppression list ----------------------------------------------------------------------------


def address_hash(email: str) -> str:
    """A keyed hash of the normalised address: the list must not be a list of addresses, and
    a plain SHA-256 of an address is easy to reverse with a list of guesses."""
    import hashlib
    import hmac

    normalised = (email or "").strip().lower()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class SuppressedAddressQuerySet(models.QuerySet):
    def for_email(self, email: str) -> SuppressedAddressQuerySet:
        return self.filter(address_hash=address_hash(email))

    def blocking_all_mail(self) -> SuppressedAddressQuerySet:
        """Bounces and complaints stop every email; leaving the newsletter stops newsletters."""
        return self.exclude(reason=SuppressedAddress.Reason.UNSUBSCRIBED)


class SuppressedAddress(models.Model):
    """An address the portal must not write to, shared by every email it sends (the outbox
    skips it) and by the newsletter. Holds a hash, never the address."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("finnes ikke (hard retur)")
        SOFT_BOUNCE = "soft_bounce", _("gjentatte midlertidige returer")
        COMPLAINT = "complaint", _("klage (merket som søppelpost)")
        UNSUBSCRIBED = "unsubscribed", _("meldt seg av nyhetsbrevet")

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("grunn"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SuppressedAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("sperret adresse")
        verbose_name_plural = _("sperrede adresser")

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… ({self.reason})"

    @classmethod
    def suppress(cls, email: str, reason: str) -> SuppressedAddress:
        """Idempotent; a bounce or complaint replaces a mere unsubscribe."""
        row, created = cls.objects.get_or_create(
            address_hash=address_hash(email), defaults={"reason": reason}
        )
        if not created and row.reason == cls.Reason.UNSUBSCRIBED and reason != row.reason:
            row.reason = reason
            row.save(update_fields=["reason"])
        return row
