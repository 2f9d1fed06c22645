"""The contact points of a district office's area: the list and creating one. The office's staff
and national admins only; anyone else gets 404 (`get_office_for_user`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints import services
from contactpoints.forms import ContactPointCreateForm
from contactpoints.models import ContactPoint
from selvhjelp.access import get_office_for_user
from selvhjelp.paging import paginate

PAGE_SIZE = 25


@login_required
@never_cache
def contactpoint_list(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    contact_points = (
        ContactPoint.objects.in_counties(counties)
        .select_related("municipality")
        .annotate(group_count=Count("groups"))
        .order_by("name", "pk")
    )
    page, page_query = paginate(request, contact_points, PAGE_SIZE)
    context = {
        "office": office,
        "contact_points": page.object_list,
        "page": page,
        "page_query": page_query,
    }
    return render(request, "district/contactpoint_list.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contactpoint_create(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    limit = None if request.user.is_national_admin else counties
    form = ContactPointCreateForm(request.POST or None, counties=limit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_point = services.contact_point_create(
                name=data["name"],
                host_kind=data["host_kind"],
                street_address=data["street_address"],
                postal_code=data["postcode"],
                municipalities=data["municipalities"],
                email=data["email"],
                phone=data["phone"],
                staff_email=data["staff_email"],
                staff_name=data["staff_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Kontaktpunktet «%(name)s» er opprettet.") % {"name": contact_point.name},
            )
            return redirect("district:contactpoint-list", slug=office.slug)
    return render(request, "district/contactpoint_create.html", {"office": office, "form": form})
