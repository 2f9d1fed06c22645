from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.forms.widgets import ChoiceWidget
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
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


# The place search (contact point finder and group search) ----------------------------------------
# The place-and-radius search shared by the contact point finder and the group finder.
#
# The groups app builds its search form on top of `PlaceSearchForm` (dependencies point one way:
# selvhjelp <- contactpoints <- groups).

RADIUS_CHOICES = [(km, f"{km} km") for km in (5, 10, 25, 50, 100)]
DEFAULT_RADIUS_KM = 25
# The same words for a bad latitude or longitude: the person never typed either.
_POSITION_ERRORS = {
    "invalid": _("Vi klarte ikke å lese posisjonen din. Skriv inn et sted i stedet."),
    "min_value": _("Posisjonen din ser ikke riktig ut. Skriv inn et sted i stedet."),
    "max_value": _("Posisjonen din ser ikke riktig ut. Skriv inn et sted i stedet."),
}


class FieldView:
    """What a field template needs to draw one field in Bootstrap markup: the search forms'
    search_field filter (selvhjelp/templatetags/selvhjelp.py), and selvhjelp/includes/
    _form_fields.html for a whole form.

    Computed once in Python so the public pages need neither crispy-forms nor Django's widget
    templates (one template render per option): the same ids, labels, errors and aria
    attributes as crispy's bootstrap5 pack, at a fraction of the cost."""

    def __init__(self, bound_field: forms.BoundField, *, wrapper_class: str = ""):
        field, widget = bound_field.field, bound_field.field.widget
        self.bound_field = bound_field
        self.name = bound_field.html_name
        self.id = bound_field.auto_id
        self.label = str(field.label)
        self.help_text = str(field.help_text or "")
        self.errors = [str(error) for error in bound_field.errors]
        self.required = field.required
        self.wrapper_class = wrapper_class
        self.maxlength = widget.attrs.get("maxlength")
        self.autocomplete = widget.attrs.get("autocomplete")
        self.input_type = getattr(widget, "input_type", "")
        value = bound_field.value()
        self.value = None
        self.checked = False
        if isinstance(widget, forms.CheckboxInput):
            self.kind = "checkbox"
            self.checked = widget.check_test(value)
            self.value = widget.format_value(value)
        elif isinstance(widget, ChoiceWidget):
            self.kind = "radio" if isinstance(widget, forms.RadioSelect) else "select"
        else:
            if widget.is_hidden:
                self.kind = "hidden"
            elif isinstance(widget, forms.Textarea):
                self.kind = "textarea"
            else:
                self.kind = "text"
            self.value = widget.format_value(value)

    @property
    def described_by(self) -> str:
        ids = [f"{self.id}_helptext"] if self.help_text else []
        if self.errors:
            ids.append(f"{self.id}_error")
        return " ".join(ids)

    @cached_property
    def options(self) -> list[tuple[str, str, bool, str]]:
        """A choice field's options for the search_field filter, as (value, label,
        chosen, id)."""
        field, widget = self.bound_field.field, self.bound_field.field.widget
        value = self.bound_field.value()
        if value in (None, "") and field.initial is not None:
            # A search without this parameter uses the field's default: show it as chosen.
            value = field.initial
        selected = set(widget.format_value(value))
        return [
            (str(key), str(label), str(key) in selected, f"{self.id}_{index}")
            for index, (key, label) in enumerate(_choice_pairs(field))
        ]

    @cached_property
    def attrs(self) -> str:
        """The widget's attributes as crispy's bootstrap5 pack writes them, in its order: the
        widget's own (autocomplete, maxlength, rows ...), crispy's classes, then Django's
        required, aria-invalid, aria-describedby and id (and checked)."""
        widget = self.bound_field.field.widget
        attrs = dict(widget.attrs)
        if self.kind in _CRISPY_CLASSES:
            attrs["class"] = _crispy_class(
                widget, f"{_CRISPY_CLASSES[self.kind]}{' is-invalid' if self.errors else ''}"
            )
        attrs.update(self.bound_field.build_widget_attrs({}, widget))
        if self.id and "id" not in widget.attrs:
            attrs.setdefault("id", self.id)
        if self.checked:
            attrs["checked"] = True
        return html_attrs(attrs)

    @cached_property
    def choices(self) -> list[tuple[str, str, str, str]]:
        """A choice field's options as (value, label, id, attributes), as Django's widget
        gives them to crispy's bootstrap5 pack and its own select template: a radio option's
        id, aria-invalid and checked, a select option's selected."""
        bound_field, widget = self.bound_field, self.bound_field.field.widget
        attrs = bound_field.build_widget_attrs({"id": self.id} if self.id else {})
        values = widget.format_value(bound_field.value())
        return [
            (
                str(option["value"]),
                str(option["label"]),
                option["attrs"].get("id", ""),
                html_attrs(option["attrs"]),
            )
            for _group, options, _index in widget.optgroups(self.name, values, attrs)
            for option in options
        ]

    @cached_property
    def control(self) -> str:
        """The input, select or textarea itself, as Django's widget templates write it (with
        crispy's classes): for selvhjelp/includes/_form_fields.html, without a template render
        per widget and per option."""
        if self.kind == "select":
            options = format_html_join(
                "",
                '\n    <option value="{}"{}>{}</option>',
                ((value, attrs, label) for value, label, _id, attrs in self.choices),
            )
            return format_html('<select name="{}"{}>{}\n</select>', self.name, self.attrs, options)
        if self.kind == "textarea":
            return format_html(
                '<textarea name="{}"{}>\n{}</textarea>', self.name, self.attrs, self.value or ""
            )
        value = "" if self.value is None else format_html(' value="{}"', self.value)
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, self.name, value, self.attrs
        )


class FormView:
    """What selvhjelp/includes/_form_fields.html needs to draw a whole form the way
    `{% crispy form %}` does (no layout objects: the fields in order, a wrapper class each at
    most), without crispy's cost: one template, no per-field or per-widget templates."""

    def __init__(self, form: forms.BaseForm, *, wrapper_classes: dict[str, str] | None = None):
        wrapper_classes = wrapper_classes or {}
        self.fields = [
            FieldView(form[name], wrapper_class=wrapper_classes.get(name, ""))
            for name in form.fields
        ]
        self.non_field_errors = [str(error) for error in form.non_field_errors()]
        # What crispy marks with "*" (selvhjelp/includes/_required_note.html explains it).
        self.has_required_fields = any(
            field.required and field.kind != "hidden" for field in self.fields
        )


# The classes crispy's bootstrap5 pack gives each kind of widget, after the widget's own name.
_CRISPY_CLASSES = {
    "text": "form-control",
    "textarea": "form-control",
    "select": "form-select",
    "checkbox": "form-check-input",
}


def _crispy_class(widget: forms.Widget, classes: str) -> str:
    """The class attribute crispy writes: the widget's own classes, the widget's name in lower
    case ("textinput", "emailinput") and `classes`, each once."""
    name = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    if not own:
        own = name
    elif name not in own:
        own += f" {name}"
    words = own.split()
    return " ".join([own, *(word for word in classes.split() if word not in words)])


def html_attrs(attrs: dict) -> str:
    """Attributes as Django's django/forms/widgets/attrs.html writes them, in order: `True` as
    the bare name, `False` left out, every value escaped."""
    return mark_safe(  # noqa: S308 - every value is escaped here
        "".join(
            f" {name}" if value is True else f' {name}="{_escaped(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def _escaped(value) -> str:
    """conditional_escape() without its check for lazy strings on every call (a form's
    attributes are many, and none of them is lazy)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


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
        """Every field, ready for the search_field filter."""
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
