from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contactpoints.models import ContactPoint, Facilitator
from selvhjelp.cache import bump_public_data_version
from selvhjelp.geo import Place, postcode_for_area, within_km
from selvhjelp.models import DistrictOffice, Municipality, PostalCode


class Topic(models.Model):
    """What a group is about. A controlled list, kept by national staff."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    # Topics are a Norwegian list; the English name is what English pages show and what an
    # English search word ("grief") is matched against.
    name_en = models.CharField(_("navn på engelsk"), max_length=100, blank=True)
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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The search holds the topic list in memory per public data version (groups/topics.py).
        bump_public_data_version()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_public_data_version()
        return result

    @property
    def display_name(self) -> str:
        """The name in the page's language: English when there is one, else Norwegian."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class GroupQuerySet(models.QuerySet):
    def published(self) -> GroupQuerySet:
        """Groups the public may see: approved, not ended, not hidden as unconfirmed."""
        return self.filter(is_published=True, stale_since__isnull=True).exclude(
            status=Group.Status.ENDED
        )

    def physical(self) -> GroupQuerySet:
        return self.exclude(format=Group.Format.DIGITAL)

    def digital(self) -> GroupQuerySet:
        return self.filter(format=Group.Format.DIGITAL)

    def in_counties(self, county_numbers: Iterable[str]) -> GroupQuerySet:
        """Groups whose municipality (or, without one, whose contact point) lies in the
        counties: a district office's area."""
        return self.filter(
            Q(municipality__county__in=county_numbers)
            | Q(municipality__isnull=True, contact_point__municipality__county__in=county_numbers)
        )

    def needs_attention(self) -> GroupQuerySet:
        """Published groups that are hidden as stale or wait for their confirmation."""
        return (
            self.filter(is_published=True)
            .exclude(status=Group.Status.ENDED)
            .filter(Q(stale_since__isnull=False) | Q(confirmation_requested_at__isnull=False))
        )

    def open_to_join(self) -> GroupQuerySet:
        """Groups a newcomer can join or sign up for now: open, and not paused or ended."""
        return self.filter(open_for_new_members=True).exclude(
            status__in=[Group.Status.PAUSED, Group.Status.ENDED]
        )

    def near(self, latitude: float, longitude: float, km: float | None) -> GroupQuerySet:
        """Groups whose public area point lies within `km`, annotated with `distance_km` and
        nearest first, then by start. Uses the indexed latitude/longitude bounding box."""
        return within_km(self, latitude, longitude, km).order_by(
            "distance_km", F("starts_on").asc(nulls_last=True), "weekday", "start_time", "name"
        )

    def matching(
        self,
        *,
        text: str = "",
        topic: Topic | None = None,
        format: str | None = None,
        weekday: int | None = None,
        open_only: bool = False,
    ) -> GroupQuerySet:
        """The public search filters; every argument left empty matches everything."""
        queryset = self
        if text:
            words = Q(search_vector=SearchQuery(text, config="norwegian", search_type="websearch"))
            if len(text) >= 3:
                # A topic's name in either language also finds its groups, so «grief» on the
                # English page finds the groups about «Sorg». EXISTS keeps one row per group.
                topics = Topic.objects.filter(Q(name__icontains=text) | Q(name_en__icontains=text))
                words |= Exists(
                    Group.topics.through.objects.filter(group=OuterRef("pk"), topic__in=topics)
                )
            queryset = queryset.filter(words)
        if topic is not None:
            queryset = queryset.filter(topics=topic)
        if format:
            queryset = queryset.filter(format=format)
        if weekday:
            queryset = queryset.filter(weekday=weekday)
        if open_only:
            queryset = queryset.open_to_join()
        return queryset

    def area_place(self, name: str) -> Place | None:
        """The public point of the first of these groups whose public area is `name`."""
        name = " ".join((name or "").split())
        if not name:
            return None
        group = (
            self.physical()
            .filter(public_area__iexact=name, latitude__isnull=False, longitude__isnull=False)
            .order_by("pk")
            .values("public_area", "latitude", "longitude", "municipality_id")
            .first()
        )
        if group is None:
            return None
        return Place(
            name=group["public_area"],
            latitude=group["latitude"],
            longitude=group["longitude"],
            municipality_number=group["municipality_id"] or "",
        )

    def for_listing(self) -> GroupQuerySet:
        """Everything a result row shows, loaded in a fixed number of queries."""
        return self.select_related("municipality", "contact_point").prefetch_related("topics")


