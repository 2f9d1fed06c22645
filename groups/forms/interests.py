"""Interest forms: the public form (meld interesse), staff adding one by hand, and the list's
filter, status and note forms. The filter form filters (pretix's FilterForm.filter_qs);
django-filter is not installed, and four fields do not need it."""

from __future__ import annotations

from datetime import timedelta

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint
from groups.consent import CONSENT_TEXTS, CURRENT_CONSENT_VERSION, consent_text
from groups.forms.search import GroupPlaceField
from groups.models import Group, Interest, Topic
from selvhjelp.forms import (
    HONEYPOT_FIELD,
    FormView,
    PlaceField,
    PublicFormMixin,
    form_helper,
    require_email_or_phone,
    validated_phone,
)
from selvhjelp.models import DistrictOffice, Municipality


class InterestForm(PublicFormMixin, forms.Form):
    """Meld interesse: the minimum a contact point needs to get in touch, and explicit consent."""

    name = forms.CharField(
        label=_("Navn eller fornavn"),
        max_length=100,
        error_messages={"required": _("Skriv navnet ditt. Det holder med fornavnet.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        help_text=_("Oppgi e-post, telefon eller begge deler."),
        error_messages={
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    topic = forms.ModelChoiceField(
        label=_("Tema"),
        queryset=Topic.objects.all(),
        empty_label=_("Velg tema"),
        error_messages={"required": _("Velg hva du ønsker en gruppe om.")},
    )
    # The search's places, so "Meld interesse" after a search for "Dombås sentrum" works too.
    place = GroupPlaceField(
        label=_("Kommune eller postnummer"),
        help_text=_("Der du ønsker å gå i gruppe."),
        error_messages={"required": _("Skriv kommunen eller postnummeret ditt.")},
    )
    preferred_format = forms.ChoiceField(
        label=_("Ønsket form"),
        choices=[("", _("Ingen preferanse")), *Group.Format.choices],
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Kort melding (valgfritt)"),
        max_length=500,
        required=False,
        help_text=_(
            "Ikke skriv om helse eller andre sensitive detaljer her. Kontaktpunktet tar en "
            "prat med deg om det som trengs."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXTS[CURRENT_CONSENT_VERSION],
        error_messages={
            "required": _("Du må krysse av for samtykke før vi kan ta imot meldingen.")
        },
    )
    # The version of the consent text the person saw when the page was rendered.
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CURRENT_CONSENT_VERSION)
    website = forms.CharField(
        label=_("Ikke fyll ut dette feltet"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        data=None,
        *,
        group: Group | None = None,
        contact_point: ContactPoint | None = None,
        topic: Topic | None = None,
        initial=None,
        **kwargs,
    ):
        super().__init__(data, initial=initial, **kwargs)
        self.group = group
        self.contact_point = contact_point
        self.topic = topic
        self.fields["topic"].label_from_instance = lambda topic: topic.display_name
        if group is not None:
            # A specific group fixes the topic, and the place when it meets somewhere: asking
            # would let a person file an interest the group's contact point cannot act on.
            del self.fields["topic"]
            if group.municipality_id:
                del self.fields["place"]
            else:
                self.fields["place"].help_text = _("Der du bor.")
        self._prefill()

    @cached_property
    def display(self) -> FormView:
        """The fields, ready for selvhjelp/includes/_form_fields.html: the public pages draw
        this form without crispy, which cost half the group page's time."""
        return FormView(self, wrapper_classes={HONEYPOT_FIELD: "hp-field"})

    def _prefill(self) -> None:
        if self.topic is not None and "topic" in self.fields:
            self.initial.setdefault("topic", self.topic.pk)
        if (
            self.contact_point is not None
            and "place" in self.fields
            and not self.initial.get("place")
        ):
            self.initial["place"] = _place_text(self.contact_point.municipality)

        if self.group is not None and self.group.format:
            self.initial.setdefault("preferred_format", self.group.format)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return validated_phone(self.cleaned_data["phone"])

    def clean_consent_version(self) -> str:
        version = self.cleaned_data["consent_version"]
        if version not in CONSENT_TEXTS:
            version = CURRENT_CONSENT_VERSION
        return version

    def clean(self):
        cleaned = super().clean()
        require_email_or_phone(
            self, _("Skriv e-post eller telefonnummer, så kontaktpunktet kan nå deg.")
        )
        if self.group is not None:
            # Whatever was posted for these fields is ignored: the group decides.
            cleaned["topic"] = self.group.topics.first()
            if self.group.municipality_id:
                cleaned["place"] = None
                cleaned["municipality"] = self.group.municipality
        place = cleaned.get("place")
        if place is not None:
            cleaned["municipality"] = Municipality.objects.get(number=place.municipality_number)
        return cleaned


def _place_text(municipality: Municipality) -> str:
    """A text the place field finds again: the name, with the county when the name is shared."""
    if Municipality.objects.filter(name=municipality.name).count() > 1:
        return municipality.label
    return municipality.name


ACTIVE = "aktiv"


AGE_CHOICES = [
    ("", _("Alle")),
    ("7", _("Siste uke")),
    ("30", _("Siste 30 dager")),
    ("over-90", _("Eldre enn 3 måneder")),
    ("over-180", _("Eldre enn 6 måneder")),
]


class InterestFilterForm(forms.Form):
    tema = forms.ModelChoiceField(
        label=_("Tema"), queryset=Topic.objects.all(), required=False, empty_label=_("Alle")
    )
    kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Alle"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Alle")),
            (ACTIVE, _("Aktive (nye og kontaktet)")),
            *Interest.Status.choices,
        ],
    )
    alder = forms.ChoiceField(label=_("Registrert"), required=False, choices=AGE_CHOICES)

    def __init__(self, data=None, *, owner: ContactPoint | DistrictOffice, **kwargs):
        super().__init__(data, **kwargs)
        used = Municipality.objects.filter(
            number__in=Interest.objects.at(owner).values("municipality")
        )
        if isinstance(owner, ContactPoint):
            used |= Municipality.objects.filter(number__in=municipality_ids(owner))
        self.fields["kommune"].queryset = used
        # The template holds the <form> and a plain submit button: crispy's Submit always
        # renders a name attribute, and an empty one is invalid HTML.
        self.helper = form_helper()
        self.helper.label_class = "form-label"

    def filter(self, queryset: QuerySet[Interest]) -> QuerySet[Interest]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["tema"]:
            queryset = queryset.filter(topic=data["tema"])
        if data["kommune"]:
            queryset = queryset.filter(municipality=data["kommune"])
        if data["status"] == ACTIVE:
            queryset = queryset.active()
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if age := data["alder"]:
            now = timezone.now()
            if age.startswith("over-"):
                queryset = queryset.filter(created_at__lt=now - timedelta(days=int(age[5:])))
            else:
                queryset = queryset.filter(created_at__gte=now - timedelta(days=int(age)))
        return queryset


class InterestAddForm(forms.Form):
    """Someone phoned, walked in or spoke to staff at an event."""

    name = forms.CharField(
        label=_("Navn eller fornavn"),
        max_length=100,
        error_messages={"required": _("Skriv navnet. Det holder med fornavnet.")},
    )
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        help_text=_("Oppgi e-post, telefon eller begge deler."),
        error_messages={
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.")
        },
    )
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    topic = forms.ModelChoiceField(
        label=_("Tema"),
        queryset=Topic.objects.all(),
        empty_label=_("Velg tema"),
        error_messages={"required": _("Velg hva personen ønsker en gruppe om.")},
    )
    place = PlaceField(
        label=_("Kommune eller postnummer"),
        error_messages={"required": _("Skriv kommunen eller postnummeret til personen.")},
    )
    preferred_format = forms.ChoiceField(
        label=_("Ønsket form"),
        choices=[("", _("Ingen preferanse")), *Group.Format.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Kort melding (valgfritt)"),
        max_length=500,
        required=False,
        help_text=_("Ikke skriv om helse eller andre sensitive detaljer."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_channel = forms.ChoiceField(
        label=_("Hvordan ga personen samtykke?"),
        choices=[
            (Interest.Channel.PHONE, _("På telefon")),
            (Interest.Channel.IN_PERSON, _("Ved oppmøte")),
            (Interest.Channel.EVENT, _("På et arrangement")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvordan samtykket ble gitt.")},
    )
    consent = forms.BooleanField(
        label=_("Jeg har lest samtykketeksten for personen, og personen sa ja."),
        error_messages={"required": _("Kryss av for at personen har gitt samtykke muntlig.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = consent_text()
        self.helper = form_helper()
        self.helper.layout = Layout(
            Fieldset(_("Personen"), "name", "email", "phone"),
            Fieldset(_("Ønsket gruppe"), "topic", "place", "preferred_format", "note"),
            Fieldset(_("Samtykke"), "consent_channel", "consent"),
        )

    def clean_phone(self) -> str:
        return validated_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        require_email_or_phone(
            self, _("Oppgi e-post eller telefon, så kontaktpunktet når personen."), error_on="phone"
        )
        return data


class InterestStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Interest.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class InterestNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Nytt notat"),
        max_length=500,
        help_text=_("Kort og saklig, for eksempel «Ringt, ringer tilbake fredag»."),
        error_messages={"required": _("Skriv et kort notat.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
