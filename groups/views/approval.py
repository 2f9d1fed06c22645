"""Approval: the contact point submits a group; the district office's queue, review and decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from groups import access
from groups.forms.approval import DecisionForm
from groups.history import group_history
from groups.models import Group, GroupEvent
from groups.services import approval as approval_services
from groups.views.lifecycle import district_list_context
from selvhjelp.access import get_office_for_user
from selvhjelp.models import DistrictOffice


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = access.get_group_to_edit(request, slug, pk)
    error = None
    if request.method == "POST":
        try:
            approval_services.group_submit(group=group, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _(
                    "Gruppen er sendt til distriktskontoret. "
                    "Du får en e-post når de har sett på den."
                ),
            )
            return redirect(group.get_workspace_url())
    context = {
        "contact_point": group.contact_point,
        "group": group,
        "error": error,
        "missing": group.missing_for_approval(),
        "office": group.district_office(),
    }
    return render(request, "workspace/group_submit.html", context, status=400 if error else 200)


@login_required
@never_cache
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    groups = (
        Group.objects.in_counties(counties)
        .filter(approval_status=Group.Approval.SUBMITTED)
        .for_listing()
        .annotate(
            submitted_at=Max("events__created_at", filter=Q(events__kind=GroupEvent.Kind.SUBMITTED))
        )
    )
    context = district_list_context(request, office, "groups", groups.order_by("updated_at", "pk"))
    return render(request, "district/queue.html", context)


def _back_to(office: DistrictOffice | None, list_name: str) -> HttpResponse:
    """Back to one of the office's lists, or to the staff home when no office covers the
    county."""
    if office is None:
        return redirect("staff-home")
    return redirect(list_name, slug=office.slug)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_review(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.get_group_to_decide(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        comment = form.cleaned_data["comment"]
        try:
            if decision == DecisionForm.APPROVE:
                approval_services.group_approve(group=group, actor=request.user, comment=comment)
                done = _("«%(name)s» er godkjent og synlig på nettsidene.")
            elif decision == DecisionForm.SEND_BACK:
                approval_services.group_send_back(group=group, actor=request.user, comment=comment)
                done = _("«%(name)s» er sendt tilbake til kontaktpunktet.")
            else:
                approval_services.group_reject(group=group, actor=request.user, comment=comment)
                done = _("«%(name)s» er avslått.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("district:group-review", pk=group.pk)
        # Named, because the queue this leads back to may hold several groups.
        messages.success(request, done % {"name": group.name})
        return _back_to(group.district_office(), "district:queue")
    context = {
        "group": group,
        "form": form,
        "office": group.district_office(),
        "topics": list(group.topics.all()),
        "facilitators": list(group.facilitators.all()),
        "history": group_history(group),
        "missing": group.missing_for_approval(),
        "can_decide_now": group.approval_status == Group.Approval.SUBMITTED,
    }
    status = 400 if form.is_bound else 200
    return render(request, "district/group_review.html", context, status=status)
