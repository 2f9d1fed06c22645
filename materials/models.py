"""Brochures and booklets (titles), their stock, and the orders for them.

Stock: `stock` is what is on the shelf, `reserved` what open orders have been promised. Both are
changed only by `materials.services` with the title rows locked, and the database refuses a
negative value or more reserved than is on the shelf, so no race can oversell.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from selvhjelp.models import County, PostalCode

COVER_MAX_BYTES = 2 * 1024 * 1024
PDF_MAX_BYTES = 20 * 1024 * 1024


def validate_cover(file) -> None:
    """A cover must be an image Pillow can read, and not huge."""
    from PIL import Image

    if file.size > COVER_MAX_BYTES:
        raise ValidationError(_("Bildet er for stort. Det kan være på høyst 2 MB."), code="too_big")
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
    except Exception:
        raise ValidationError(
            _("Filen er ikke et bilde vi kan lese. Last opp en JPEG- eller PNG-fil."),
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)


def validate_pdf(file) -> None:
    if file.size > PDF_MAX_BYTES:
        raise ValidationError(
            _("PDF-filen er for stor. Den kan være på høyst 20 MB."), code="too_big"
        )
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Filen er ikke en PDF."), code="not_a_pdf")


class MaterialQuerySet(models.QuerySet):
    def published(self) -> MaterialQuerySet:
        return self.filter(is_published=True)

    def orderable(self) -> MaterialQuerySet:
        return self.published().filter(is_orderable=True)


class Material(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Alle")
        RELATIVES = "relatives", _("Pårørende")
        PARTICIPANTS = "participants", _("Deltakere")
        CONTACT_POINTS = "contact_points", _("Kontaktpunkter")
        FACILITATORS = "facilitators", _("Igangsettere")
        HEALTH_SERVICES = "health_services", _("Helsetjenesten")

    class Language(models.TextChoices):
        BOKMAL = "nb", _("Bokmål")
        NYNORSK = "nn", _("Nynorsk")
        SAMI = "se", _("Nordsamisk")
        ENGLISH = "en", _("Engelsk")

    class Format(models.TextChoices):
        POCKET = "pocket", _("Lommebrosjyre")
        BROCHURE = "brochure", _("Brosjyre")
        BOOKLET = "booklet", _("Hefte")
        POSTER = "poster", _("Plakat")

    title = models.CharField(_("tittel"), max_length=150)
    slug = models.SlugField(unique=True, max_length=160)
    description = models.TextField(_("kort beskrivelse"), max_length=1000)
    audience = models.CharField(_("målgruppe"), max_length=20, choices=Audience.choices)
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language.choices),
        verbose_name=_("språk"),
        default=list,
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    cover = models.ImageField(
        _("omslag"), upload_to="materials/covers/", blank=True, validators=[validate_cover]
    )
    pdf = models.FileField(
        _("PDF til nedlasting"), upload_to="materials/pdf/", blank=True, validators=[validate_pdf]
    )
    is_published = models.BooleanField(_("vises i katalogen"), default=True)
    is_orderable = models.BooleanField(_("kan bestilles på trykk"), default=True)
    stock = models.PositiveIntegerField(_("på lager"), default=0)
    reserved = models.PositiveIntegerField(_("reservert"), default=0, editable=False)
    low_stock_threshold = models.PositiveIntegerField(_("varsle når lageret er under"), default=50)
    # Set when the low-stock email goes out, cleared by a restock: one email per shortage.
    low_stock_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    allow_backorder = models.BooleanField(_("ta imot restordre for ansatte"), default=False)
    public_cap = models.PositiveIntegerField(
        _("største antall per bestilling (publikum)"), default=10
    )
    staff_cap = models.PositiveIntegerField(
        _("største antall per bestilling (ansatte)"), default=200
    )
    sort_order = models.PositiveSmallIntegerField(_("rekkefølge"), default=100)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("materiell")
        verbose_name_plural = _("materiell")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("stock")),
                name="material_reserved_within_stock",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # The catalogue's own pages share /materiell/<slug>/ with the titles.
    RESERVED_SLUGS = frozenset({"bestill", "bestilling", "ekspedering", "lager", "tall"})

    def clean(self) -> None:
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("Denne adressen er i bruk på nettstedet. Velg en annen.")}
            )

    @property
    def available(self) -> int:
        return self.stock - self.reserved

    def cap_for(self, *, staff: bool) -> int:
        return self.staff_cap if staff else self.public_cap

    def language_labels(self) -> list[str]:
        labels = dict(self.Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class Restock(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="restocks")
    quantity = models.PositiveIntegerField(_("antall"))
    note = models.CharField(_("merknad"), max_length=250)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.material} +{self.quantity}"


class OrderQuerySet(models.QuerySet):
    def open(self) -> OrderQuerySet:
        return self.filter(status__in=Order.OPEN_STATUSES)

    def for_list(self) -> OrderQuerySet:
        return self.select_related("postal_code", "county").prefetch_related("lines__material")


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Venter på godkjenning")
        RECEIVED = "received", _("Mottatt")
        PACKED = "packed", _("Pakket")
        SHIPPED = "shipped", _("Sendt")
        CANCELLED = "cancelled", _("Avbestilt")

    OPEN_STATUSES = (Status.AWAITING_APPROVAL, Status.RECEIVED, Status.PACKED)
    CANCELLABLE_BY_PERSON = (Status.AWAITING_APPROVAL, Status.RECEIVED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    is_staff_order = models.BooleanField(default=False)
    contact_point = models.ForeignKey(
        "contactpoints.ContactPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="material_orders",
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Personal data: blanked a set time after shipping (materials.jobs), leaving the counts.
    name = models.CharField(_("navn"), max_length=150)
    organisation = models.CharField(_("organisasjon"), max_length=150, blank=True)
    street_address = models.CharField(_("adresse"), max_length=200)
    postal_code = models.ForeignKey(
        PostalCode,
        verbose_name=_("postnummer"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    # Kept after the address is deleted: the year's figures are per county.
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, related_name="+")
    review_reason = models.CharField(_("hvorfor den venter"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bestilling")
        verbose_name_plural = _("bestillinger")
        indexes = [models.Index(fields=["status", "created_at"], name="order_status_created")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def number(self) -> str:
        return f"M-{self.pk:05d}"

    @property
    def total_copies(self) -> int:
        return sum(line.quantity for line in self.lines.all())

    @property
    def can_be_cancelled_by_person(self) -> bool:
        return self.status in self.CANCELLABLE_BY_PERSON


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField(_("antall"))
    # A back-order line reserved nothing: it is sent when the shelf has it (staff orders only).
    is_backorder = models.BooleanField(default=False)

    class Meta:
        ordering = ["material__sort_order", "material__title"]
        constraints = [
            models.UniqueConstraint(fields=["order", "material"], name="order_line_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.material}"


class OrderEvent(models.Model):
    """The order's history: who moved it to which status, and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Order.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.status}"
