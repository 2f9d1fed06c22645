from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.html import format_html

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
