from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from selvhjelp.geo import Place, place_lookup, place_suggestions

# C0 controls but tab, newline and carriage return (text areas send those), DEL and C1 controls.
# No one types them; PostgreSQL refuses NUL in a text value, which would be a 500.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional controls let a name turn the text around it back to front on a staff page
# ("Trojan Source"); the Unicode bidi algorithm shows real right-to-left names without them.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
CONTROL_CHARACTERS_MESSAGE = _(
    "Feltet inneholder tegn vi ikke kan lese. Skriv det inn på nytt, uten å lime inn."
)


def has_control_characters(value) -> bool:
    values = value if isinstance(value, list | tuple) else [value]
    return any(isinstance(item, str) and CONTROL_CHARACTERS.search(item) for item in values)


def strip_bidi_controls(value: str) -> str:
    return BIDI_CONTROLS.sub("", value)


class PublicFormMixin:
    """For forms anyone can send. A field holding control characters gets a clear message next
    to it and is not cleaned at all (its lookups never see the bytes); bidirectional controls
    are taken out of every text value, so names read the same way on staff pages."""

    def _clean_fields(self) -> None:
        refused = {
            name for name, bound in self._bound_items() if has_control_characters(bound.data)
        }
        fields = self.fields
        self.fields = {name: field for name, field in fields.items() if name not in refused}
        try:
            super()._clean_fields()
        finally:
            self.fields = fields
        for name in refused:
            self.add_error(
                name, forms.ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")
            )
        for name, value in self.cleaned_data.items():
            if isinstance(value, str):
                self.cleaned_data[name] = strip_bidi_controls(value)

    def refuse(self, message: str) -> None:
        """Shows `message` on the bound form without validating it (e.g. over a rate limit,
        where validating is the work the limit is there to spare); the input stays filled in."""
        self.cleaned_data = {}
        self._errors = ErrorDict()
        self.add_error(None, message)


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


def form_helper(*fields, form_tag: bool = False, method: str = "post") -> FormHelper:
    """The crispy helper every form here uses: the template writes the <form> tag and its own
    CSRF token; `fields` (optional) become the layout."""
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.form_method = method
    helper.disable_csrf = True  # the template has its own token
    if fields:
        helper.layout = Layout(*fields)
    return helper


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal onto the form: next to the field it names when the form has that
    field, else at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
