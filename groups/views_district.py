"""The groups app's pages in the district office area: the approval queue and decisions,
needs-attention groups, the list of groups, and the office's own interest list (interests no
contact point serves). The dashboard (selvhjelp) shows their counts through group_panels.

Staff of the office and national admins only; anyone else gets 404. Decisions on a group or an
application are checked against the counties of the group or application itself."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from groups import services_workspace, workflow
from groups.forms_lifecycle import DecisionForm
from groups.forms_workspace import InterestFilterForm, InterestNoteForm, InterestStatusForm
from groups.history import group_history
from groups.models import Group, GroupEvent, Interest
from selvhjelp.access import get_office_for_user
from selvhjelp.models import AuditEntry, DistrictOffice
from selvhjelp.paging import paginate

PAGE_SIZE = 25


def _listing(queryset):
    return queryset.select_related("contact_point", "municipality").prefetch_related("topics")


def _list_context(request: HttpRequest, office, name: str, queryset: QuerySet) -> dict:
    """The context of one district list: one page of rows under `name`, and its page links."""
    page, page_query = paginate(request, queryset, PAGE_SIZE)
    return {"office": office, name: page.object_list, "page": page, "page_query": page_query}


@login_required
@never_cache
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    groups = _listing(
        workflow.groups_in_counties(counties).filter(approval_status=Group.Approval.SUBMITTED)
    ).annotate(
        submitted_at=Max("events__created_at", filter=Q(events__kind=GroupEvent.Kind.SUBMITTED))
    )
    context = _list_context(request, office, "groups", groups.order_by("updated_at", "pk"))
    return render(request, "district/queue.html", context)


@login_required
@never_cache
def needs_attention(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    groups = _listing(workflow.needs_attention(workflow.groups_in_counties(counties))).order_by(
        "stale_since", "confirmation_requested_at", "name", "pk"
    )
    context = _list_context(request, office, "groups", groups)
    return render(request, "district/needs_attention.html", context)


@login_required
@never_cache
def group_list(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    groups = _listing(workflow.groups_in_counties(counties)).order_by("name", "pk")
    status = request.GET.get("status", "")
    approval = request.GET.get("godkjenning", "")
    if status in Group.Status.values:
        groups = groups.filter(status=status)
    else:
        status = ""
    if approval in Group.Approval.values:
        groups = groups.filter(approval_status=approval)
    else:
        approval = ""
    context = {
        **_list_context(request, office, "groups", groups),
        "status_label": Group.Status(status).label if status else "",
        "approval_label": Group.Approval(approval).label if approval else "",
    }
    return render(request, "district/group_list.html", context)


def _back_to(office: DistrictOffice | None, list_name: str) -> HttpResponse:
    """Back to one of the office's lists, or to the staff home when no office covers the
    county."""
    if office is None:
        return redirect("staff-home")
    return redirect(list_name, slug=office.slug)


# Decisions -----------------------------------------------------------------------------------


def _get_group_to_decide(request: HttpRequest, pk: int) -> Group:
    """District office staff of the group's counties and national admins. The group's own
    contact point staff know it exists but may not decide (403); anyone else gets 404."""
    group = get_object_or_404(
        Group.objects.select_related("contact_point__municipality__county", "municipality__county"),
        pk=pk,
    )
    if workflow.user_may_decide(request.user, group):
        return group
    if workflow.user_may_edit(request.user, group):
        raise PermissionDenied
    raise Http404


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_review(request: HttpRequest, pk: int) -> HttpResponse:
    group = _get_group_to_decide(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        comment = form.cleaned_data["comment"]
        try:
            if decision == DecisionForm.APPROVE:
                workflow.group_approve(group=group, actor=request.user, comment=comment)
                done = _("«%(name)s» er godkjent og synlig på nettsidene.")
            elif decision == DecisionForm.SEND_BACK:
                workflow.group_send_back(group=group, actor=request.user, comment=comment)
                done = _("«%(name)s» er sendt tilbake til kontaktpunktet.")
            else:
                workflow.group_reject(group=group, actor=request.user, comment=comment)
                done = _("«%(name)s» er avslått.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("district:group-review", pk=group.pk)
        # Named, because the queue this leads back to may hold several groups.
        messages.success(request, done % {"name": group.name})
        return _back_to(workflow.group_district_office(group), "district:queue")
    context = {
        "group": group,
        "form": form,
        "office": workflow.group_district_office(group),
        "topics": list(group.topics.all()),
        "facilitators": list(group.facilitators.all()),
        "history": group_history(group),
        "missing": workflow.group_missing_fields(group),
        "can_decide_now": group.approval_status == Group.Approval.SUBMITTED,
    }
    status = 400 if form.is_bound else 200
    return render(request, "district/group_review.html", context, status=status)


# The office's own interest list ----------------------------------------------------------------
# Interests routed to the office because no contact point serves the place. The office works
# them with the workspace list's tools; a contact point's list stays with the contact point.


def _office_interest(office: DistrictOffice, public_id) -> Interest:
    return get_object_or_404(
        services_workspace.interests_for(office).select_related(
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
        services_workspace.interests_for(office).select_related("topic", "municipality")
    ).order_by("-created_at", "-pk")
    page, page_query = paginate(request, interests, PAGE_SIZE)
    services_workspace.owner_audit_list(
        actor=request.user, owner=office, detail=f"page={page.number}"
    )
    context = {"office": office, "form": form, "page": page, "page_query": page_query}
    return render(request, "district/interest_list.html", context)


def _interest_page(
    request: HttpRequest,
    office: DistrictOffice,
    interest: Interest,
    *,
    status_form: InterestStatusForm | None = None,
    note_form: InterestNoteForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    """The workspace's interest page, in the district office's layout."""
    services_workspace.interest_audit(
        actor=request.user, action=AuditEntry.Action.VIEW, interest=interest
    )
    context = {
        "layout": "district/layout.html",
        "office": office,
        "interest": interest,
        "notes": interest.notes.select_related("author"),
        "status_form": status_form
        or InterestStatusForm(initial={"status": interest.status, "version": interest.version}),
        "note_form": note_form or InterestNoteForm(),
        "can_mark_contacted": interest.status == Interest.Status.NEW,
        "has_withdraw_link": bool(interest.email),
        "conflict": conflict,
    }
    return render(request, "workspace/interest_detail.html", context, status=status)


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
        services_workspace.interest_update(
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
    services_workspace.interest_note_add(
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
    data = services_workspace.interest_export(owner=office, actor=request.user, interest=interest)
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
        count = services_workspace.interest_erase(
            owner=office, actor=request.user, interest=interest
        )
        messages.success(
            request,
            _("%(count)s interessemelding(er) er slettet. Bare anonyme tall er tatt vare på.")
            % {"count": count},
        )
        return redirect("district:interest-list", slug=office.slug)
    rows = services_workspace.person_interests(owner=office, interest=interest)
    services_workspace.interest_audit(
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
