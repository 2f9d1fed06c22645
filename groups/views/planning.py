"""Planning a group from the interest list, and the "the group starts" email."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from contactpoints.access import (
    get_contact_point_for_people,
)
from groups import emails as group_emails
from groups.forms.planning import GroupPlanForm, GroupStartsEmailForm
from groups.models import GroupEvent, Interest
from groups.services import planning as planning_services
from selvhjelp import emails
from selvhjelp.audit import audit_log
from selvhjelp.forms import add_service_errors
from selvhjelp.models import AuditEntry


@login_required
@never_cache
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    initial = {}
    if chosen := request.GET.getlist("interesse"):
        initial["interests"] = list(
            Interest.objects.at(contact_point)
            .filter(public_id__in=[c for c in chosen if _is_uuid(c)])
            .values_list("pk", flat=True)
        )
    form = GroupPlanForm(request.POST or None, contact_point=contact_point, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            group = planning_services.group_plan(
                contact_point=contact_point,
                actor=request.user,
                name=data.pop("name"),
                topics=list(data.pop("topics")),
                interests=list(data.pop("interests")),
                facilitators=list(data.pop("facilitators")),
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Gruppen er lagret som utkast. Den er ikke offentlig før distriktskontoret "
                    "har godkjent den."
                ),
            )
            return redirect("workspace:group-detail", slug=contact_point.slug, pk=group.pk)
    # The form lists the active interests by name: reading them is logged like the list.
    audit_log(
        actor=request.user,
        action=AuditEntry.Action.LIST,
        object_type="interest",
        contact_point_id=contact_point.pk,
        detail="plan-group",
    )
    return render(
        request,
        "workspace/group_form.html",
        {"contact_point": contact_point, "form": form},
        status=400 if form.is_bound else 200,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@never_cache
def group_starts_email(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET shows the email as the people will get it; POST sends it (once, unless asked)."""
    contact_point = get_contact_point_for_people(request, slug)
    group = get_object_or_404(contact_point.groups.select_related("contact_point"), pk=pk)
    if not planning_services.group_starts_email_allowed(group):
        # No preview either: it shows the venue, which is not settled before approval.
        return render(
            request,
            "workspace/group_starts_email.html",
            {
                "contact_point": contact_point,
                "group": group,
                "not_yet": planning_services.group_starts_email_refusal(),
            },
            status=400 if request.method == "POST" else 200,
        )
    sent_events = list(
        group.events.filter(kind=GroupEvent.Kind.STARTS_EMAIL_SENT).select_related("actor")
    )
    already_sent = bool(sent_events)
    form = GroupStartsEmailForm(
        request.POST if request.method == "POST" else None, already_sent=already_sent
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = planning_services.group_starts_email_send(
                group=group,
                actor=request.user,
                send_again=form.cleaned_data.get("send_again", False),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Oppstartsmeldingen er lagt i utboksen til %(count)s person(er).")
                % {"count": count},
            )
            return redirect("workspace:group-starts-email", slug=contact_point.slug, pk=group.pk)
    recipients = planning_services.group_starts_recipients(group)
    subject, text, html = emails.make_message(
        "workspace-group-starts", group_emails.group_starts_context(group)
    )
    return render(
        request,
        "workspace/group_starts_email.html",
        {
            "contact_point": contact_point,
            "group": group,
            "form": form,
            "recipients": recipients,
            "without_email": group.interests.filter(email="").count(),
            "subject": subject,
            "body_text": text,
            "already_sent": already_sent,
            "sent_events": sent_events,
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound else 200,
    )