class Group(models.Model):
    """A closed self-help group (selvhjelpsgruppe) of 4 to 8 adults."""

    class Audience(models.TextChoices):
        AFFECTED = "selv-berort", _("Selv berørt")
        RELATIVES = "parorende", _("Pårørende")
        YOUNG_ADULTS = "unge-voksne", _("Unge voksne")
        STUDENTS = "studenter", _("Studenter")
        EVERYONE = "alle", pgettext_lazy("hvem gruppen er for", "Alle")

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

    class Approval(models.TextChoices):
        DRAFT = "utkast", _("Utkast")
        SUBMITTED = "sendt-inn", _("Sendt til godkjenning")
        SENT_BACK = "sendt-tilbake", _("Sendt tilbake")
        APPROVED = "godkjent", _("Godkjent")
        REJECTED = "avslatt", _("Avslått")

    class Stage(models.TextChoices):
        """Where a group is in its life, as the contact point's groups tab sorts them."""

        DRAFT = "utkast", _("Utkast")
        SENT_BACK = "sendt-tilbake", _("Sendt tilbake")
        WAITING = "venter", _("Venter på godkjenning")
        PUBLISHED = "publisert", _("Publisert")
        HIDDEN = "skjult", _("Skjult fordi den ikke er bekreftet")
        ENDED = "avsluttet", _("Avsluttet")
        REJECTED = "avslatt", _("Avslått")

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
    public_postcode = models.CharField(
        _("postnummer for området"),
        max_length=4,
        blank=True,
        help_text=_(
            "Postnummeret til området, for avstand og kart. Står det tomt, finner vi det ut fra "
            "området og kommunen."
        ),
    )
    # The public point of the area (its public postcode's point, else the municipality's),
    # never the venue: closed groups never publish where they meet.
    # Not indexed as columns: the search near a place reads the public point index
    # group_public_point_terms (groups/migrations/0012).
    latitude = models.FloatField(_("breddegrad"), null=True, blank=True)
    longitude = models.FloatField(_("lengdegrad"), null=True, blank=True)
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
    approval_status = models.CharField(
        _("godkjenning"), max_length=16, choices=Approval.choices, default=Approval.DRAFT
    )
    # Set when the contact point is asked to confirm the group; cleared by the confirmation.
    confirmation_requested_at = models.DateTimeField(
        _("bedt om bekreftelse"), null=True, blank=True
    )
    # Set when a group went unconfirmed too long: hidden from the public until confirmed.
    stale_since = models.DateTimeField(_("skjult som utdatert siden"), null=True, blank=True)
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
            # The digital list on /grupper/: published().digital().order_by("starts_on", "name").
            # Partial on exactly that filter, so the first page is read in order from the
            # index instead of scanning and sorting every group. Keep the condition in step
            # with GroupQuerySet.published() and digital(); tests/groups/test_search.py checks
            # that the planner still picks it.
            models.Index(
                fields=["starts_on", "name"],
                condition=models.Q(is_published=True, stale_since__isnull=True, format="digital")
                & ~models.Q(status="avsluttet"),
                name="group_published_digital",
            ),
            # The list with no place: published().physical().order_by("municipality_id",
            # "name"), read in order from this index (tests/groups/test_search_scale.py).
            models.Index(
                fields=["municipality", "name"],
                condition=models.Q(is_published=True, stale_since__isnull=True)
                & ~models.Q(format="digital")
                & ~models.Q(status="avsluttet"),
                name="group_published_physical",
            ),
        ]
        verbose_name = _("selvhjelpsgruppe")
        verbose_name_plural = _("selvhjelpsgrupper")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:group-detail", kwargs={"slug": self.slug})

    @property
    def county_number(self) -> str | None:
        """The county a group belongs to: its municipality's, or (digital groups without one)
        the contact point's."""
        municipality = self.municipality or self.contact_point.municipality
        return municipality.county_id if municipality else None

    def district_office(self) -> DistrictOffice | None:
        """The district office that approves the group and follows it up (an office that has
        closed is left out)."""
        return DistrictOffice.objects.active().for_county(self.county_number)

    # Fields a published group's staff may change without a new approval.
    LIVE_EDIT_FIELDS = (
        "description",
        "weekday",
        "start_time",
        "frequency",
        "starts_on",
        "venue_address",
    )

    def editable_fields(self) -> tuple[str, ...] | None:
        """Which fields staff may change now: None means every field (a draft or a group sent
        back); the schedule and description on an approved group; () while the office decides
        or after a rejection."""
        if self.approval_status in (Group.Approval.DRAFT, Group.Approval.SENT_BACK):
            return None
        if self.approval_status == Group.Approval.APPROVED:
            return self.LIVE_EDIT_FIELDS
        return ()

    def missing_for_approval(self) -> list[str]:
        """What the group lacks before the district office can decide, in words for people."""
        missing = []
        if not self.name.strip():
            missing.append(gettext("navn"))
        if not self.description.strip():
            missing.append(gettext("beskrivelse"))
        if not self.pk or not self.topics.exists():
            missing.append(gettext("tema"))
        if not self.format:
            missing.append(gettext("form (fysisk, digital eller hybrid)"))
        if not ((self.weekday and self.start_time) or self.starts_on):
            missing.append(gettext("tidspunkt (ukedag og klokkeslett, eller oppstartsdato)"))
        if not self.is_digital and not (self.municipality_id and self.public_area.strip()):
            missing.append(gettext("kommune og område (eller velg digital gruppe)"))
        if not self.pk or not self.facilitators.exists():
            missing.append(gettext("minst én igangsetter"))
        return missing

    def get_workspace_url(self) -> str:
        """The group's page in its contact point's workspace (staff only)."""
        return reverse(
            "workspace:group-detail", kwargs={"slug": self.contact_point.slug, "pk": self.pk}
        )

    def clean(self):
        """The public postcode must be a known postcode in the group's municipality; left
        empty, it is worked out from the public area. Either way it sets the public point."""
        super().clean()
        self.public_postcode = (self.public_postcode or "").strip()
        if self.is_digital or not self.municipality_id:
            return
        if not self.public_postcode:
            postal = postcode_for_area(
                self.public_area, self.municipality_id, fallback=self.municipality.name
            )
            if postal is not None:
                self.public_postcode = postal.code
        else:
            postal = PostalCode.objects.filter(code=self.public_postcode).first()
            if postal is None:
                raise ValidationError(
                    {
                        "public_postcode": _(
                            "Vi finner ikke postnummeret «%(code)s». Sjekk at det har fire sifre."
                        )
                        % {"code": self.public_postcode}
                    }
                )
            if postal.municipality_id != self.municipality_id:
                raise ValidationError(
                    {
                        "public_postcode": _(
                            "Postnummeret %(code)s hører til %(place)s, ikke %(municipality)s. "
                            "Skriv et postnummer i kommunen der gruppen møtes."
                        )
                        % {
                            "code": postal.code,
                            "place": postal.place,
                            "municipality": self.municipality.name,
                        }
                    }
                )
        if postal is not None:
            self.latitude, self.longitude = postal.latitude, postal.longitude

    def save(self, *args, **kwargs):
        if self.municipality_id and (self.latitude is None or self.longitude is None):
            postal = (
                PostalCode.objects.filter(code=self.public_postcode).first()
                if self.public_postcode
                else None
            )
            point = postal or self.municipality
            self.latitude, self.longitude = point.latitude, point.longitude
        super().save(*args, **kwargs)
        bump_public_data_version()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_public_data_version()
        return result

    @property
    def is_digital(self) -> bool:
        return self.format == self.Format.DIGITAL

    @property
    def stage(self) -> str:
        """One word for where the group is: approval first, then whether the public sees it.
        An ended group is ended whatever its approval said, since nothing more will happen."""
        if self.status == self.Status.ENDED:
            return self.Stage.ENDED
        if self.approval_status == self.Approval.REJECTED:
            return self.Stage.REJECTED
        if self.approval_status == self.Approval.SUBMITTED:
            return self.Stage.WAITING
        if self.approval_status == self.Approval.SENT_BACK:
            return self.Stage.SENT_BACK
        if self.approval_status == self.Approval.DRAFT:
            return self.Stage.DRAFT
        if self.stale_since is not None or not self.is_published:
            return self.Stage.HIDDEN
        return self.Stage.PUBLISHED

    def get_stage_display(self) -> str:
        return str(self.Stage(self.stage).label)


