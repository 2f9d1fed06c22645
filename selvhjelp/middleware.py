"""Request checks that hold for every page, public or staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render

from selvhjelp.forms import has_control_characters


class ControlCharactersMiddleware:
    """Answers 400 with a plain page when a query parameter (name or value) holds a control
    character. No link or form of ours sends one; PostgreSQL refuses NUL in a text value, so
    `?tema=%00` would otherwise end in a 500 wherever a parameter reaches a query. Posted forms
    are checked field by field instead (selvhjelp.forms.PublicFormMixin), so the person keeps
    what they typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            has_control_characters(key) or has_control_characters(values)
            for key, values in request.GET.lists()
        ):
            return render(request, "selvhjelp/bad_characters.html", status=400)
        return self.get_response(request)


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses only what an anonymous visitor gets without a CSRF token in it.

    BREACH: over HTTPS, an attacker who can make a victim's browser send many requests with
    input the page reflects (a search word, a form field shown again) can learn a secret on the
    same compressed page byte by byte from the response sizes. The secrets here are the CSRF
    token (Django masks it per response, which already defeats BREACH for the token) and, on
    staff pages and forms shown again with errors, personal data. So a response is compressed
    only when the visitor is not logged in and the response sets no cookie (a page that used a
    CSRF token, i.e. has a form that posts, always renews the CSRF cookie): the search pages, the
    group pages' text and the information pages, which hold nothing secret.
    Everything else goes uncompressed; Django's gzip also pads with random bytes ("Heal the
    Breach"). Static files are compressed ahead of time by WhiteNoise (Brotli and gzip)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated or response.cookies:
            return response
        if request.method not in ("GET", "HEAD"):
            # A form shown again holds what the person typed; the sign-up forms carry no CSRF
            # token (selvhjelp/origin.py), so "sets no cookie" alone no longer rules them out.
            return response
        return super().process_response(request, response)
