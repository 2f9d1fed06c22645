from __future__ import annotations

import logging
import re
from collections.abc import Callable

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from selvhjelp import ratelimit
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


logger = logging.getLogger(__name__)


def has_control_characters(value) -> bool:
    values = value if isinstance(value, list | tuple) else [value]
    return any(isinstance(item, str) and CONTROL_CHARACTERS.search(item) for item in values)


def strip_bidi_controls(value: str) -> str:
    return BIDI_CONTROLS.sub("", value)


# A field people never see (hidden by CSS): a bot that fills it in is thanked and ignored.
HONEYPOT_FIELD = "website"

_PHONE_ALLOWED = re.compile(r"^\+?[\d\s]+$")


def validated_phone(value: str) -> str:
    """The one phone rule: digits and spaces (a leading + allowed), 8 to 15 digits; spaces
    folded. Empty stays empty."""
    phone = " ".join(value.split())
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if not _PHONE_ALLOWED.match(phone) or not 8 <= len(digits) <= 15:
        raise forms.ValidationError(
            _("Skriv et telefonnummer med minst åtte sifre, for eksempel 912 34 567."),
            code="invalid_phone",
        )
    return phone


def require_email_or_phone(
    form: forms.BaseForm,
    message: str,
    *,
    email: str = "email",
    phone: str = "phone",
    error_on: str | None = None,
) -> None:
    """The "email or phone" rule: one of the two fields must be filled in. A field with its
    own error (a mistyped address) already tells the person what to fix, so no second message."""
    data = form.cleaned_data
    if data.get(email) or data.get(phone) or form.has_error(email) or form.has_error(phone):
        return
    form.add_error(error_on or email, forms.ValidationError(message, code="no_way_to_reach"))


class PublicFormMixin:
    """For forms anyone can send. A field holding control characters gets a clear message next
    to it and is not cleaned at all (its lookups never see the bytes); bidirectional controls
    are taken out of every text value, so names read the same way on staff pages. The form
    carries the honeypot field (`HONEYPOT_FIELD`)."""

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

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


# The one flow of a public form -----------------------------------------------------------------

SENT, LIMITED, INVALID = "sent", "limited", "invalid"


def public_form_submit(
    request: HttpRequest,
    form: PublicFormMixin,
    *,
    log_name: str,
    limits: list[tuple[str, int, int]],
    too_many: str,
    submit: Callable[[dict], object],
    limits_after_validation: Callable[[dict], list[tuple[str, int, int]]] = lambda data: [],
) -> str:
    """Honeypot, rate limits, the form, then the service, the same way for every public form.

    Returns SENT (also for a filled honeypot, which is thanked and ignored), LIMITED (429: the
    message is on the form, the input kept) or INVALID (the form or the service refused; the
    messages are next to the fields). `limits` are (key, limit, window seconds) checked before
    validation, which looks things up: the work they cap. `limits_after_validation` can use the
    cleaned data (an email address). Keys are hashed by `ratelimit.hit`; logs name no person.
    """
    if form.honeypot_filled():
        logger.info("%s: honeypot filled, nothing saved", log_name)
        return SENT
    for key, limit, window in limits:
        if not ratelimit.hit(key, limit, window):
            logger.info("%s: rate limit reached, nothing saved", log_name)
            form.refuse(too_many)
            return LIMITED
    if not form.is_valid():
        return INVALID
    for key, limit, window in limits_after_validation(form.cleaned_data):
        if not ratelimit.hit(key, limit, window):
            logger.info("%s: rate limit reached, nothing saved", log_name)
            form.add_error(None, too_many)
            return LIMITED
    try:
        submit(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return INVALID
    return SENT
