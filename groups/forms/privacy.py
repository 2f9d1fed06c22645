"""Finding a person's interests (for export and erasure)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from selvhjelp.forms import form_helper, require_email_or_phone


class PersonSearchForm(forms.Form):
    """Find a person by email or phone. Sent by POST so the terms never end up in a URL."""

    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        error_messages={
            "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.")
        },
    )
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        require_email_or_phone(self, _("Skriv e-posten eller telefonnummeret du leter etter."))
        return data