class InterestQuerySet(models.QuerySet):
    def active(self) -> InterestQuerySet:
        """Interests still being worked: new or contacted."""
        return self.filter(status__in=Interest.ACTIVE_STATUSES)

    def in_counties(self, county_numbers: Iterable[str]) -> InterestQuerySet:
        """Interests for places in the counties: a district office's area (its own list and its
        contact points' lists)."""
        return self.filter(municipality__county__in=county_numbers)

    def at(self, owner: ContactPoint | DistrictOffice) -> InterestQuerySet:
        """A contact point's interest list, or a district office's own (interests routed to it
        because no contact point serves the place)."""
        if isinstance(owner, ContactPoint):
            return self.filter(contact_point=owner)
        return self.filter(district_office=owner, contact_point__isnull=True)


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

    # Still being worked: they count towards demand and stay on the lists.
    ACTIVE_STATUSES = (Status.NEW, Status.CONTACTED)

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
    contacted_at = models.DateTimeField(_("kontaktet"), null=True, blank=True)
    # Bumped on every staff edit, so two people editing at once cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
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

    objects = InterestQuerySet.as_manager()

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

    def get_staff_url(self, action: str = "detail") -> str:
        """The staff page for `action` ("detail", "update", "note-add", "export", "erase") in the
        area that owns the interest: its contact point's workspace, or its district office's own
        list."""
        if self.contact_point_id:
            area, slug = "workspace", self.contact_point.slug
        else:
            area, slug = "district", self.district_office.slug
        return reverse(
            f"{area}:interest-{action}", kwargs={"slug": slug, "public_id": self.public_id}
        )


