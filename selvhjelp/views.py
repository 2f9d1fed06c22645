from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from selvhjelp.forms import FrontPageSearchForm
from selvhjelp.models import AuditEntry, DistrictOffice


def home(request: HttpRequest) -> HttpResponse:
    form = FrontPageSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        query = urlencode({"sted": request.GET["sted"].strip()})
        return redirect(f"{reverse('groups:group-search')}?{query}")
    return render(request, "selvhjelp/home.html", {"form": form})


def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "selvhjelp/about_data.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "selvhjelp/privacy.html")


@login_required
@never_cache
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_national_admin:  # national admins see every district office
        district_offices = list(DistrictOffice.objects.order_by("name"))
    else:
        district_offices = [
            m.district_office
            for m in user.district_office_memberships.select_related("district_office")
        ]
    context = {
        "district_offices": district_offices,
        "contact_points": [
            m.contact_point for m in user.contact_point_memberships.select_related("contact_point")
        ],
        "facilitator": getattr(user, "facilitator", None),
    }
    return render(request, "selvhjelp/staff_home.html", context)


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@never_cache
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, for national admins only; for anyone else the page does not exist."""
    if not request.user.is_national_admin:
        raise Http404
    entries = AuditEntry.objects.select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("side"))
    return render(request, "selvhjelp/audit_log.html", {"page": page})
