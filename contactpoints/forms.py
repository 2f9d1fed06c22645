"""The place-and-radius search shared by the contact point finder and the group finder.

The groups app builds its search form on top of `PlaceSearchForm` (dependencies point one way:
selvhjelp <- contactpoints <- groups)."""

from __future__ import annotations

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from selvhjelp.forms import PlaceField
from selvhjelp.geo import Place, place_suggestions

RADIUS_CHOICES = [(km, f"{km} km") for km in (5, 10, 25, 50, 100)]
DEFAULT_RADIUS_KM = 25
# The same words for a bad latitude or longitude: the person never typed either.
_POSITION_ERRORS = {
    "invalid": _("Vi klarte ikke å lese posisjonen din. Skriv inn et sted i stedet."),
    "min_value": _("Posisjonen din ser ikke riktig ut. Skriv inn et sted i stedet."),
    "max_value": _("Posisjonen din ser ikke riktig ut. Skriv inn et sted i stedet."),
}


class FieldView:
    """What contactpoints/includes/_field.html needs to draw one field in Bootstrap markup.

    Computed once in Python so the search pages need neither crispy-forms nor Django's widget
    templates (one template render per option): the same ids, labels, errors and aria
    attributes as crispy's bootstrap5 pack, at a fraction of the cost."""

    def __init__(self, bound_field: forms.BoundField):
        field, widget = bound_field.field, bound_field.field.widget
        self.name = bound_field.html_name
        self.id = bound_field.auto_id
        self.label = str(field.label)
        self.help_text = str(field.help_text or "")
        self.errors = [str(error) for error in bound_field.errors]
        self.maxlength = widget.attrs.get("maxlength")
        self.autocomplete = widget.attrs.get("autocomplete")
        value = bound_field.value()
        self.value = None
        self.checked = False
        self.options: list[tuple[str, str, bool, str]] = []
        if isinstance(widget, forms.CheckboxInput):
            self.kind = "checkbox"
            self.checked = widget.check_test(value)
        elif isinstance(widget, ChoiceWidget):
            self.kind = "radio" if isinstance(widget, forms.RadioSelect) else "select"
            if value in (None, "") and field.initial is not None:
                # A search without this parameter uses the field's default: show it as chosen.
                value = field.initial
            selected = set(widget.format_value(value))
            self.options = [
                (str(key), str(label), str(key) in selected, f"{self.id}_{index}")
                for index, (key, label) in enumerate(_choice_pairs(field))
            ]
        else:
            self.kind = "text"
            self.value = widget.format_value(value)

    @property
    def described_by(self) -> str:
        ids = [f"{self.id}_helptext"] if self.help_text else []
        if self.errors:
            ids.append(f"{self.id}_error")
        return " ".join(ids)


def _choice_pairs(field: forms.Field):
    pairs = getattr(field, "choice_pairs", None)
    return pairs() if pairs else field.choices


class PlaceSearchForm(forms.Form):
    """Where to search from: a postcode, place or municipality (`sted`), or the browser's
    position (`lat`/`lon`, filled in by static/js/search.js), and how far (`avstand`)."""

    # The page shows "Mente du" links of its own (place_suggestion_links), so the error does not.
    sted = PlaceField(required=False, suggest_in_message=False)
    avstand = forms.TypedChoiceField(
        label=_("Avstand"),
        choices=RADIUS_CHOICES,
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
        initial=DEFAULT_RADIUS_KM,
        error_messages={
            "invalid_choice": _("Velg en avstand fra listen: 5, 10, 25, 50 eller 100 km.")
        },
    )
    lat = forms.FloatField(
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
        error_messages=_POSITION_ERRORS,
    )
    lon = forms.FloatField(
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
        error_messages=_POSITION_ERRORS,
    )

    @cached_property
    def display(self) -> dict[str, FieldView]:
        """Every field, ready for contactpoints/includes/_field.html."""
        return {name: FieldView(self[name]) for name in self.fields}

    def clean(self):
        cleaned = super().clean()
        has_lat = cleaned.get("lat") is not None
        has_lon = cleaned.get("lon") is not None
        if has_lat != has_lon and not self.has_error("lat") and not self.has_error("lon"):
            self.add_error("lat", _("Posisjonen din mangler en del. Skriv inn et sted i stedet."))
        return cleaned

    @property
    def position_errors(self) -> list[str]:
        """Errors on the hidden position fields, shown next to the place field."""
        return list(dict.fromkeys([*self.errors.get("lat", []), *self.errors.get("lon", [])]))

    @property
    def place_suggestions(self) -> list[str]:
        """Known places that look like an unknown `sted`, offered as links."""
        if not self.is_bound or not self.has_error("sted", "unknown_place"):
            return []
        return place_suggestions(self.data.get("sted", ""))

    def place_suggestion_links(self) -> list[tuple[str, str]]:
        """(place, query string) pairs: the same search with the suggested place instead."""
        links = []
        for name in self.place_suggestions:
            query = self.data.copy()
            query["sted"] = name
            for key in ("side", "lat", "lon"):
                query.pop(key, None)
            links.append((name, query.urlencode()))
        return links

    def origin(self) -> Place | None:
        """The point to measure distances from, once the form is valid: a typed place wins
        over the browser's position."""
        if self.cleaned_data.get("sted"):
            return self.cleaned_data["sted"]
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        if lat is not None and lon is not None:
            return Place(
                name=str(_("din posisjon")), latitude=lat, longitude=lon, municipality_number=""
            )
        return None

    def radius_km(self) -> int:
        return self.cleaned_data.get("avstand") or DEFAULT_RADIUS_KM