class InterestNote(models.Model):
    """A short note by contact point staff on an interest; deleted with it."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("notat"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("notat")
        verbose_name_plural = _("notater")

    def __str__(self) -> str:
        return f"note #{self.pk}"


class GroupEvent(models.Model):
    """The history of a group: approval decisions and every change, seen by both sides."""

    class Kind(models.TextChoices):
        CREATED = "opprettet", _("Opprettet")
        SUBMITTED = "sendt-inn", _("Sendt til godkjenning")
        APPROVED = "godkjent", _("Godkjent")
        SENT_BACK = "sendt-tilbake", _("Sendt tilbake")
        REJECTED = "avslatt", _("Avslått")
        STATUS_CHANGED = "status", _("Status endret")
        EDITED = "endret", _("Endret")
        REMINDER_SENT = "paminnelse", _("Bedt om bekreftelse")
        CONFIRMED = "bekreftet", _("Bekreftet")
        HIDDEN_STALE = "skjult", _("Skjult fordi den ikke ble bekreftet")
        STARTS_EMAIL_SENT = "oppstart-sendt", _("Oppstartsmelding sendt")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("hendelse"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utført av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("kommentar"), blank=True)
    changes = models.JSONField(_("endringer"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("hendelse for gruppe")
        verbose_name_plural = _("hendelser for grupper")

    def __str__(self) -> str:
        return f"{self.group_id} {self.kind}"


class DemandNotice(models.Model):
    """One notice per contact point and topic when enough people want the same kind of group.

    Open until demand falls below the threshold again, so new interests do not send more."""

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="demand_notices"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="demand_notices")
    active_interests = models.PositiveIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact_point", "topic"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_demand_notice",
            )
        ]
        verbose_name = _("melding om etterspørsel")
        verbose_name_plural = _("meldinger om etterspørsel")

    def __str__(self) -> str:
        return f"{self.contact_point_id}/{self.topic_id}"


class InterestTally(models.Model):
    """Anonymous counts that remain when interest entries are deleted, for the year's figures."""

    class Reason(models.TextChoices):
        RETENTION = "lagringstid", _("Lagringstiden gikk ut")
        WITHDRAWN = "trukket", _("Trukket av personen")
        ERASED = "slettet", _("Slettet på forespørsel")

    month = models.DateField(_("måned"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "topic", "municipality", "reason"], name="unique_interest_tally"
            )
        ]
        verbose_name = _("anonym telling")
        verbose_name_plural = _("anonyme tellinger")

    def __str__(self) -> str:
        return f"{self.month} {self.topic_id} {self.municipality_id} {self.count}"
