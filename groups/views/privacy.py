"""A person's rights at a contact point: find their interests, export them, erase them; and
withdrawing consent from the link in the receipt."""

from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints.access import (
    get_contact_point_for_people,
)
from groups.forms.privacy import PersonSearchForm
from groups.services import interests as interests_services
from groups.services import privacy as privacy_services
from groups.views.interests import _interest
from selvhjelp.models import AuditEntry

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def interest_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    interest = interests_services.interest_from_withdraw_token(token)
    if interest is None:
        # Used before, or the link is broken: nothing to do, and nothing to alarm anyone about.
        return render(request, "groups/interest_withdraw.html", {"state": "gone"})
    if request.method == "POST":
        privacy_services.interest_withdraw(interest=interest)
        return render(request, "groups/interest_withdraw.html", {"state": "done"})
    return render(
        request, "groups/interest_withdraw.html", {"state": "confirm", "topic": interest.topic}
    )


@login_required
def interest_export(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """A JSON download of everything stored about the person here. POST, so that the audit row
    is written by a deliberate action and the download is never cached or prefetched."""
    contact_point = get_contact_point_for_people(request, slug)
    interest = _interest(contact_point, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    data = privacy_services.interest_export(
        owner=contact_point, actor=request.user, interest=interest
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    # The file name holds the random id only, never the person's name or address.
    filename = f"interessemeldinger-{interest.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def interest_erase(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    interest = _interest(contact_point, public_id)
    rows = privacy_services.person_interests(owner=contact_point, interest=interest)
    if request.method == "POST":
        count = privacy_services.interest_erase(
            owner=contact_point, actor=request.user, interest=interest
        )
        messages.success(
            request,
            _("%(count)s interessemelding(er) er slettet. Bare anonyme tall er tatt vare på.")
            % {"count": count},
        )
        return redirect("workspace:interest-list", slug=contact_point.slug)
    interests_services.interest_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        interest=interest,
        detail=f"erase-confirm interests={len(rows)}",
    )
    return render(
        request,
        "workspace/interest_erase.html",
        {"contact_point": contact_point, "interest": interest, "rows": rows},
    )


@login_required
@never_cache
def person_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Find one person's interests (for an access or erasure request) by email or phone."""
    contact_point = get_contact_point_for_people(request, slug)
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    rows = None
    if form.is_bound and form.is_valid():
        rows = privacy_services.person_search(
            owner=contact_point,
            actor=request.user,
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
        )
    return render(
        request,
        "workspace/person_search.html",
        {"contact_point": contact_point, "form": form, "rows": rows},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
