from html import escape

from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.html import format_html, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """The current page in another language, with its query string. From the URL the request
    already resolved to (every page has this link: resolving the path again cost more than the
    rest of the header)."""
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    try:
        if match is None or not match.view_name:
            raise NoReverseMatch
        with translation.override(language):
            url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        url = translate_url(request.path, language)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@register.filter
def has_required_fields(form) -> bool:
    """Whether crispy will mark a field of this form with "*" (a visible, required field)."""
    return any(field.field.required and not field.is_hidden for field in form)


@register.filter
def bdi(value) -> str:
    """A name someone typed, isolated from the text around it (<bdi>), so bidirectional control
    characters in it (stripped from new input, but perhaps in older rows) cannot turn a staff
    page's text around."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def search_field(field) -> str:
    """One search form field (a selvhjelp.forms.FieldView) in crispy's Bootstrap 5 markup: the
    ids, labels, errors and aria attributes of its bootstrap5 pack, written in Python (the
    search pages' template time went to one include and loop per field and option)."""
    return mark_safe(_search_field_html(field))  # noqa: S308 - every value is escaped


def _errors_html(field) -> str:
    return "".join(
        f'<p id="error_{n}_{escape(field.id)}"><strong>{escape(error)}</strong></p>'
        for n, error in enumerate(field.errors, start=1)
    )


def _search_field_html(f) -> str:
    fid, name, label = escape(f.id), escape(f.name), escape(f.label)
    invalid = " is-invalid" if f.errors else ""
    if f.kind == "checkbox":
        aria = f' aria-invalid="true" aria-describedby="{fid}_error"' if f.errors else ""
        errors = (
            f'<div id="{fid}_error" class="invalid-feedback">{_errors_html(f)}</div>'
            if f.errors
            else ""
        )
        return (
            f'<div class="mb-3"><div id="div_{fid}" class="form-check">\n'
            f'  <input type="checkbox" name="{name}" class="checkboxinput form-check-input'
            f'{invalid}"{aria} id="{fid}"{" checked" if f.checked else ""}>\n'
            f'  <label for="{fid}" class="form-check-label">{label}</label>\n'
            f"  {errors}\n"
            "</div></div>\n"
        )
    help_html = (
        f'<div id="{fid}_helptext" class="form-text">{escape(f.help_text)}</div>'
        if f.help_text
        else ""
    )
    if f.kind == "radio":
        aria_invalid = ' aria-invalid="true"' if f.errors else ""
        fieldset_aria = f' aria-describedby="{fid}_error"' if f.errors else ""
        options = "".join(
            '<div class="form-check">\n'
            f'      <input type="radio" class="form-check-input{invalid}" name="{name}"'
            f' value="{escape(value)}" id="{escape(option_id)}"{" checked" if checked else ""}'
            f"{aria_invalid}>\n"
            f'      <label for="{escape(option_id)}" class="form-check-label">'
            f"{escape(option_label)}</label>\n"
            "    </div>\n    "
            for value, option_label, checked, option_id in f.options
        )
        errors = (
            f'<div id="{fid}_error" class="invalid-feedback d-block">{_errors_html(f)}</div>'
            if f.errors
            else ""
        )
        return (
            f'<div id="div_{fid}" class="mb-3">\n'
            f"  <fieldset{fieldset_aria}>\n"
            f'    <legend class="form-label fs-6">{label}</legend>\n'
            f"    {options}{errors}\n"
            f"    {help_html}\n"
            "  </fieldset>\n"
            "</div>\n"
        )
    aria = ' aria-invalid="true"' if f.errors else ""
    described = f' aria-describedby="{escape(f.described_by)}"' if f.described_by else ""
    if f.kind == "select":
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(option_label)}</option>\n    "
            for value, option_label, selected, _option_id in f.options
        )
        control = (
            f'<select name="{name}" class="select form-select{invalid}"{aria}{described}'
            f' id="{fid}">\n    {options}</select>\n  '
        )
    else:
        value = "" if f.value is None else f' value="{escape(f.value)}"'
        maxlength = f' maxlength="{escape(f.maxlength)}"' if f.maxlength else ""
        autocomplete = f' autocomplete="{escape(f.autocomplete)}"' if f.autocomplete else ""
        control = (
            f'<input type="text" name="{name}"{value}{maxlength}{autocomplete}'
            f' class="textinput form-control{invalid}"{aria}{described} id="{fid}">\n  '
        )
    errors = (
        f'<div id="{fid}_error" class="invalid-feedback">{_errors_html(f)}</div>'
        if f.errors
        else ""
    )
    return (
        f'<div id="div_{fid}" class="mb-3">\n'
        f'  <label for="{fid}" class="form-label">{label}</label>\n'
        f"  {control}{errors}\n"
        f"  {help_html}\n"
        "</div>\n"
    )
