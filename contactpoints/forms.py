"""The contactpoints app's forms: the application to become a contact point, the district
office's create and decline forms, and the workspace's facilitator and profile forms."""

from __future__ import annotations

import re

from crispy_forms.layout import Field, Fieldset
from django import forms
from django.utils.translation import gettext_lazy as _

from contactpoints.access import check_served_municipalities
from contactpoints.models import ContactPoint, Facilitator
from selvhjelp.forms import (
    HONEYPOT_FIELD,
    PublicFormMixin,
    form_helper,
    require_email_or_phone,
    validated_phone,
)
from selvhjelp.geo import municipalities_lookup
from selvhjelp.models import PostalCode

# Bots fill in every field; people never see this one (see .hp-field in site.css). The interest
# form in groups/forms.py uses the same field.
# A contact point serves a handful of municipalities, a whole county at most (Innlandet has 46).
# The cap keeps a public form from being made to look up thousands.
MAX_MUNICIPALITIES = 60


class PostcodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Postnummer"))
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("error_messages", {"required": _("Skriv postnummeret, fire sifre.")})
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric"})

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        postal = PostalCode.objects.select_related("municipality").filter(code=value).first()
        if postal is None:
            raise forms.ValidationError(
                _("Vi finner ikke postnummeret «%(value)s». Sjekk at det har fire sifre."),
                code="unknown_postcode",
                params={"value": value},
            )
        return postal


