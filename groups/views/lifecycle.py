"""A group in the contact point workspace (the groups tab, detail, edit, status, and the old
links from emails), and the district office's lists of groups (all, needs attention)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints.access import (
    get_contact_point_for_user,
)
from groups import access
from groups.forms.lifecycle import GroupEditForm, GroupStatusForm
from groups.history import group_history
from groups.models import Group, GroupEvent
from groups.services import confirmation as confirmation_services
from groups.services import lifecycle as lifecycle_services
from selvhjelp.access import get_office_for_user
from selvhjelp.paging import paginate


@login_required
@never_cache
def group_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every group of the contact point, by stage, each with the next step that stage allows."""
    contact_point = get_contact_point_for_user(request, slug)
    groups = contact_point.groups.prefetch_related(
        Prefetch(
            "events",
            queryset=GroupEvent.objects.filter(kind=GroupEvent.Kind.SENT_BACK).order_by(
                "-created_at", "-pk"
            ),
            to_attr="sent_back_events",
        )
    ).order_by(F("starts_on").desc(nulls_last=True), "name", "pk")
    by_stage: dict[str, list[Group]] = {value: [] for value in Group.Stage.values}
    for group in groups:
        by_stage[group.stage].append(group)
    context = {
        "contact_point": contact_point,
        "sections": [(value, label, by_stage[value]) for value, label in Group.Stage.choices],
        "total": sum(len(rows) for rows in by_stage.values()),
        "can_edit": access.user_may_edit_groups_of(request.user, contact_point),
    }
    return render(request, "workspace/group_list.html", context)


@login_required
@never_cache
def group_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group, can_edit = access.get_group_for_user(request, pk, slug)
    history = group_history(group)
    sent_back = next((e for e in reversed(history) if e.kind == GroupEvent.Kind.SENT_BACK), None)
    context = {
        "contact_point": group.contact_point,
        "group": group,
        "can_edit": can_edit,
        "can_decide": access.user_may_decide(request.user, group),
        "topics": list(group.topics.all()),
        "facilitators": list(group.facilitators.all()),
        "history": history,
        "sent_back": sent_back if group.approval_status == Group.Approval.SENT_BACK else None,
        "missing": (
            group.missing_for_approval()
            if group.approval_status in (Group.Approval.DRAFT, Group.Approval.SENT_BACK)
            else []
        ),
        "editable": group.editable_fields() != (),
    }
    return render(request, "workspace/group_detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = access.get_group_to_edit(request, slug, pk)
    if group.editable_fields() == ():
        messages.info(
            request,
            _("Gruppen kan ikke endres mens distriktskontoret vurderer den, eller etter avslag."),
        )
        return redirect(group.get_workspace_url())
    form = GroupEditForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            # The service locks and reloads the row, so the form's changes to `group` (made by
            # is_valid) are compared with what is stored.
            lifecycle_services.group_update(
                group=group, actor=request.user, data=form.changed_values()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(group.get_workspace_url())
    context = {"contact_point": group.contact_point, "group": group, "form": form}
    return render(request, "workspace/group_edit.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = access.get_group_to_edit(request, slug, pk)
    if request.method == "POST" and "bekreft" in request.POST:
        confirmation_services.group_confirm(group=group, actor=request.user)
        messages.success(request, _("Takk! Gruppen er bekreftet som aktuell."))
        return redirect(group.get_workspace_url())
    initial = {"status": group.status, "open_for_new_members": group.open_for_new_members}
    form = GroupStatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle_services.group_set_status(
                group=group,
                actor=request.user,
                status=form.cleaned_data["status"],
                open_for_new_members=form.cleaned_data["open_for_new_members"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Statusen er lagret."))
            return redirect(group.get_workspace_url())
    context = {"contact_point": group.contact_point, "group": group, "form": form}
    return render(request, "workspace/group_status.html", context)


# Links already sent by email, from before the group's pages moved under its contact point.
_OLD_PAGES = {
    "": "workspace:group-detail",
    "endre": "workspace:group-edit",
    "send-inn": "workspace:group-submit",
    "status": "workspace:group-status",
}


@login_required
def group_old_link(request: HttpRequest, pk: int, page: str = "") -> HttpResponse:
    """/kontaktpunkt/gruppe/<pk>/… → /kontaktpunkt/<slug>/grupper/<pk>/…, after the same access
    check as the page itself, so an outsider learns nothing (not even the contact point)."""
    group, _can_edit = access.get_group_for_user(request, pk)
    if page not in _OLD_PAGES:
        raise Http404
    return redirect(_OLD_PAGES[page], slug=group.contact_point.slug, pk=group.pk)


DISTRICT_PAGE_SIZE = 25


def district_list_context(request: HttpRequest, office, name: str, queryset: QuerySet) -> dict:
    """The context of one district list: one page of rows under `name`, and its page links."""
    page, page_query = paginate(request, queryset, DISTRICT_PAGE_SIZE)
    return {"office": office, name: page.object_list, "page": page, "page_query": page_query}


@login_required
@never_cache
def needs_attention(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    groups = (
        Group.objects.in_counties(counties)
        .needs_attention()
        .for_listing()
        .order_by("stale_since", "confirmation_requested_at", "name", "pk")
    )
    context = district_list_context(request, office, "groups", groups)
    return render(request, "district/needs_attention.html", context)


@login_required
@never_cache
def office_group_list(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    groups = Group.objects.in_counties(counties).for_listing().order_by("name", "pk")
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
        **district_list_context(request, office, "groups", groups),
        "status_label": Group.Status(status).label if status else "",
        "approval_label": Group.Approval(approval).label if approval else "",
    }
    return render(request, "district/group_list.html", context)
