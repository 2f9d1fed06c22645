"""The district office's decision on a submitted group."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from selvhjelp.forms import form_helper


class DecisionForm(forms.Form):
    APPROVE = "godkjenn"
    SEND_BACK = "send-tilbake"
    REJECT = "avslaa"

    decision = forms.ChoiceField(
        label=_("Avgjørelse"),
        choices=[
            (APPROVE, _("Godkjenn: gruppen blir synlig på nettsidene")),
            (SEND_BACK, _("Send tilbake til kontaktpunktet med en kommentar")),
            (REJECT, _("Avslå med en begrunnelse")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hva du vil gjøre med gruppen.")},
    )
    comment = forms.CharField(
        label=_("Kommentar eller begrunnelse"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Må fylles ut når du sender tilbake eller avslår. Kontaktpunktet ser den."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in (self.SEND_BACK, self.REJECT)
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error(
                "comment",
                _("Skriv en kommentar, så kontaktpunktet vet hva de skal gjøre."),
            )
        return cleaned
