from django import forms
from django.utils.translation import gettext_lazy as _

from selvhjelp.geo import Place, place_lookup, place_suggestions


class PlaceField(forms.CharField):
    """A postcode, place or municipality that must be known; cleans to a `Place`.

    `suggest_in_message=False` leaves the "Mente du" names out of the error, for a page that
    shows them as links of its own (the search pages)."""

    def __init__(self, *, suggest_in_message: bool = True, **kwargs):
        kwargs.setdefault("label", _("Postnummer eller sted"))
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.suggest_in_message = suggest_in_message
        self.widget.attrs.setdefault("autocomplete", "postal-code")

    def lookup(self, value: str) -> Place | None:
        return place_lookup(value)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        place = self.lookup(value)
        if place is None:
            suggestions = place_suggestions(value) if self.suggest_in_message else []
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