class MunicipalitiesField(forms.CharField):
    """Municipality names or numbers, one per line or separated by commas. A text field keeps the
    form usable without JavaScript and for screen readers (a list of 357 checkboxes is not)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Kommuner dere vil dekke"))
        kwargs.setdefault(
            "help_text",
            _(
                "Skriv kommunenavn eller kommunenummer, skilt med komma. "
                "For eksempel: Dovre, Lesja."
            ),
        )
        kwargs.setdefault(
            "error_messages", {"required": _("Skriv minst én kommune dere vil dekke.")}
        )
        kwargs.setdefault("max_length", MAX_MUNICIPALITIES * 40)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)  # max_length first: nothing is looked up in a huge text
        if not value:
            return []
        parts = [part.strip() for part in re.split(r"[,;\n]+", value) if part.strip()]
        if len(parts) > MAX_MUNICIPALITIES:
            raise forms.ValidationError(
                _("Skriv høyst %(max)s kommuner. Dere kan be om flere senere."),
                code="too_many_municipalities",
                params={"max": MAX_MUNICIPALITIES},
            )
        found, unknown = municipalities_lookup(parts)
        if unknown:
            raise forms.ValidationError(
                _("Vi finner ikke disse kommunene: %(names)s. Sjekk stavemåten."),
                code="unknown_municipality",
                params={"names": ", ".join(unknown)},
            )
        return found


class ApplicationForm(PublicFormMixin, forms.Form):
    organisation = forms.CharField(
        label=_("Organisasjon"),
        max_length=150,
        error_messages={"required": _("Skriv navnet på organisasjonen.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    host_kind = forms.ChoiceField(
        label=_("Type organisasjon"),
        choices=ContactPoint.HostKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hva slags organisasjon dere er.")},
    )
    street_address = forms.CharField(
        label=_("Adresse"),
        max_length=200,
        error_messages={"required": _("Skriv adressen der dere holder til.")},
        # One line: "street-address" is for a multi-line field (HTML allows it on textarea only).
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = PostcodeField()
    municipalities = MunicipalitiesField()
    contact_name = forms.CharField(
        label=_("Kontaktperson"),
        max_length=150,
        error_messages={"required": _("Skriv navnet på kontaktpersonen.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("E-post til kontaktpersonen"),
        help_text=_("Hit sender vi svaret, og invitasjonen til å logge inn."),
        error_messages={
            "required": _("Skriv e-postadressen til kontaktpersonen."),
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Telefon (valgfritt)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Fortell litt om dere (valgfritt)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        label=_("Ikke fyll ut dette feltet"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "organisation",
            "host_kind",
            "street_address",
            "postcode",
            "municipalities",
            "contact_name",
            "contact_email",
            "contact_phone",
            "message",
            Field(HONEYPOT_FIELD, wrapper_class="hp-field"),
        )

    def clean_contact_phone(self) -> str:
        return validated_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        return _clean_served(self, super().clean())


class ContactPointCreateForm(forms.Form):
    """A district office creates a contact point directly, optionally inviting its first staff."""

    name = forms.CharField(
        label=_("Navn"),
        max_length=150,
        error_messages={"required": _("Skriv navnet på kontaktpunktet.")},
    )
    host_kind = forms.ChoiceField(
        label=_("Type vertskap"), choices=ContactPoint.HostKind.choices, widget=forms.RadioSelect
    )
    street_address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    postcode = PostcodeField()
    municipalities = MunicipalitiesField(label=_("Kommuner kontaktpunktet betjener"))
    email = forms.EmailField(label=_("E-post til kontaktpunktet"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    staff_name = forms.CharField(label=_("Første ansatte: navn"), max_length=150, required=False)
    staff_email = forms.EmailField(
        label=_("Første ansatte: e-post"),
        required=False,
        help_text=_("Får en invitasjon til å lage passord og logge inn."),
    )

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counties = counties
        self.helper = form_helper()

    def clean_phone(self) -> str:
        return validated_phone(self.cleaned_data["phone"])

    def clean_postcode(self):
        postal = self.cleaned_data["postcode"]
        if self.counties is not None and postal.municipality.county_id not in self.counties:
            raise forms.ValidationError(
                _("Postnummeret ligger utenfor fylkene til distriktskontoret."),
                code="outside_counties",
            )
        return postal

    def clean(self):
        return _clean_served(self, super().clean())


def _clean_served(form: forms.Form, data: dict) -> dict:
    """The municipalities must lie in the counties of the postcode's district office."""
    if data.get("postcode") and data.get("municipalities"):
        try:
            check_served_municipalities(data["postcode"].municipality, data["municipalities"])
        except forms.ValidationError as error:
            form.add_error(None, error)
    return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Søkeren får begrunnelsen på e-post."),
        error_messages={"required": _("Skriv en begrunnelse, så søkeren forstår avgjørelsen.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class FacilitatorForm(forms.ModelForm):
    class Meta:
        model = Facilitator
        fields = ["name", "email", "phone", "trained_on", "trained_where", "availability"]
        widgets = {"trained_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {
            "name": _("Navn"),
            "email": _("E-post"),
            "phone": _("Telefon"),
            "trained_on": _("Når fullførte igangsetteren kurset?"),
            "trained_where": _("Hvor ble kurset holdt?"),
            "availability": _("Tilgjengelighet"),
        }
        help_texts = {"availability": _("For eksempel «Ettermiddager, fra mars»")}
        error_messages = {
            "name": {"required": _("Skriv navnet på igangsetteren.")},
            "email": {
                "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.")
            },
            "trained_on": {"invalid": _("Skriv en gyldig dato, for eksempel 2026-03-14.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Fieldset(_("Kontakt"), "name", "email", "phone"),
            Fieldset(_("Kurs og tilgjengelighet"), "trained_on", "trained_where", "availability"),
        )

    def clean(self):
        data = super().clean()
        require_email_or_phone(
            self, _("Oppgi e-post eller telefon, så dere når igangsetteren."), error_on="phone"
        )
        return data


class ContactPointProfileForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Nettside"),
        required=False,
        assume_scheme="https",
        # A text box with the URL keyboard: type="url" would refuse "eksempel.no" (which we
        # accept), and showing back something that is not a URL in it is invalid HTML.
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text=_("For eksempel https://eksempel.no"),
        error_messages={
            "invalid": _("Skriv en hel nettadresse, for eksempel https://eksempel.no.")
        },
    )

    class Meta:
        model = ContactPoint
        fields = ["description", "opening_hours", "phone", "email", "website"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "opening_hours": _("For eksempel «Mandag–torsdag 10–15»."),
        }
        error_messages = {
            "email": {
                "invalid": _("Skriv en gyldig e-postadresse, for eksempel post@eksempel.no.")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
