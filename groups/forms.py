from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from contactpoints.forms_application import HONEYPOT_FIELD, validated_phone
from contactpoints.models import ContactPoint
from groups.consent import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from groups.models import Group, Topic
from selvhjelp.forms import PlaceField, PublicFormMixin
from selvhjelp.models import Municipality


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
    place = PlaceField(
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
        self._prefill()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the including template has its own token
        self.helper.layout = Layout(
            "name",
            "email",
            "phone",
            "topic",
            "place",
            "preferred_format",
            "note",
            "consent",
            "consent_version",
            Field(HONEYPOT_FIELD, wrapper_class="hp-field"),
        )

    def _prefill(self) -> None:
        topic = self.topic
        if topic is None and self.group is not None:
            topic = self.group.topics.first()
        if topic is not None:
            self.initial.setdefault("topic", topic.pk)

        municipality = None
        if self.group is not None and self.group.municipality_id:
            municipality = self.group.municipality
        elif self.contact_point is not None:
            municipality = self.contact_point.municipality
        if municipality is not None and not self.initial.get("place"):
            self.initial["place"] = _place_text(municipality)

        if self.group is not None and self.group.format:
            self.initial.setdefault("preferred_format", self.group.format)

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

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
        has_email = bool(cleaned.get("email"))
        has_phone = bool(cleaned.get("phone"))
        # A field with its own error (a mistyped address) already tells the person what to fix.
        field_errors = self.has_error("email") or self.has_error("phone")
        if not has_email and not has_phone and not field_errors:
            self.add_error(
                "email",
                forms.ValidationError(
                    _("Skriv e-post eller telefonnummer, så kontaktpunktet kan nå deg."),
                    code="no_way_to_reach",
                ),
            )
        place = cleaned.get("place")
        if place is not None:
            cleaned["municipality"] = Municipality.objects.get(number=place.municipality_number)
        return cleaned


def _place_text(municipality: Municipality) -> str:
    """A text the place field finds again: the name, with the county when the name is shared."""
    if Municipality.objects.filter(name=municipality.name).count() > 1:
        return municipality.label
    return municipality.name
