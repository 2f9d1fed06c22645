"""Interests: the public form (meld interesse) and its thanks page, and a contact point's
interest list in the workspace (list, detail, status, note, adding one by hand).

Workspace pages start with `get_contact_point_for_people`: anyone without a relation to the
contact point gets 404, and the district office sees counts on the home page, not people."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints.access import (
    get_contact_point_for_people,
)
from contactpoints.models import ContactPoint
from groups.consent import CURRENT_CONSENT_VERSION
from groups.forms.interests import (
    InterestAddForm,
    InterestFilterForm,
    InterestForm,
    InterestNoteForm,
    InterestStatusForm,
)
from groups.models import Group, Interest, Topic
from groups.services import interests as interests_services
from selvhjelp import ratelimit
from selvhjelp.audit import audit_log
from selvhjelp.forms import INVALID, LIMITED, add_service_errors, public_form_submit
from selvhjelp.models import AuditEntry, Municipality
from selvhjelp.origin import same_origin_post
from selvhjelp.paging import paginate

logger = logging.getLogger(__name__)

RATE_LIMIT_WINDOW_SECONDS = 60 * 60


@same_origin_post
@require_http_methods(["GET", "POST"])
def interest_create(request: HttpRequest) -> HttpResponse:
    topic = Topic.objects.filter(slug=request.GET.get("tema", "")).first()
    contact_point = None
    if slug := request.GET.get("kontaktpunkt"):
        contact_point = ContactPoint.objects.published().filter(slug=slug).first()
    initial = {"place": request.GET["sted"]} if request.GET.get("sted") else None
    return _interest_page(
        request,
        contact_point=contact_point,
        topic=topic,
        initial=initial,
        action=request.get_full_path(),
    )


# No CSRF token: the group page carries this form and is kept in the shared cache; see
# selvhjelp/origin.py for how a cross-site POST is refused instead.
@same_origin_post
@require_http_methods(["GET", "POST"])
def interest_create_for_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(
        Group.objects.published().select_related("contact_point", "municipality__county"),
        slug=slug,
    )
    return _interest_page(
        request,
        group=group,
        action=reverse("groups:interest-create-for-group", kwargs={"slug": group.slug}),
    )


def interest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/interest_thanks.html")


def _interest_page(
    request: HttpRequest,
    *,
    action: str,
    group: Group | None = None,
    contact_point: ContactPoint | None = None,
    topic: Topic | None = None,
    initial: dict | None = None,
) -> HttpResponse:
    context = {"group": group, "contact_point": contact_point, "interest_action": action}
    if request.method != "POST":
        form = InterestForm(group=group, contact_point=contact_point, topic=topic, initial=initial)
        return _render_form(request, form, context)

    form = InterestForm(request.POST, group=group, contact_point=contact_point, topic=topic)

    def register(data: dict) -> None:
        place = data.get("place")
        interests_services.interest_register(
            topic=data["topic"],
            municipality=data["municipality"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            preferred_format=data["preferred_format"],
            note=data["note"],
            consent_text_version=data["consent_version"],
            group=group,
            contact_point=contact_point,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
        )

    outcome = public_form_submit(
        request,
        form,
        log_name="interest",
        limits=[
            (
                f"interest:ip:{ratelimit.client_ip(request)}",
                settings.RATE_LIMIT_INTEREST_PER_IP,
                RATE_LIMIT_WINDOW_SECONDS,
            )
        ],
        limits_after_validation=lambda data: (
            [
                (
                    f"interest:email:{data['email'].lower()}",
                    settings.RATE_LIMIT_INTEREST_PER_EMAIL,
                    RATE_LIMIT_WINDOW_SECONDS,
                )
            ]
            if data["email"]
            else []
        ),
        too_many=_(
            "Vi har fått mange meldinger herfra på kort tid. Vent en time og prøv igjen, "
            "eller ring kontaktpunktet."
        ),
        submit=register,
    )
    if outcome == LIMITED:
        return _render_form(request, form, context, status=429)
    if outcome == INVALID:
        return _render_form(request, form, context)
    return redirect("groups:interest-thanks")


def _render_form(
    request: HttpRequest, form: InterestForm, context: dict, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "groups/interest_form_page.html",
        {**context, "interest_form": form},
        status=status,
    )


PAGE_SIZE = 50


def _interest(contact_point: ContactPoint, public_id) -> Interest:
    return get_object_or_404(
        Interest.objects.at(contact_point).select_related(
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
def interest_list(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_contact_point_for_people(request, slug)
    form = InterestFilterForm(request.GET or None, owner=contact_point)
    interests = form.filter(
        Interest.objects.at(contact_point).select_related("topic", "municipality", "group")
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
        "active_statuses": Interest.ACTIVE_STATUSES,
    }
    return render(request, "workspace/interest_list.html", context)


def _detail_page(
    request: HttpRequest, contact_point: ContactPoint, interest: Interest, **page
) -> HttpResponse:
    return interest_page(request, interest, {"contact_point": contact_point}, **page)


def interest_page(
    request: HttpRequest,
    interest: Interest,
    owner: dict,
    *,
    status_form: InterestStatusForm | None = None,
    note_form: InterestNoteForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    """One interest with its notes and status form, for a contact point's staff or, in the
    district office's layout, the office's (`owner`: what the layout needs)."""
    interests_services.interest_audit(
        actor=request.user, action=AuditEntry.Action.VIEW, interest=interest
    )
    context = {
        **owner,
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
            interests_services.interest_update(
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
        interests_services.interest_note_add(
            interest=interest, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Notatet er lagret."))
        return redirect(_detail_url(contact_point, interest))
    return _detail_page(request, contact_point, interest, note_form=form, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@never_cache
def interest_create_by_hand(request: HttpRequest, slug: str) -> HttpResponse:
    """Someone phoned, walked in or spoke to staff at an event: staff record the interest and
    the oral consent (the same service as the public form, with the staff member recorded)."""
    contact_point = get_contact_point_for_people(request, slug)
    form = InterestAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interest = interests_services.interest_register(
                contact_point=contact_point,
                consent_recorded_by=request.user,
                consent_channel=data["consent_channel"],
                consent_text_version=CURRENT_CONSENT_VERSION,
                topic=data["topic"],
                municipality=Municipality.objects.get(pk=data["place"].municipality_number),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                preferred_format=data["preferred_format"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
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
