from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpoints.models import ContactPoint, Facilitator
from selvhjelp.models import Municipality


class Topic(models.Model):
    """What a group is about. A controlled list, kept by national staff."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    description = models.CharField(_("kort forklaring"), max_length=250, blank=True)
    is_cross_cutting = models.BooleanField(
        _("på tvers av problem"),
        default=False,
        help_text=_("Grupper for alle, uansett hva man strever med."),
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")

    def __str__(self) -> str:
        return self.name


class GroupQuerySet(models.QuerySet):
    def published(self) -> GroupQuerySet:
        """Groups the public may see: approved and not ended."""
        return self.filter(is_published=True).exclude(status=Group.Status.ENDED)

    def physical(self) -> GroupQuerySet:
        return self.exclude(format=Group.Format.DIGITAL)

    def digital(self) -> GroupQuerySet:
        return self.filter(format=Group.Format.DIGITAL)

    def visible_to(self, user) -> GroupQuerySet:
        """Groups a staff user may work with (their contact points, their counties, or all)."""
        return self.filter(contact_point__in=ContactPoint.objects.visible_to(user))


class Group(models.Model):
    """A closed self-help group (selvhjelpsgruppe) of 4 to 8 adults."""

    class Audience(models.TextChoices):
        AFFECTED = "selv-berort", _("Selv berørt")
        RELATIVES = "parorende", _("Pårørende")
        YOUNG_ADULTS = "unge-voksne", _("Unge voksne")
        STUDENTS = "studenter", _("Studenter")
        EVERYONE = "alle", _("Alle")

    class Format(models.TextChoices):
        PHYSICAL = "fysisk", _("Fysisk")
        DIGITAL = "digital", _("Digital")
        HYBRID = "hybrid", _("Hybrid")

    class Frequency(models.TextChoices):
        WEEKLY = "ukentlig", _("Hver uke")
        BIWEEKLY = "annenhver", _("Annenhver uke")

    class Status(models.TextChoices):
        GATHERING = "samler-interesse", _("Samler interesse")
        PLANNED = "planlagt", _("Planlagt")
        RUNNING = "i-gang", _("I gang")
        PAUSED = "pause", _("Pause")
        ENDED = "avsluttet", _("Avsluttet")

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("mandag")
        TUESDAY = 2, _("tirsdag")
        WEDNESDAY = 3, _("onsdag")
        THURSDAY = 4, _("torsdag")
        FRIDAY = 5, _("fredag")
        SATURDAY = 6, _("lørdag")
        SUNDAY = 7, _("søndag")

    name = models.CharField(_("navn"), max_length=150)
    slug = models.SlugField(unique=True, max_length=170)
    description = models.TextField(_("beskrivelse"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("temaer"), related_name="groups")
    audience = models.CharField(
        _("for hvem"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    format = models.CharField(
        _("form"), max_length=10, choices=Format.choices, default=Format.PHYSICAL
    )
    weekday = models.PositiveSmallIntegerField(
        _("ukedag"), choices=Weekday.choices, null=True, blank=True
    )
    start_time = models.TimeField(_("klokkeslett"), null=True, blank=True)
    frequency = models.CharField(
        _("hvor ofte"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    starts_on = models.DateField(_("oppstart"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GATHERING
    )
    open_for_new_members = models.BooleanField(_("åpen for nye deltakere"), default=True)
    size_limit = models.PositiveSmallIntegerField(_("maks antall deltakere"), default=8)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="groups",
        null=True,
        blank=True,
        help_text=_("Kan stå tom for digitale grupper."),
    )
    public_area = models.CharField(
        _("område (offentlig)"),
        max_length=100,
        blank=True,
        help_text=_("For eksempel «Dombås sentrum». Aldri adressen der gruppen møtes."),
    )
    # The public point of the area, never the venue: closed groups never publish where they meet.
    latitude = models.FloatField(_("breddegrad"), null=True, blank=True, db_index=True)
    longitude = models.FloatField(_("lengdegrad"), null=True, blank=True, db_index=True)
    venue_address = models.CharField(_("møtested (kun for ansatte)"), max_length=250, blank=True)
    contact_point = models.ForeignKey(
        ContactPoint,
        verbose_name=_("kontaktpunkt"),
        on_delete=models.PROTECT,
        related_name="groups",
    )
    facilitators = models.ManyToManyField(
        Facilitator, verbose_name=_("igangsettere"), related_name="groups", blank=True
    )
    language = models.CharField(_("språk"), max_length=40, default="norsk")
    last_confirmed_on = models.DateField(_("sist bekreftet"), default=timezone.localdate)
    is_published = models.BooleanField(
        _("publisert"),
        default=False,
        help_text=_("Bare godkjente grupper vises på nettsidene."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("name", "description", "public_area", config="norwegian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["search_vector"], name="group_search_vector"),
            models.Index(fields=["latitude", "longitude"], name="group_lat_lon"),
        ]
        verbose_name = _("selvhjelpsgruppe")
        verbose_name_plural = _("selvhjelpsgrupper")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:group-detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if self.municipality_id and (self.latitude is None or self.longitude is None):
            self.latitude = self.municipality.latitude
            self.longitude = self.municipality.longitude
        super().save(*args, **kwargs)

    @property
    def is_digital(self) -> bool:
        return self.format == self.Format.DIGITAL


class Interest(models.Model):
    """A person's wish to join a group or a topic (interessemelding).

    Special-category data: keep the minimum, record consent, delete on withdrawal and after
    the retention period.
    """

    class Status(models.TextChoices):
        NEW = "ny", _("Ny")
        CONTACTED = "kontaktet", _("Kontaktet")
        PLACED = "plassert", _("Plassert i gruppe")
        WITHDRAWN = "trukket", _("Trukket")

    class Channel(models.TextChoices):
        WEB = "nett", _("Skjema på nettsiden")
        PHONE = "telefon", _("Telefon")
        IN_PERSON = "oppmote", _("Oppmøte")
        EVENT = "arrangement", _("Arrangement")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact_point = models.ForeignKey(
        ContactPoint,
        verbose_name=_("kontaktpunkt"),
        on_delete=models.PROTECT,
        related_name="interests",
        null=True,
        blank=True,
    )
    district_office = models.ForeignKey(
        "selvhjelp.DistrictOffice",
        verbose_name=_("distriktskontor"),
        on_delete=models.PROTECT,
        related_name="interests",
        null=True,
        blank=True,
        help_text=_("Brukes når ingen kontaktpunkt dekker kommunen."),
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("gruppe"),
        on_delete=models.SET_NULL,
        related_name="interests",
        null=True,
        blank=True,
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("tema"), on_delete=models.PROTECT, related_name="interests"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="interests",
    )
    name = models.CharField(_("navn eller fornavn"), max_length=100)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    preferred_format = models.CharField(
        _("ønsket form"), max_length=10, choices=Group.Format.choices, blank=True
    )
    note = models.CharField(_("kort melding"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    consent_text_version = models.CharField(_("samtykketekst (versjon)"), max_length=40)
    consent_given_at = models.DateTimeField(_("samtykke gitt"))
    consent_channel = models.CharField(
        _("samtykke gitt via"), max_length=12, choices=Channel.choices
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("samtykke registrert av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="interest_has_a_way_to_reach"
            ),
            models.CheckConstraint(
                condition=models.Q(contact_point__isnull=False)
                | models.Q(district_office__isnull=False),
                name="interest_goes_somewhere",
            ),
        ]
        verbose_name = _("interessemelding")
        verbose_name_plural = _("interessemeldinger")

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
