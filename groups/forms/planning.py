"""Planning a group from the interest list, and the "the group starts" email."""

from __future__ import annotations

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint
from groups.models import Group, Interest
from selvhjelp.forms import form_helper
from selvhjelp.models import Municipality


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
            Interest.objects.at(contact_point)
            .active()
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
        self.helper = form_helper()
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
        self.helper = form_helper()
