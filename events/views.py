"""Public pages (calendar, event page with registration, calendar files, links from emails) and
the staff pages in the contact point workspace and the district office area."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints.models import ContactPoint
from events import exports, ics, services
from events.access import Area, get_area, get_people_area, render_area
from events.forms import (
    CONSENT_VERSION,
    CalendarFilterForm,
    EvaluationForm,
    EventForm,
    RegistrationForm,
    SessionFormSet,
    check_close_before_start,
    session_initial,
)
from events.models import EvaluationAnswer, EvaluationQuestion, Event, Registration
from events.tokens import registration_from_token
from selvhjelp import ratelimit
from selvhjelp.audit import audit_log
from selvhjelp.emails import absolute_url
from selvhjelp.geo import within_km
from selvhjelp.mfa import staff_page
from selvhjelp.models import DistrictOffice
from selvhjelp.paging import paginate

logger = logging.getLogger(__name__)
PAGE_SIZE = 20
RATE_LIMIT_WINDOW_SECONDS = 60 * 60


# Public pages ---------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET)
    archive = request.GET.get("arkiv") == "1"
    context: dict = {"form": form, "archive": archive}
    if not form.is_valid():
        return render(request, "events/event_list.html", context, status=200)
    data = form.cleaned_data
    events = Event.objects.published().select_related(
        "contact_point", "district_office", "municipality"
    )
    events = events.past().order_by("-starts_at") if archive else events.upcoming()
    if data["type"]:
        events = events.filter(kind=data["type"])
    if data["for_hvem"]:
        events = events.filter(audience=data["for_hvem"])
    if data["form"]:
        events = events.filter(format=data["form"])
    if month := data["maaned"]:
        last = pycalendar.monthrange(month.year, month.month)[1]
        tz = timezone.get_current_timezone()
        start = dt.datetime(month.year, month.month, 1, tzinfo=tz)
        events = events.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=last))
    if place := data["sted"]:
        # Digital events are for everyone, wherever they live.
        near = within_km(
            events.exclude(format=Event.Format.DIGITAL),
            place.latitude,
            place.longitude,
            data["avstand"] or None,
            lat_field="municipality__latitude",
            lon_field="municipality__longitude",
        ).values("pk")
        events = events.filter(pk__in=near) | events.filter(format=Event.Format.DIGITAL)
    page, page_query = paginate(request, events, PAGE_SIZE)
    context.update(page=page, page_query=page_query, events=list(page.object_list))
    return render(request, "events/event_list.html", context)


def _public_event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.published().select_related(
            "contact_point", "district_office", "municipality"
        ),
        slug=slug,
    )


@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    sessions = list(event.sessions.all())
    context: dict = {"event": event, "sessions": sessions, "json_ld": _json_ld(event, sessions)}
    closed = event.registration_closed_reason()
    full = False
    if event.capacity is not None and not closed:
        full = event.registrations.holding_seat().count() >= event.capacity
    context.update(closed=closed, full=full)
    if request.method != "POST":
        context["form"] = RegistrationForm(event=event, initial={"waiting_list": full})
        return render(request, "events/event_detail.html", context)

    form = RegistrationForm(request.POST, event=event)
    context["form"] = form
    if form.honeypot_filled():
        logger.info("events: honeypot filled, nothing saved")
        return render(request, "events/registration_done.html", {"event": event, "state": "ok"})
    too_many = _("Vi har fått mange påmeldinger herfra på kort tid. Vent en time og prøv igjen.")
    if not ratelimit.hit(
        f"events:ip:{ratelimit.client_ip(request)}",
        settings.RATE_LIMIT_INTEREST_PER_IP,
        RATE_LIMIT_WINDOW_SECONDS,
    ):
        form.refuse(too_many)
        return render(request, "events/event_detail.html", context, status=429)
    if not form.is_valid():
        return render(request, "events/event_detail.html", context)
    data = form.cleaned_data
    if not ratelimit.hit(
        f"events:email:{data['email'].lower()}",
        settings.RATE_LIMIT_INTEREST_PER_EMAIL,
        RATE_LIMIT_WINDOW_SECONDS,
    ):
        form.add_error(None, too_many)
        return render(request, "events/event_detail.html", context, status=429)
    try:
        registration, created = services.registration_create(
            event=event,
            data=data,
            consent_version=CONSENT_VERSION,
            join_waiting_list=data["waiting_list"],
        )
    except services.RegistrationRefused as refused:
        form.add_error("waiting_list" if refused.full else None, refused.message)
        context["full"] = context["full"] or refused.full
        return render(request, "events/event_detail.html", context)
    state = registration.status if created else "duplicate"
    return render(request, "events/registration_done.html", {"event": event, "state": state})


def _json_ld(event: Event, sessions: list) -> str:
    """schema.org Event; the join link is never in it (it is for registered people only)."""
    modes = {
        Event.Format.PHYSICAL: "OfflineEventAttendanceMode",
        Event.Format.DIGITAL: "OnlineEventAttendanceMode",
        Event.Format.HYBRID: "MixedEventAttendanceMode",
    }
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventAttendanceMode": f"https://schema.org/{modes[event.format]}",
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if event.status == Event.Status.CANCELLED else "EventScheduled"),
        "organizer": {"@type": "Organization", "name": event.organiser_name},
        "isAccessibleForFree": True,
        "url": absolute_url(event.get_absolute_url()),
    }
    if event.is_physical and event.municipality_id:
        data["location"] = {
            "@type": "Place",
            "name": event.venue,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.venue,
                "addressLocality": event.municipality.name,
                "addressCountry": "NO",
            },
        }
    elif event.is_digital:
        data["location"] = {"@type": "VirtualLocation", "url": data["url"]}
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 - escaped above, the same way as json_script


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    response = HttpResponse(ics.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _feed(events, name: str) -> HttpResponse:
    events = events.published().prefetch_related("sessions").select_related("municipality")
    since = timezone.now() - dt.timedelta(days=90)
    body = ics.feed_ics(events.filter(ends_at__gte=since), name)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def feed(request: HttpRequest) -> HttpResponse:
    return _feed(Event.objects.all(), _("Selvhjelp: arrangementer"))


def feed_contact_point(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_object_or_404(ContactPoint.objects.published(), slug=slug)
    return _feed(Event.objects.filter(contact_point=contact_point), contact_point.name)


def feed_office(request: HttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(DistrictOffice, slug=slug)
    return _feed(Event.objects.filter(district_office=office), office.name)


@require_http_methods(["GET", "POST"])
def registration_manage(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_from_token(token, "manage")
    if registration is None or registration.status not in Registration.ACTIVE_STATUSES:
        return render(request, "events/registration_manage.html", {"state": "gone"})
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        return render(
            request,
            "events/registration_manage.html",
            {"state": "cancelled", "event": registration.event},
        )
    return render(
        request,
        "events/registration_manage.html",
        {"state": "active", "registration": registration, "event": registration.event},
    )


def _offer_page(request: HttpRequest, token: str, accept: bool) -> HttpResponse:
    registration = registration_from_token(token, "offer")
    template = "events/offer.html"
    if registration is None:
        return render(request, template, {"state": "gone"})
    context = {"event": registration.event, "accept": accept, "registration": registration}
    if request.method != "POST":
        state = "ask" if registration.status == Registration.Status.OFFERED else "gone"
        if registration.status == Registration.Status.CONFIRMED:
            state = "accepted"
        elif (
            registration.status == Registration.Status.EXPIRED
            or state == "ask"
            and registration.offer_expires_at <= timezone.now()
        ):
            state = "expired"
        return render(request, template, {**context, "state": state})
    try:
        if accept:
            state = services.offer_accept(registration=registration)
            state = "accepted" if state == "accepted_before" else state
        else:
            services.offer_decline(registration=registration)
            state = "declined"
    except services.OfferGone as gone:
        state = gone.state
    return render(request, template, {**context, "state": state})


@require_http_methods(["GET", "POST"])
def offer_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _offer_page(request, token, accept=True)


@require_http_methods(["GET", "POST"])
def offer_decline(request: HttpRequest, token: str) -> HttpResponse:
    return _offer_page(request, token, accept=False)


# Staff pages ----------------------------------------------------------------------------------


@staff_page
@login_required
@never_cache
def staff_event_list(request: HttpRequest, slug: str, namespace: str) -> HttpResponse:
    area = get_area(request, namespace, slug)
    events = area.events.order_by("-starts_at").select_related("municipality")
    page, page_query = paginate(request, events, PAGE_SIZE)
    return render_area(
        request,
        area,
        "events/staff_event_list.html",
        {"page": page, "page_query": page_query, "events": list(page.object_list)},
    )


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def staff_event_form(
    request: HttpRequest, slug: str, namespace: str, pk: int | None = None
) -> HttpResponse:
    area = get_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk) if pk else area.new_event()
    municipalities = area.municipalities()
    if request.method != "POST":
        form = EventForm(instance=event, municipalities=municipalities)
        formset = SessionFormSet(prefix="okt", initial=session_initial(event) if pk else None)
        return render_area(
            request,
            area,
            "events/staff_event_form.html",
            {"form": form, "formset": formset, "event": event if pk else None},
        )
    form = EventForm(request.POST, instance=event, municipalities=municipalities)
    formset = SessionFormSet(request.POST, prefix="okt")
    context = {"form": form, "formset": formset, "event": event if pk else None}
    if form.is_valid() and formset.is_valid():
        sessions = formset.sessions()
        if check_close_before_start(form, sessions):
            try:
                services.event_save(event=form.save(), sessions=sessions)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, messages in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
                else:
                    form.add_error(None, error.messages)
            else:
                return redirect(f"{area.prefix}event-list", slug=slug)
    return render_area(request, area, "events/staff_event_form.html", context, status=200)


@staff_page
@login_required
@never_cache
def staff_event_cancel(request: HttpRequest, slug: str, namespace: str, pk: int) -> HttpResponse:
    area = get_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # after the access check: outsiders get 404
    services.event_cancel(event=event)
    return redirect(f"{area.prefix}event-list", slug=slug)


@staff_page
@login_required
@never_cache
def staff_registration_list(
    request: HttpRequest, slug: str, namespace: str, pk: int
) -> HttpResponse:
    area = get_people_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    registrations = list(event.registrations.order_by("status", "created_at", "pk"))
    return render_area(
        request,
        area,
        "events/staff_registration_list.html",
        {"event": event, "registrations": registrations},
    )


@staff_page
@login_required
@never_cache
def staff_registration_move_in(
    request: HttpRequest, slug: str, namespace: str, pk: int, registration_pk: int
) -> HttpResponse:
    area = get_people_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    registration = get_object_or_404(event.registrations, pk=registration_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # after the access check: outsiders get 404
    try:
        services.registration_move_in(registration=registration)
    except services.RegistrationRefused as refused:
        registrations = list(event.registrations.order_by("status", "created_at", "pk"))
        return render_area(
            request,
            area,
            "events/staff_registration_list.html",
            {"event": event, "registrations": registrations, "error": refused.message},
            status=409,
        )
    return redirect(f"{area.prefix}event-registrations", slug=slug, pk=pk)


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def staff_attendance(
    request: HttpRequest, slug: str, namespace: str, pk: int, session_pk: int
) -> HttpResponse:
    """Who came, per session: one big tick box per person, for a phone or a tablet at the door."""
    area = get_people_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    session = get_object_or_404(event.sessions, pk=session_pk)
    if event.is_course:
        from events.course_views import course_attendance

        return course_attendance(request, area, event, session)
    saved = None
    if request.method == "POST":
        ids = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        saved = services.attendance_set(session=session, present_ids=ids)
    registrations = list(
        event.registrations.filter(status=Registration.Status.CONFIRMED).order_by("name", "pk")
    )
    present = set(session.attendances.values_list("registration_id", flat=True))
    return render_area(
        request,
        area,
        "events/staff_attendance.html",
        {
            "event": event,
            "session": session,
            "sessions": list(event.sessions.all()),
            "registrations": registrations,
            "present": present,
            "saved": saved,
        },
    )


def _download(
    request: HttpRequest, area: Area, event: Event, body: bytes, content_type: str, ext: str
) -> HttpResponse:
    audit_log(
        actor=request.user,
        action="export",
        object_type="event-registrations",
        object_id=event.pk,
        contact_point_id=event.contact_point_id,
        detail=ext,
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="pameldte-{event.pk}.{ext}"'
    return response


@staff_page
@login_required
@never_cache
def staff_export_csv(request: HttpRequest, slug: str, namespace: str, pk: int) -> HttpResponse:
    area = get_people_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    body = exports.registrations_csv(event)
    return _download(request, area, event, body, "text/csv; charset=utf-8", "csv")


@staff_page
@login_required
@never_cache
def staff_export_xlsx(request: HttpRequest, slug: str, namespace: str, pk: int) -> HttpResponse:
    area = get_people_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    body = exports.registrations_xlsx(event)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(request, area, event, body, xlsx, "xlsx")


@staff_page
@login_required
@never_cache
def staff_sign_in_pdf(request: HttpRequest, slug: str, namespace: str, pk: int) -> HttpResponse:
    area = get_people_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    # ?okt=<id>: the sheet of one session (courses print one per day).
    session = request.GET.get("okt", "")
    sessions = event.sessions.filter(pk=session) if session.isdigit() else None
    body = exports.sign_in_pdf(event, sessions=sessions)
    return _download(request, area, event, body, "application/pdf", "pdf")


# Evaluations ----------------------------------------------------------------------------------

MIN_RESPONSES_SHOWN = 3  # fewer answers could point to who gave them


def _invitation_from_token(token: str):
    from events.emails import EVALUATION_SALT
    from events.models import EvaluationInvitation

    try:
        public_id = signing.loads(token, salt=EVALUATION_SALT)
    except signing.BadSignature:
        return None
    return EvaluationInvitation.objects.select_related("event").filter(public_id=public_id).first()


@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation_from_token(token)
    template = "events/evaluation.html"
    if invitation is None or invitation.answered:
        return render(request, template, {"state": "gone"})
    event = invitation.event
    questions = EvaluationQuestion.objects.filter(kind=event.kind, is_active=True)
    form = EvaluationForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        services.evaluation_answer(
            invitation=invitation, ratings=form.ratings(), comment=form.cleaned_data["comment"]
        )
        return render(request, template, {"state": "done", "event": event})
    return render(request, template, {"state": "ask", "event": event, "form": form})


@staff_page
@login_required
@never_cache
def staff_evaluation_results(
    request: HttpRequest, slug: str, namespace: str, pk: int
) -> HttpResponse:
    area = get_area(request, namespace, slug)
    event = get_object_or_404(area.events, pk=pk)
    invited = event.invitations.count()
    answered = event.invitations.filter(answered=True).count()
    responses = event.responses.count()
    context: dict = {
        "event": event,
        "invited": invited,
        "answered": answered,
        "rate": round(100 * answered / invited) if invited else None,
        "enough": responses >= MIN_RESPONSES_SHOWN,
        "minimum": MIN_RESPONSES_SHOWN,
    }
    if context["enough"]:
        rows = (
            EvaluationAnswer.objects.filter(response__event=event)
            .values("question_id", "question__text", "rating")
            .annotate(n=Count("pk"))
            .order_by("question__order", "question_id", "rating")
        )
        results: dict = {}
        for row in rows:
            item = results.setdefault(
                row["question_id"], {"text": row["question__text"], "counts": [0] * 5}
            )
            item["counts"][row["rating"] - 1] = row["n"]
        for item in results.values():
            total = sum(item["counts"])
            item["average"] = sum((i + 1) * n for i, n in enumerate(item["counts"])) / total
            item["distribution"] = list(enumerate(item["counts"], start=1))
        context["results"] = list(results.values())
        # Shuffled by the random key, so the order says nothing about who answered when.
        context["comments"] = list(
            event.responses.exclude(comment="").order_by("pk").values_list("comment", flat=True)
        )
    return render_area(request, area, "events/staff_evaluation_results.html", context)
