from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from contactpoints.forms_application import HONEYPOT_FIELD, validated_phone
from contactpoints.models import ContactPoint
from groups.consent import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from groups.forms_search import GroupPlaceField
from groups.models import Group, Topic
from selvhjelp.forms import PublicFormMixin
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the including template has its own token
        self.helper.layout = Layout(
            *(
                name
                for name in (
                    "name",
                    "email",
                    "phone",
                    "topic",
                    "place",
                    "preferred_format",
                    "note",
                    "consent",
                    "consent_version",
                )
                if name in self.fields
            ),
            Field(HONEYPOT_FIELD, wrapper_class="hp-field"),
        )

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
