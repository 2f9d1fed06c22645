"""Request checks that hold for every page, public or staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
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
