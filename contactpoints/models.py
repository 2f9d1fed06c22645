from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from selvhjelp.cache import bump_public_data_version
from selvhjelp.geo import within_km
from selvhjelp.models import Municipality, PostalCode


class ContactPointQuerySet(models.QuerySet):
    def published(self) -> ContactPointQuerySet:
        return self.filter(is_published=True)

    def near(self, latitude: float, longitude: float, km: float | None) -> ContactPointQuerySet:
        """Contact points within `km` (all if None), annotated with `distance_km`, nearest first."""
        return within_km(self, latitude, longitude, km).order_by("distance_km", "name")

    def in_counties(self, county_numbers: Iterable[str]) -> ContactPointQuerySet:
        """Contact points hosted in the counties: a district office's area."""
        return self.filter(municipality__county__in=county_numbers)

    def visible_to(self, user) -> ContactPointQuerySet:
        """Contact points a staff user may work with: their own, those in their district office's
        counties, or all of them for a national admin. Nothing for anyone else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_national_admin:
            return self
        return self.filter(
            models.Q(memberships__user=user)
            | models.Q(municipality__county__district_office__memberships__user=user)
        ).distinct()


class ContactPoint(models.Model):
    """A local place to turn to (kontaktpunkt for selvhjelp), hosted by an organisation."""

    class HostKind(models.TextChoices):
        VOLUNTEER_CENTRE = "frivilligsentral", _("Frivilligsentral")
        HEALTHY_LIVING_CENTRE = "frisklivssentral", _("Frisklivssentral")
        MUNICIPAL_SERVICE = "kommunal", _("Kommunal tjeneste")
        VOLUNTARY_ORGANISATION = "organisasjon", _("Frivillig organisasjon")
        LINK_CENTRE = "link", _("LINK-senter")
        OTHER = "annet", _("Annet")

    name = models.CharField(_("navn"), max_length=150)
    slug = models.SlugField(unique=True, max_length=160)
    host_organisation = models.CharField(_("vertsorganisasjon"), max_length=150)
    host_kind = models.CharField(_("type vertskap"), max_length=20, choices=HostKind.choices)
    street_address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.ForeignKey(
        PostalCode,
        verbose_name=_("postnummer"),
        on_delete=models.PROTECT,
        related_name="contact_points",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="contact_points",
    )
    latitude = models.FloatField(_("breddegrad"), db_index=True)
    longitude = models.FloatField(_("lengdegrad"), db_index=True)
    municipalities_served = models.ManyToManyField(
        Municipality,
        verbose_name=_("kommuner det betjener"),
        related_name="served_by",
        blank=True,
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    website = models.URLField(_("nettside"), blank=True)
    opening_hours = models.TextField(_("åpningstider"), blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    is_published = models.BooleanField(_("publisert"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ContactPointMembership",
        related_name="contact_points",
        blank=True,
    )

    objects = ContactPointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kontaktpunkt")
        verbose_name_plural = _("kontaktpunkter")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contactpoints:contactpoint-detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        # Coordinates follow the postcode unless someone placed the point by hand.
        if self.postal_code_id and (self.latitude is None or self.longitude is None):
            self.latitude = self.postal_code.latitude
            self.longitude = self.postal_code.longitude
        if self.postal_code_id and not self.municipality_id:
            self.municipality_id = self.postal_code.municipality_id
        super().save(*args, **kwargs)
        bump_public_data_version()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_public_data_version()
        return result


class ContactPointMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_point_memberships",
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "contact_point"], name="unique_contact_point_member"
            )
        ]
        verbose_name = _("ansatt ved kontaktpunkt")
        verbose_name_plural = _("ansatte ved kontaktpunkt")

    def __str__(self) -> str:
        return f"{self.user} @ {self.contact_point}"


class Facilitator(models.Model):
    """A trained person (igangsetter) who joins a new group's first meetings."""

    name = models.CharField(_("navn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("brukerkonto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitator",
    )
    contact_points = models.ManyToManyField(
        ContactPoint, verbose_name=_("kontaktpunkter"), related_name="facilitators", blank=True
    )
    trained_on = models.DateField(_("kurs fullført"), null=True, blank=True)
    trained_where = models.CharField(_("kurssted"), max_length=150, blank=True)
    availability = models.CharField(_("tilgjengelighet"), max_length=250, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("igangsetter")
        verbose_name_plural = _("igangsettere")

    def __str__(self) -> str:
        return self.name


class ContactPointApplicationQuerySet(models.QuerySet):
    def in_counties(self, county_numbers: Iterable[str]) -> ContactPointApplicationQuerySet:
        """Applications from the counties (by the applicant's postcode)."""
        return self.filter(postal_code__municipality__county__in=county_numbers)

    def pending(self) -> ContactPointApplicationQuerySet:
        return self.filter(status=ContactPointApplication.Status.PENDING)


class ContactPointApplication(models.Model):
    """An organisation's application to become a contact point; decided by the district office."""

    class Status(models.TextChoices):
        PENDING = "venter", _("Venter")
        APPROVED = "godkjent", _("Godkjent")
        DECLINED = "avslatt", _("Avslått")

    organisation = models.CharField(_("organisasjon"), max_length=150)
    host_kind = models.CharField(
        _("type organisasjon"), max_length=20, choices=ContactPoint.HostKind.choices
    )
    street_address = models.CharField(_("adresse"), max_length=200)
    postal_code = models.ForeignKey(
        PostalCode, verbose_name=_("postnummer"), on_delete=models.PROTECT, related_name="+"
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner dere vil dekke"), related_name="+"
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=150)
    contact_email = models.EmailField(_("e-post til kontaktpersonen"))
    contact_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    message = models.TextField(_("fortell litt om dere"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("begrunnelse"), blank=True)
    contact_point = models.OneToOneField(
        ContactPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactPointApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("søknad om å bli kontaktpunkt")
        verbose_name_plural = _("søknader om å bli kontaktpunkt")

    def __str__(self) -> str:
        return self.organisation
