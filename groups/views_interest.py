"""Meld interesse: the public form, the thank-you page and the withdraw link from the receipt."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contactpoints.models import ContactPoint
from groups import services
from groups.forms import InterestForm
from groups.models import Group, Topic
from selvhjelp import ratelimit

logger = logging.getLogger(__name__)

RATE_LIMIT_WINDOW_SECONDS = 60 * 60


@require_http_methods(["GET", "POST"])
def interest_create(request: HttpRequest) -> HttpResponse:
    topic = Topic.objects.filter(slug=request.GET.get("tema", "")).first()
    contact_point = None
    if slug := request.GET.get("kontaktpunkt"):
        contact_point = ContactPoint.objects.published().filter(slug=slug).first()
    initial = {"place": request.GET["sted"]} if request.GET.get("sted") else None
    return _interest_page(
        request,
        contact_point=contact_point,
        topic=topic,
        initial=initial,
        action=request.get_full_path(),
    )


@require_http_methods(["GET", "POST"])
def interest_create_for_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(
        Group.objects.published().select_related("contact_point", "municipality__county"),
        slug=slug,
    )
    return _interest_page(
        request,
        group=group,
        action=reverse("groups:interest-create-for-group", kwargs={"slug": group.slug}),
    )


def interest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/interest_thanks.html")


@require_http_methods(["GET", "POST"])
def interest_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    interest = services.interest_from_withdraw_token(token)
    if interest is None:
        # Used before, or the link is broken: nothing to do, and nothing to alarm anyone about.
        return render(request, "groups/interest_withdraw.html", {"state": "gone"})
    if request.method == "POST":
        services.interest_withdraw(interest=interest)
        return render(request, "groups/interest_withdraw.html", {"state": "done"})
    return render(
        request, "groups/interest_withdraw.html", {"state": "confirm", "topic": interest.topic}
    )


def _interest_page(
    request: HttpRequest,
    *,
    action: str,
    group: Group | None = None,
    contact_point: ContactPoint | None = None,
    topic: Topic | None = None,
    initial: dict | None = None,
) -> HttpResponse:
    context = {"group": group, "contact_point": contact_point, "interest_action": action}
    if request.method != "POST":
        form = InterestForm(group=group, contact_point=contact_point, topic=topic, initial=initial)
        return _render_form(request, form, context)

    form = InterestForm(request.POST, group=group, contact_point=contact_point, topic=topic)
    if form.honeypot_filled():
        logger.info("interest: honeypot filled, nothing saved")
        return redirect("groups:interest-thanks")

    too_many = _(
        "Vi har fått mange meldinger herfra på kort tid. Vent en time og prøv igjen, "
        "eller ring kontaktpunktet."
    )
    # The address limit comes before validation, which looks places up: the work it caps.
    if not ratelimit.hit(
        f"interest:ip:{ratelimit.client_ip(request)}",
        settings.RATE_LIMIT_INTEREST_PER_IP,
        RATE_LIMIT_WINDOW_SECONDS,
    ):
        logger.info("interest: rate limit reached, nothing saved")
        form.refuse(too_many)
        return _render_form(request, form, context, status=429)
    if not form.is_valid():
        return _render_form(request, form, context)
    data = form.cleaned_data
    if data["email"] and not ratelimit.hit(
        f"interest:email:{data['email'].lower()}",
        settings.RATE_LIMIT_INTEREST_PER_EMAIL,
        RATE_LIMIT_WINDOW_SECONDS,
    ):
        logger.info("interest: rate limit reached, nothing saved")
        form.add_error(None, too_many)
        return _render_form(request, form, context, status=429)

    try:
        services.interest_register(
            topic=data["topic"],
            municipality=data["municipality"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            preferred_format=data["preferred_format"],
            note=data["note"],
            consent_text_version=data["consent_version"],
            group=group,
            contact_point=contact_point,
            latitude=data["place"].latitude if data.get("place") else None,
            longitude=data["place"].longitude if data.get("place") else None,
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_form(request, form, context)
    return redirect("groups:interest-thanks")


def _render_form(
    request: HttpRequest, form: InterestForm, context: dict, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "groups/interest_form_page.html",
        {**context, "interest_form": form},
        status=status,
    )
