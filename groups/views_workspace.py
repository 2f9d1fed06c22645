"""The contact point workspace: home, the groups tab, interest list and detail, adding an
interest by hand, export and erasure, planning a group and the "group starts" email.

Every view starts with `get_contact_point_for_user`: anyone without a relation to the contact
point gets 404. Objects of another contact point are 404 as well. Pages that show people
(names, contact details) use `get_contact_point_for_people`: the district office sees the
counts on the home page, not the people.
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from contactpoints.access import (
    get_contact_point_for_people,
    get_contact_point_for_user,
)
from contactpoints.models import ContactPoint
from groups import services_workspace as services
from groups import workflow
from groups.forms_workspace import (
    GroupPlanForm,
    GroupStartsEmailForm,
    InterestAddForm,
    InterestFilterForm,
    InterestNoteForm,
    InterestStatusForm,
    PersonSearchForm,
)
from groups.models import Group, GroupEvent, Interest
from selvhjelp import emails
from selvhjelp.audit import audit_log
from selvhjelp.models import AuditEntry, Municipality
from selvhjelp.paging import paginate

PAGE_SIZE = 50


def _interest(contact_point: ContactPoint, public_id) -> Interest:
    return get_object_or_404(
        services.interests_for(contact_point).select_related(
            "topic", "municipality", "group", "consent_recorded_by"
        ),
        public_id=public_id,
    )


def _detail_url(contact_point: ContactPoint, interest: Interest) -> str:
    return reverse(
        "workspace:interest-detail",
        kwargs={"slug": contact_point.slug, "public_id": interest.public_id},
    )


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
        "can_edit": workflow.user_may_edit_groups_of(request.user, contact_point),
    }
    return render(request, "workspace/group_list.html", context)


@login_required
@never_cache
def interest_list(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    form = InterestFilterForm(request.GET or None, owner=contact_point)
    interests = form.filter(
        services.interests_for(contact_point).select_related("topic", "municipality", "group")
    ).order_by("-created_at", "-pk")
    page, page_query = paginate(request, interests, PAGE_SIZE)
    audit_log(
        actor=request.user,
        action=AuditEntry.Action.LIST,
        object_type="interest",
        contact_point_id=contact_point.pk,
        detail=f"page={page.number}",
    )
    context = {
        "contact_point": contact_point,
        "form": form,
        "page": page,
        "page_query": page_query,
        "active_statuses": services.ACTIVE_STATUSES,
    }
    return render(request, "workspace/interest_list.html", context)


def _detail_page(
    request: HttpRequest,
    contact_point: ContactPoint,
    interest: Interest,
    *,
    status_form: InterestStatusForm | None = None,
    note_form: InterestNoteForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    services.interest_audit(actor=request.user, action=AuditEntry.Action.VIEW, interest=interest)
    context = {
        "contact_point": contact_point,
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
    contact_point = get_contact_point_for_people(request, slug)
    return _detail_page(request, contact_point, _interest(contact_point, public_id))


@login_required
def interest_update(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    interest = _interest(contact_point, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InterestStatusForm(request.POST)
    if form.is_valid():
        try:
            services.interest_update(
                interest=interest,
                version=form.cleaned_data["version"],
                actor=request.user,
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            # Show what is stored now, with a fresh version, and say why nothing was saved.
            interest = _interest(contact_point, public_id)
            return _detail_page(
                request, contact_point, interest, conflict=error.messages[0], status=409
            )
        messages.success(request, _("Endringen er lagret."))
        return redirect(_detail_url(contact_point, interest))
    return _detail_page(request, contact_point, interest, status_form=form, status=400)


@login_required
def interest_note_add(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    interest = _interest(contact_point, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InterestNoteForm(request.POST)
    if form.is_valid():
        services.interest_note_add(
            interest=interest, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Notatet er lagret."))
        return redirect(_detail_url(contact_point, interest))
    return _detail_page(request, contact_point, interest, note_form=form, status=400)


@login_required
@never_cache
def interest_create(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    form = InterestAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interest = services.interest_add_by_hand(
                contact_point=contact_point,
                recorded_by=request.user,
                topic=data["topic"],
                municipality=Municipality.objects.get(pk=data["place"].municipality_number),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                preferred_format=data["preferred_format"],
                note=data["note"],
                consent_channel=data["consent_channel"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Interessemeldingen er lagt til."))
            return redirect(_detail_url(contact_point, interest))
    status = 400 if form.is_bound else 200
    return render(
        request,
        "workspace/interest_form.html",
        {"contact_point": contact_point, "form": form},
        status=status,
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def interest_export(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """A JSON download of everything stored about the person here. POST, so that the audit row
    is written by a deliberate action and the download is never cached or prefetched."""
    contact_point = get_contact_point_for_people(request, slug)
    interest = _interest(contact_point, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    data = services.interest_export(owner=contact_point, actor=request.user, interest=interest)
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
    rows = services.person_interests(owner=contact_point, interest=interest)
    if request.method == "POST":
        count = services.interest_erase(owner=contact_point, actor=request.user, interest=interest)
        messages.success(
            request,
            _("%(count)s interessemelding(er) er slettet. Bare anonyme tall er tatt vare på.")
            % {"count": count},
        )
        return redirect("workspace:interest-list", slug=contact_point.slug)
    services.interest_audit(
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
        rows = services.person_search(
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


# Planning a group ----------------------------------------------------------------------------


@login_required
@never_cache
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    initial = {}
    if chosen := request.GET.getlist("interesse"):
        initial["interests"] = list(
            services.interests_for(contact_point)
            .filter(public_id__in=[c for c in chosen if _is_uuid(c)])
            .values_list("pk", flat=True)
        )
    form = GroupPlanForm(request.POST or None, contact_point=contact_point, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            group = services.group_plan(
                contact_point=contact_point,
                actor=request.user,
                name=data.pop("name"),
                topics=list(data.pop("topics")),
                interests=list(data.pop("interests")),
                facilitators=list(data.pop("facilitators")),
                **data,
            )
        except ValidationError as error:
            _add_errors(form, error)
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
    if not services.group_starts_email_allowed(group):
        # No preview either: it shows the venue, which is not settled before approval.
        return render(
            request,
            "workspace/group_starts_email.html",
            {
                "contact_point": contact_point,
                "group": group,
                "not_yet": services.group_starts_email_refusal(),
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
            count = services.group_starts_email_send(
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
    recipients = services.group_starts_recipients(group)
    subject, text, html = emails.make_message(
        "workspace-group-starts", services.group_starts_context(group)
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
