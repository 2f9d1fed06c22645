from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from selvhjelp.access import get_office_for_user
from selvhjelp.forms import FrontPageSearchForm
from selvhjelp.models import AuditEntry, DistrictOffice
from selvhjelp.paging import paginate


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
def district_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The district office's home. Each app shows its part through a panel loaded in the
    template (groups: approvals and counts; contactpoints: applications), so selvhjelp imports
    no app."""
    office, counties = get_office_for_user(request, slug)
    return render(request, "district/dashboard.html", {"office": office, "counties": counties})


@login_required
@never_cache
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        # National admins reach every district office.
        "district_offices": list(DistrictOffice.objects.visible_to(user)),
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
    page, page_query = paginate(request, entries, 50)
    return render(request, "selvhjelp/audit_log.html", {"page": page, "page_query": page_query})
