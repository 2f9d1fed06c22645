"""Forms for the contact point's own pages in the workspace: facilitators and the profile."""

from __future__ import annotations

from crispy_forms.layout import Fieldset
from django import forms
from django.utils.translation import gettext_lazy as _

from contactpoints.models import ContactPoint, Facilitator
from selvhjelp.forms import form_helper, require_email_or_phone


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
