"""The national admins' pages: the fulfilment list with its bulk actions and batch print, one
order's page with its history, stock and restocking, and the figures."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from materials import pdf, services
from materials.access import require_materials_admin
from materials.forms import FulfilmentFilterForm, RestockForm
from materials.models import Material, Order, OrderLine
from selvhjelp.mfa import staff_page
from selvhjelp.paging import paginate

PRINT_ACTIONS = {"slips", "labels"}
# Batch print and bulk actions take at most this many orders at once (a day's packing).
MAX_SELECTED = 500


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def fulfilment_list(request: HttpRequest) -> HttpResponse:
    require_materials_admin(request)
    if request.method == "POST":
        return _bulk(request)
    form = FulfilmentFilterForm(request.GET or None)
    orders = form.filter(Order.objects.for_list())
    page, page_query = paginate(request, orders, 50)
    return render(
        request,
        "materials/fulfilment_list.html",
        {"filter_form": form, "page": page, "page_query": page_query},
    )


def _selected(request: HttpRequest) -> list[Order]:
    ids = [value for value in request.POST.getlist("ordre") if value.isdigit()][:MAX_SELECTED]
    return list(Order.objects.for_list().filter(pk__in=ids).order_by("pk"))


def _bulk(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("handling", "")
    orders = _selected(request)
    back = request.POST.get("neste", "")
    back = back if back.startswith("?") else ""
    if not orders:
        messages.error(request, _("Velg minst én bestilling."))
        return redirect(request.path + back)
    if action in PRINT_ACTIONS:
        orders = [order for order in orders if order.personal_data_deleted_at is None]
        if action == "slips":
            body, filename = pdf.packing_slips(orders), "pakkelapper.pdf"
        else:
            body, filename = pdf.address_labels(orders), "adresseetiketter.pdf"
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    if action not in services.ACTIONS:
        messages.error(request, _("Velg hva som skal gjøres med bestillingene."))
        return redirect(request.path + back)
    done, problems = services.orders_bulk(orders=orders, action=action, by=request.user)
    if done:
        messages.success(request, _("%(count)s bestillinger er oppdatert.") % {"count": done})
    for problem in problems:
        messages.error(request, problem)
    return redirect(request.path + back)


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def fulfilment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_materials_admin(request)
    order = get_object_or_404(Order.objects.for_list(), pk=pk)
    if request.method == "POST":
        action = request.POST.get("handling", "")
        if action in services.ACTIONS:
            try:
                services.ACTIONS[action](order=order, by=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("Bestillingen er oppdatert."))
        return redirect("materials:fulfilment-detail", pk=order.pk)
    return render(
        request,
        "materials/fulfilment_detail.html",
        {"order": order, "events": order.events.select_related("by")},
    )


@staff_page
@login_required
@never_cache
def stock_list(request: HttpRequest) -> HttpResponse:
    require_materials_admin(request)
    return render(
        request,
        "materials/stock_list.html",
        {"materials": Material.objects.all(), "form": RestockForm()},
    )


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def stock_restock(request: HttpRequest, pk: int) -> HttpResponse:
    require_materials_admin(request)
    material = get_object_or_404(Material, pk=pk)
    form = RestockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_restock(
                material=material,
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Påfyllet er registrert."))
            return redirect("materials:stock-list")
    return render(
        request,
        "materials/stock_restock.html",
        {
            "material": material,
            "form": form,
            "restocks": material.restocks.select_related("by")[:20],
        },
    )


def _figures():
    """Copies shipped per title, county and month. Orders keep these after names and
    addresses are deleted, so the year's figures survive the clean-up."""
    return (
        OrderLine.objects.filter(order__status=Order.Status.SHIPPED)
        .annotate(month=TruncMonth("order__shipped_at"))
        .values("month", "material__title", "order__county__name")
        .annotate(copies=Sum("quantity"), orders=Count("order", distinct=True))
        .order_by("-month", "material__title", "order__county__name")
    )


@staff_page
@login_required
@never_cache
def figures(request: HttpRequest) -> HttpResponse:
    require_materials_admin(request)
    rows = list(_figures())
    per_title = (
        OrderLine.objects.filter(order__status=Order.Status.SHIPPED)
        .values("material__title")
        .annotate(copies=Sum("quantity"))
        .order_by("-copies")
    )
    per_title = list(per_title)
    top = max((row["copies"] for row in per_title), default=0) or 1
    for row in per_title:
        row["percent"] = round(row["copies"] * 100 / top)
    return render(request, "materials/figures.html", {"rows": rows, "per_title": per_title})


@staff_page
@login_required
@never_cache
def figures_csv(request: HttpRequest) -> HttpResponse:
    require_materials_admin(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="materiell-tall.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Måned"), _("Tittel"), _("Fylke"), _("Eksemplarer"), _("Bestillinger")])
    for row in _figures():
        writer.writerow(
            [
                row["month"].strftime("%Y-%m") if row["month"] else "",
                row["material__title"],
                row["order__county__name"] or "",
                row["copies"],
                row["orders"],
            ]
        )
    return response
