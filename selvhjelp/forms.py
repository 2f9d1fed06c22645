from django import forms
from django.utils.translation import gettext_lazy as _

from selvhjelp.geo import place_lookup, place_suggestions


class PlaceField(forms.CharField):
    """A postcode, place or municipality that must be known; cleans to a `Place`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Postnummer eller sted"))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "postal-code")

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        place = place_lookup(value)
        if place is None:
            suggestions = place_suggestions(value)
            if value.strip().isdigit():
                message = _("Vi finner ikke postnummeret «%(value)s». Sjekk at det har fire sifre.")
            elif suggestions:
                message = _("Vi finner ikke «%(value)s». Mente du: %(suggestions)s?")
            else:
                message = _("Vi finner ikke «%(value)s». Prøv et postnummer eller en kommune.")
            raise forms.ValidationError(
                message,
                code="unknown_place",
                params={"value": value, "suggestions": ", ".join(suggestions)},
            )
        return place


class FrontPageSearchForm(forms.Form):
    sted = PlaceField(required=True)
