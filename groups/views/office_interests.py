"""The district office's own interest list: interests routed to it because no contact point
serves the place. The office works them with the workspace list's tools; a contact point's list
stays with the contact point."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from groups.forms.interests import InterestFilterForm, InterestNoteForm, InterestStatusForm
from groups.models import Interest
from groups.services import interests as interests_services
from groups.services import privacy as privacy_services
from groups.views.interests import interest_page
from groups.views.lifecycle import DISTRICT_PAGE_SIZE
from selvhjelp.access import get_office_for_user
from selvhjelp.models import AuditEntry, DistrictOffice
from selvhjelp.paging import paginate


def _office_interest(office: DistrictOffice, public_id) -> Interest:
    return get_object_or_404(
        Interest.objects.at(office).select_related(
            "topic", "municipality", "group", "consent_recorded_by", "district_office"
        ),
        public_id=public_id,
    )


def _office_interest_url(office: DistrictOffice, interest: Interest) -> str:
    return reverse(
        "district:interest-detail", kwargs={"slug": office.slug, "public_id": interest.public_id}
    )


@login_required
@never_cache
def interest_list(request: HttpRequest, slug: str) -> HttpResponse:
    office, _counties = get_office_for_user(request, slug)
    form = InterestFilterForm(request.GET or None, owner=office)
    interests = form.filter(
        Interest.objects.at(office).select_related("topic", "municipality")
    ).order_by("-created_at", "-pk")
    page, page_query = paginate(request, interests, DISTRICT_PAGE_SIZE)
    interests_services.owner_audit_list(
        actor=request.user, owner=office, detail=f"page={page.number}"
    )
    context = {"office": office, "form": form, "page": page, "page_query": page_query}
    return render(request, "district/interest_list.html", context)


def _interest_page(
    request: HttpRequest, office: DistrictOffice, interest: Interest, **page
) -> HttpResponse:
    """The workspace's interest page, in the district office's layout."""
    owner = {"layout": "district/layout.html", "office": office}
    return interest_page(request, interest, owner, **page)


@login_required
@never_cache
def interest_detail(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    office, _counties = get_office_for_user(request, slug)
    return _interest_page(request, office, _office_interest(office, public_id))


@login_required
def interest_update(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    office, _counties = get_office_for_user(request, slug)
    interest = _office_interest(office, public_id)
    if request.method != "POST":  # after the access check, so outsiders still get 404
        return HttpResponseNotAllowed(["POST"])
    form = InterestStatusForm(request.POST)
    if not form.is_valid():
        return _interest_page(request, office, interest, status_form=form, status=400)
    try:
        interests_services.interest_update(
            interest=interest,
            version=form.cleaned_data["version"],
            actor=request.user,
            status=form.cleaned_data["status"],
        )
    except ValidationError as error:
        interest = _office_interest(office, public_id)
        return _interest_page(request, office, interest, conflict=error.messages[0], status=409)
    messages.success(request, _("Endringen er lagret."))
    return redirect(_office_interest_url(office, interest))


@login_required
def interest_note_add(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    office, _counties = get_office_for_user(request, slug)
    interest = _office_interest(office, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InterestNoteForm(request.POST)
    if not form.is_valid():
        return _interest_page(request, office, interest, note_form=form, status=400)
    interests_services.interest_note_add(
        interest=interest, author=request.user, text=form.cleaned_data["text"]
    )
    messages.success(request, _("Notatet er lagret."))
    return redirect(_office_interest_url(office, interest))


@login_required
def interest_export(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """The person's data on the office's list as JSON; POST, like the workspace's export."""
    office, _counties = get_office_for_user(request, slug)
    interest = _office_interest(office, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    data = privacy_services.interest_export(owner=office, actor=request.user, interest=interest)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"interessemeldinger-{interest.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def interest_erase(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    office, _counties = get_office_for_user(request, slug)
    interest = _office_interest(office, public_id)
    if request.method == "POST":
        count = privacy_services.interest_erase(owner=office, actor=request.user, interest=interest)
        messages.success(
            request,
            _("%(count)s interessemelding(er) er slettet. Bare anonyme tall er tatt vare på.")
            % {"count": count},
        )
        return redirect("district:interest-list", slug=office.slug)
    rows = privacy_services.person_interests(owner=office, interest=interest)
    interests_services.interest_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        interest=interest,
        detail=f"erase-confirm interests={len(rows)}",
    )
    context = {
        "layout": "district/layout.html",
        "office": office,
        "interest": interest,
        "rows": rows,
    }
    return render(request, "workspace/interest_erase.html", context)
