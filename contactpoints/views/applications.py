"""Applications to become a contact point: the public form (/bli-kontaktpunkt/), and the district
office's list of pending applications with the decision on each."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints import services
from contactpoints.access import user_may_decide_application
from contactpoints.forms import ApplicationForm, DeclineForm
from contactpoints.models import ContactPointApplication
from selvhjelp import ratelimit
from selvhjelp.access import get_office_for_user
from selvhjelp.forms import INVALID, LIMITED, public_form_submit
from selvhjelp.models import DistrictOffice
from selvhjelp.paging import paginate

logger = logging.getLogger(__name__)

RATE_LIMIT_PER_IP = 5
RATE_LIMIT_WINDOW_SECONDS = 60 * 60
PAGE_SIZE = 25


@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, ApplicationForm())
    form = ApplicationForm(request.POST)

    def submit(data: dict) -> None:
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

    outcome = public_form_submit(
        request,
        form,
        log_name="application",
        limits=[
            (
                f"application:ip:{ratelimit.client_ip(request)}",
                RATE_LIMIT_PER_IP,
                RATE_LIMIT_WINDOW_SECONDS,
            )
        ],
        too_many=_("Vi har fått mange søknader herfra på kort tid. Vent en time og prøv igjen."),
        submit=submit,
    )
    if outcome == LIMITED:
        return _render(request, form, status=429)
    if outcome == INVALID:
        return _render(request, form)
    return redirect("contactpoints:application-thanks")


def application_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contactpoints/application_thanks.html")


def _render(request: HttpRequest, form: ApplicationForm, status: int = 200) -> HttpResponse:
    return render(request, "contactpoints/application_form.html", {"form": form}, status=status)


# The district office's side: the pending applications of its area, and the decision.


@login_required
@never_cache
def application_list(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    applications = (
        ContactPointApplication.objects.in_counties(counties)
        .pending()
        .select_related("postal_code__municipality")
        .order_by("created_at", "pk")
    )
    page, page_query = paginate(request, applications, PAGE_SIZE)
    context = {
        "office": office,
        "applications": page.object_list,
        "page": page,
        "page_query": page_query,
    }
    return render(request, "district/application_list.html", context)


def _back_to_list(office: DistrictOffice | None) -> HttpResponse:
    """Back to the office's list, or to the staff home when no office covers the county."""
    if office is None:
        return redirect("staff-home")
    return redirect("district:application-list", slug=office.slug)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        ContactPointApplication.objects.select_related(
            "postal_code__municipality__county", "contact_point"
        ),
        pk=pk,
    )
    if not user_may_decide_application(request.user, application):
        raise Http404
    office = services.district_office_for(application.postal_code.municipality)
    decline_form = DeclineForm(request.POST if "avslaa" in request.POST else None)
    if request.method == "POST":
        try:
            if "godkjenn" in request.POST:
                contact_point = services.application_approve(
                    application=application, actor=request.user
                )
                messages.success(
                    request,
                    _("«%(name)s» er nå kontaktpunkt, og kontaktpersonen har fått en invitasjon.")
                    % {"name": contact_point.name},
                )
                return _back_to_list(office)
            if decline_form.is_valid():
                services.application_decline(
                    application=application,
                    actor=request.user,
                    reason=decline_form.cleaned_data["reason"],
                )
                messages.success(request, _("Søknaden er avslått, og søkeren har fått beskjed."))
                return _back_to_list(office)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("district:application-review", pk=application.pk)
    context = {
        "application": application,
        "office": office,
        "municipalities": list(application.municipalities.all()),
        "decline_form": decline_form,
        "is_pending": application.status == ContactPointApplication.Status.PENDING,
    }
    status = 400 if decline_form.is_bound else 200
    return render(request, "district/application_review.html", context, status=status)
