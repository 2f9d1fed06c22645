"""Ordering: the public order form (a basket with a quantity per title and the delivery
address), the status page behind the signed link, and the contact point's own orders."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints.access import get_contact_point_for_user
from materials import services, tokens
from materials.access import orders_as_staff
from materials.forms import OrderForm
from materials.models import Material, Order
from selvhjelp import ratelimit

logger = logging.getLogger(__name__)

RATE_LIMIT_WINDOW_SECONDS = 60 * 60


def _initial_quantities(request: HttpRequest, materials: list[Material]) -> dict:
    """?tittel=<slug> from a title's page puts one copy of it in the basket."""
    slug = request.GET.get("tittel")
    return {services.line_field(material.pk): 1 for material in materials if material.slug == slug}


@require_http_methods(["GET", "POST"])
@never_cache
def order_create(request: HttpRequest) -> HttpResponse:
    staff = orders_as_staff(request.user)
    materials = list(Material.objects.orderable())
    context = {"materials": materials, "staff": staff}
    if request.method != "POST":
        form = OrderForm(
            materials=materials, staff=staff, initial=_initial_quantities(request, materials)
        )
        return _render(request, form, context)

    form = OrderForm(request.POST, materials=materials, staff=staff)
    if form.honeypot_filled():
        logger.info("materials: honeypot filled, nothing saved")
        return redirect("materials:material-list")
    too_many = _(
        "Vi har fått mange bestillinger herfra på kort tid. Vent en time og prøv igjen, "
        "eller send oss en e-post."
    )
    if not ratelimit.hit(
        f"materials:ip:{ratelimit.client_ip(request)}",
        settings.RATE_LIMIT_ORDER_PER_IP,
        RATE_LIMIT_WINDOW_SECONDS,
    ):
        logger.info("materials: rate limit reached, nothing saved")
        form.refuse(too_many)
        return _render(request, form, context, status=429)
    if not form.is_valid():
        return _render(request, form, context)
    if not ratelimit.hit(
        f"materials:email:{form.cleaned_data['email'].lower()}",
        settings.RATE_LIMIT_ORDER_PER_EMAIL,
        RATE_LIMIT_WINDOW_SECONDS,
    ):
        form.add_error(None, too_many)
        return _render(request, form, context, status=429)
    return _place(request, form, context, staff=staff)


def _place(request, form: OrderForm, context: dict, *, staff: bool, contact_point=None):
    try:
        order = services.order_place(
            quantities=form.quantities(),
            address=form.address(),
            staff=staff,
            contact_point=contact_point,
            placed_by=request.user if request.user.is_authenticated else None,
            language=get_language() or "nb",
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render(request, form, context)
    if contact_point is not None:
        return redirect("workspace:material-orders", slug=contact_point.slug)
    return redirect(tokens.order_status_path(order) + "?ny=1")


def _render(request, form: OrderForm, context: dict, status: int = 200) -> HttpResponse:
    template = context.get("template", "materials/order_form.html")
    return render(request, template, {**context, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
def order_status(request: HttpRequest, token: str) -> HttpResponse:
    order = tokens.order_from_status_token(token)
    if order is None:
        return render(request, "materials/order_status.html", {"order": None}, status=404)
    error = None
    if request.method == "POST":
        try:
            order = services.order_cancel(order=order, by_person=True)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            return redirect(request.path)
    return render(
        request,
        "materials/order_status.html",
        {
            "order": order,
            "lines": order.lines.select_related("material"),
            "is_new": "ny" in request.GET,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET"])
def workspace_orders(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_user(request, slug)
    orders = (
        Order.objects.filter(contact_point=contact_point)
        .select_related("postal_code")
        .prefetch_related("lines__material")[:100]
    )
    return render(
        request,
        "materials/workspace_orders.html",
        {"contact_point": contact_point, "orders": orders, "current": "material-orders"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def workspace_order_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The contact point's staff order with its address filled in and the staff caps."""
    contact_point = get_contact_point_for_user(request, slug)
    materials = list(Material.objects.orderable())
    context = {
        "materials": materials,
        "staff": True,
        "contact_point": contact_point,
        "current": "material-orders",
        "template": "materials/workspace_order_form.html",
    }
    if request.method != "POST":
        initial = {
            "name": request.user.name,
            "organisation": contact_point.name,
            "street_address": contact_point.street_address,
            "postcode": contact_point.postal_code_id or "",
            "email": contact_point.email or request.user.email,
            "phone": contact_point.phone,
        }
        form = OrderForm(materials=materials, staff=True, initial=initial)
        return _render(request, form, context)
    form = OrderForm(request.POST, materials=materials, staff=True)
    if not form.is_valid():
        return _render(request, form, context)
    return _place(request, form, context, staff=True, contact_point=contact_point)
