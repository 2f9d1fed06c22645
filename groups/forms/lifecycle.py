"""Changing a group: its fields and its status."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contactpoints.access import municipality_ids
from groups.models import Group, Topic
from selvhjelp.forms import form_helper
from selvhjelp.models import Municipality

EDIT_FIELDS = [
    "name",
    "description",
    "topics",
    "audience",
    "format",
    "weekday",
    "start_time",
    "frequency",
    "starts_on",
    "municipality",
    "public_area",
    "public_postcode",
    "venue_address",
    "facilitators",
    "size_limit",
]


class GroupEditForm(forms.ModelForm):
    """All of a draft's fields; only the schedule and description once it is approved."""

    class Meta:
        model = Group
        fields = EDIT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "topics": forms.CheckboxSelectMultiple,
            "facilitators": forms.CheckboxSelectMultiple,
            "format": forms.RadioSelect,
            "public_postcode": forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "venue_address": _("Vises bare for ansatte og distriktskontoret, aldri offentlig."),
            "starts_on": _("Skriv dato som 2026-09-01, eller bruk datovelgeren."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = self.instance.editable_fields()
        if allowed is not None:
            for name in list(self.fields):
                if name not in allowed:
                    del self.fields[name]
        if "topics" in self.fields:
            self.fields["topics"].queryset = Topic.objects.all()
            self.fields["topics"].required = False
        if "facilitators" in self.fields:
            self.fields["facilitators"].queryset = self.instance.contact_point.facilitators.all()
        if "municipality" in self.fields:
            # Only where its contact point works (the service refuses any other).
            self.fields["municipality"].queryset = Municipality.objects.filter(
                number__in=municipality_ids(self.instance.contact_point)
            ).select_related("county")
        if "format" in self.fields:
            self.fields["format"].choices = Group.Format.choices
        self.helper = form_helper()

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class GroupStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Group.Status.choices, widget=forms.RadioSelect
    )
    open_for_new_members = forms.BooleanField(
        label=_("Åpen for nye deltakere"),
        required=False,
        help_text=_("Ta bort krysset når gruppen er full."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
