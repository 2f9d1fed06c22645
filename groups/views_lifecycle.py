"""A group in the contact point workspace (detail, edit, submit, status) and the public
one-click confirm link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from groups import workflow
from groups.forms_lifecycle import GroupEditForm, GroupStatusForm
from groups.history import group_history
from groups.models import Group, GroupEvent


def _get_group_for_user(
    request: HttpRequest, pk: int, slug: str | None = None
) -> tuple[Group, bool]:
    """The group and whether the user may change it. Staff of its contact point and national
    admins may; district office staff of its counties may look (and decide approvals);
    anyone else gets 404, so nothing leaks. A group under another contact point's address is
    404 for everyone."""
    groups = Group.objects.select_related("contact_point__municipality", "municipality__county")
    if slug is not None:
        groups = groups.filter(contact_point__slug=slug)
    group = get_object_or_404(groups, pk=pk)
    if workflow.user_may_edit(request.user, group):
        return group, True
    if workflow.user_may_decide(request.user, group):
        return group, False
    raise Http404


def _get_group_to_edit(request: HttpRequest, slug: str, pk: int) -> Group:
    group, can_edit = _get_group_for_user(request, pk, slug)
    if not can_edit:
        raise PermissionDenied
    return group


@login_required
@never_cache
def group_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group, can_edit = _get_group_for_user(request, pk, slug)
    history = group_history(group)
    sent_back = next((e for e in reversed(history) if e.kind == GroupEvent.Kind.SENT_BACK), None)
    context = {
        "contact_point": group.contact_point,
        "group": group,
        "can_edit": can_edit,
        "can_decide": workflow.user_may_decide(request.user, group),
        "topics": list(group.topics.all()),
        "facilitators": list(group.facilitators.all()),
        "history": history,
        "sent_back": sent_back if group.approval_status == Group.Approval.SENT_BACK else None,
        "missing": (
            workflow.group_missing_fields(group)
            if group.approval_status in (Group.Approval.DRAFT, Group.Approval.SENT_BACK)
            else []
        ),
        "editable": workflow.editable_fields(group) != (),
    }
    return render(request, "workspace/group_detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _get_group_to_edit(request, slug, pk)
    if workflow.editable_fields(group) == ():
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
            workflow.group_update(group=group, actor=request.user, data=form.changed_values())
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
def group_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _get_group_to_edit(request, slug, pk)
    error = None
    if request.method == "POST":
        try:
            workflow.group_submit(group=group, actor=request.user)
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
        "missing": workflow.group_missing_fields(group),
        "office": workflow.group_district_office(group),
    }
    return render(request, "workspace/group_submit.html", context, status=400 if error else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def group_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _get_group_to_edit(request, slug, pk)
    if request.method == "POST" and "bekreft" in request.POST:
        workflow.group_confirm(group=group, actor=request.user)
        messages.success(request, _("Takk! Gruppen er bekreftet som aktuell."))
        return redirect(group.get_workspace_url())
    initial = {"status": group.status, "open_for_new_members": group.open_for_new_members}
    form = GroupStatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.group_set_status(
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
    group, _can_edit = _get_group_for_user(request, pk)
    if page not in _OLD_PAGES:
        raise Http404
    return redirect(_OLD_PAGES[page], slug=group.contact_point.slug, pk=group.pk)


# The public confirm link ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def group_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the reminder email, no login: opening the signed link confirms. It only
    ever confirms (never changes or hides anything), and confirming twice is harmless, so a
    mail scanner that opens the link does no damage. POST still works for older emails."""
    found = workflow.group_from_confirmation_token(token)
    if found is None:
        return render(request, "groups/group_confirm.html", {"state": "gone"})
    group, requested_at = found
    if workflow.group_confirm(group=group, requested_at=requested_at):
        return render(request, "groups/group_confirm.html", {"state": "done", "group": group})
    return render(request, "groups/group_confirm.html", {"state": "gone"})
