"""The public application to become a contact point: /bli-kontaktpunkt/."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contactpoints import services
from contactpoints.forms_application import ApplicationForm
from selvhjelp import ratelimit

logger = logging.getLogger(__name__)

RATE_LIMIT_PER_IP = 5
RATE_LIMIT_WINDOW_SECONDS = 60 * 60


@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, ApplicationForm())
    form = ApplicationForm(request.POST)
    if form.honeypot_filled():
        logger.info("application: honeypot filled, nothing saved")
        return redirect("applications:application-thanks")
    # The limit comes before validation: validating looks things up, the work it is there to cap.
    if not ratelimit.hit(
        f"application:ip:{ratelimit.client_ip(request)}",
        RATE_LIMIT_PER_IP,
        RATE_LIMIT_WINDOW_SECONDS,
    ):
        logger.info("application: rate limit reached, nothing saved")
        form.refuse(_("Vi har fått mange søknader herfra på kort tid. Vent en time og prøv igjen."))
        return _render(request, form, status=429)
    if not form.is_valid():
        return _render(request, form)
    data = form.cleaned_data
    try:
        services.application_submit(
            organisation=data["organisation"],
            host_kind=data["host_kind"],
            street_address=data["street_address"],
            postal_code=data["postcode"],
            municipalities=data["municipalities"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            message=data["message"],
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render(request, form)
    return redirect("applications:application-thanks")


def application_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contactpoints/application_thanks.html")


def _render(request: HttpRequest, form: ApplicationForm, status: int = 200) -> HttpResponse:
    return render(request, "contactpoints/application_form.html", {"form": form}, status=status)
