"""Forms for the contact point workspace: the interest list filter, adding an interest by
hand, notes and status, planning a group and sending the "group starts" email.

The filter form is a plain Django form: django-filter is not installed, and four fields do
not need it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint
from groups.consent import consent_text
from groups.models import Group, Interest, Topic
from groups.services_workspace import ACTIVE_STATUSES, interests_for
from selvhjelp.forms import PlaceField
from selvhjelp.models import DistrictOffice, Municipality

_PHONE_ALLOWED = re.compile(r"^\+?[\d\s]+$")

ACTIVE = "aktiv"
AGE_CHOICES = [
    ("", _("Alle")),
    ("7", _("Siste uke")),
    ("30", _("Siste 30 dager")),
    ("over-90", _("Eldre enn 3 måneder")),
    ("over-180", _("Eldre enn 6 måneder")),
]


def _helper(*, form_tag: bool = False, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.form_method = method
    helper.disable_csrf = True  # the template has its own token
    return helper


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
        used = Municipality.objects.filter(number__in=interests_for(owner).values("municipality"))
        if isinstance(owner, ContactPoint):
            used |= Municipality.objects.filter(number__in=municipality_ids(owner))
        self.fields["kommune"].queryset = used
        # The template holds the <form> and a plain submit button: crispy's Submit always
        # renders a name attribute, and an empty one is invalid HTML.
        self.helper = _helper()
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
            queryset = queryset.filter(status__in=ACTIVE_STATUSES)
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
        self.helper = _helper()
        self.helper.layout = Layout(
            Fieldset(_("Personen"), "name", "email", "phone"),
            Fieldset(_("Ønsket gruppe"), "topic", "place", "preferred_format", "note"),
            Fieldset(_("Samtykke"), "consent_channel", "consent"),
        )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE_ALLOWED.match(phone):
            raise forms.ValidationError(
                _("Skriv telefonnummeret med bare sifre, for eksempel 912 34 567.")
            )
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error(
                "phone", _("Oppgi e-post eller telefon, så kontaktpunktet når personen.")
            )
        return data


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
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Skriv e-posten eller telefonnummeret du leter etter."))
        return data


class InterestStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Interest.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


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
        self.helper = _helper()


class InterestChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, interest: Interest) -> str:
        return f"{interest.name} – {interest.topic.name}, {interest.municipality.name}"


class GroupPlanForm(forms.ModelForm):
    interests = InterestChoiceField(
        label=_("Personer som skal med i gruppen"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bare aktive interessemeldinger (nye og kontaktet) kan velges."),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "topics",
            "audience",
            "format",
            "description",
            "weekday",
            "start_time",
            "frequency",
            "starts_on",
            "municipality",
            "public_area",
            "public_postcode",
            "venue_address",
            "facilitators",
        ]
        widgets = {
            "public_postcode": forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
            "topics": forms.CheckboxSelectMultiple,
            "facilitators": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "name": {"required": _("Gi gruppen et navn.")},
            "topics": {"required": _("Velg minst ett tema.")},
        }

    def __init__(self, *args, contact_point: ContactPoint, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_point = contact_point
        self.fields["interests"].queryset = (
            interests_for(contact_point)
            .filter(status__in=ACTIVE_STATUSES)
            .select_related("topic", "municipality")
            .order_by("topic__name", "created_at")
        )
        self.fields["facilitators"].queryset = contact_point.facilitators.all()
        self.fields["municipality"].queryset = Municipality.objects.filter(
            number__in=municipality_ids(contact_point)
        )
        self.fields["municipality"].required = False
        self.fields["venue_address"].help_text = _(
            "Vises bare for ansatte og sendes til deltakerne. Aldri offentlig."
        )
        self.helper = _helper()
        self.helper.layout = Layout(
            Fieldset(_("Om gruppen"), "name", "topics", "audience", "format", "description"),
            Fieldset(_("Når"), "weekday", "start_time", "frequency", "starts_on"),
            Fieldset(_("Hvor"), "municipality", "public_area", "public_postcode", "venue_address"),
            Fieldset(_("Igangsetter"), "facilitators"),
            Fieldset(_("Deltakere"), "interests"),
        )

    def clean(self):
        data = super().clean()
        if data.get("format") != Group.Format.DIGITAL and not data.get("municipality"):
            self.add_error("municipality", _("Velg kommunen der gruppen skal møtes."))
        return data


class GroupStartsEmailForm(forms.Form):
    send_again = forms.BooleanField(
        label=_("Ja, send oppstartsmeldingen en gang til"), required=False
    )

    def __init__(self, *args, already_sent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not already_sent:
            del self.fields["send_again"]
        self.helper = _helper()
