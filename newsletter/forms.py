from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsletter.models import Issue, NewsletterList
from selvhjelp.forms import PublicFormMixin
from selvhjelp.models import DistrictOffice


def _regions():
    return DistrictOffice.objects.filter(is_active=True).order_by("name")


class ListsForm(PublicFormMixin, forms.Form):
    lists = forms.MultipleChoiceField(
        label=_("Hvilke nyhetsbrev vil du ha?"),
        choices=NewsletterList.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst ett nyhetsbrev.")},
    )
    region = forms.ModelChoiceField(
        label=_("Min region"),
        queryset=_regions(),
        required=False,
        empty_label=_("Velg region"),
        help_text=_("Gjelder «Nytt fra min region»."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions()

    def clean(self):
        cleaned = super().clean()
        if NewsletterList.REGION in (cleaned.get("lists") or []) and not cleaned.get("region"):
            self.add_error("region", _("Velg hvilken region du vil ha nytt fra."))
        return cleaned


class SubscribeForm(ListsForm):
    email = forms.EmailField(
        label=_("E-postadresse"),
        max_length=254,
        error_messages={
            "required": _("Skriv inn e-postadressen din."),
            "invalid": _("Sjekk e-postadressen. Den skal se ut som navn@eksempel.no."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Navn (valgfritt)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    consent = forms.BooleanField(
        label=_("Ja, send meg nyhetsbrevene jeg har valgt. Jeg kan melde meg av når som helst."),
        error_messages={"required": _("Kryss av for at vi kan sende deg nyhetsbrev.")},
    )

    field_order = ["email", "name", "lists", "region", "consent"]


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["subject", "preheader", "newsletter_list", "body_markdown"]
        error_messages = {
            "subject": {"required": _("Skriv et emne.")},
            "body_markdown": {"required": _("Skriv teksten i nyhetsbrevet.")},
        }
        widgets = {"body_markdown": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, office: DistrictOffice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if office is not None:
            self.fields["newsletter_list"].help_text = _(
                "Går bare til abonnenter i regionen %(region)s."
            ) % {"region": office.name}


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("La feltet stå tomt for å sende nå."),
        error_messages={"invalid": _("Skriv dato og klokkeslett, for eksempel 2026-12-01 09:00.")},
    )

    def clean_send_at(self):
        send_at = self.cleaned_data.get("send_at")
        if send_at is not None and send_at <= timezone.now():
            raise forms.ValidationError(
                _("Tidspunktet har allerede vært. Velg et tidspunkt fram i tid.")
            )
        return send_at
