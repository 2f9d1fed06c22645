"""Staff and public pages of facilitator courses: attendance per session, completion,
certificates (download, revoke, reissue), the public verify page, the facilitator registry in
the contact point workspace and the district office area, and the figures for the year."""

from __future__ import annotations

import csv
import io
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactpoints.access import get_contact_point_for_user, user_sees_people
from contactpoints.models import Facilitator
from events import certificates, courses
from events.access import Area, get_area, get_people_area, render_area
from events.models import Attendance, Certificate, Event, FacilitatorTraining, Registration
from selvhjelp import ratelimit
from selvhjelp.access import get_office_for_user
from selvhjelp.audit import audit_log
from selvhjelp.mfa import staff_page

logger = logging.getLogger(__name__)

VERIFY_WINDOW_SECONDS = 60 * 60
# A code is token_urlsafe: letters, digits, - and _. Anything else is "not found" at once.
CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


# Attendance -----------------------------------------------------------------------------------


def course_attendance(request: HttpRequest, area: Area, event: Event, session) -> HttpResponse:
    """Present / absent / excused per person, one row of big buttons each (a phone at the door).
    Called by events.views.staff_attendance after its access checks."""
    registrations = list(
        event.registrations.filter(status=Registration.Status.CONFIRMED).order_by("name", "pk")
    )
    marks = dict(
        Attendance.objects.filter(session=session).values_list("registration_id", "status")
    )
    context: dict = {
        "event": event,
        "session": session,
        "sessions": list(event.sessions.all()),
        "statuses": Attendance.Status.choices,
        "saved": None,
        "error": "",
    }
    status = 200
    if request.method == "POST":
        posted = {}
        for key, value in request.POST.items():
            if key.startswith("mark-") and key[5:].isdigit():
                posted[int(key[5:])] = value
        try:
            context["saved"] = courses.course_attendance_set(session=session, marks=posted)
            marks.update(posted)
        except courses.CourseRefused as refused:
            context["error"] = refused.message
            marks = {**marks, **posted}  # keep what staff chose, so nothing is lost
            status = 409
    context["rows"] = [(r, marks.get(r.pk, "")) for r in registrations]
    return render_area(request, area, "events/courses/attendance.html", context, status=status)


# Completion and certificates --------------------------------------------------------------------


def _course_area(request: HttpRequest, namespace: str, slug: str, pk: int) -> tuple[Area, Event]:
    area = get_people_area(request, namespace, slug)
    event = get_object_or_404(area.events.filter(kind=Event.Kind.COURSE), pk=pk)
    return area, event


def _completion_page(request, area, event, *, errors=None, posted=None, message="", status=200):
    rows = courses.completion_rows(event)
    posted = posted or {}
    for row in rows:
        pk = row["registration"].pk
        row["decision"] = posted.get(f"decision-{pk}", "")
        row["reason"] = posted.get(f"reason-{pk}", "")
        row["error"] = (errors or {}).get(str(pk), "")
    ended = event.ends_at is not None and event.ends_at <= timezone.now()
    return render_area(
        request,
        area,
        "events/courses/completion.html",
        {
            "event": event,
            "rows": rows,
            "ended": ended,
            "required": courses.required_sessions(event, event.sessions.count()),
            "message": message,
            "has_errors": bool(errors),
        },
        status=status,
    )


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def staff_course_completion(
    request: HttpRequest, slug: str, namespace: str, pk: int
) -> HttpResponse:
    area, event = _course_area(request, namespace, slug, pk)
    if request.method != "POST":
        return _completion_page(request, area, event)
    decisions: dict[int, tuple[bool, str]] = {}
    for key, value in request.POST.items():
        if key.startswith("decision-") and key[9:].isdigit() and value in ("yes", "no"):
            pk_ = int(key[9:])
            decisions[pk_] = (value == "yes", request.POST.get(f"reason-{pk_}", ""))
    try:
        done = courses.course_complete(event=event, actor=request.user, decisions=decisions)
    except ValidationError as error:
        return _completion_page(
            request, area, event, errors=error.message_dict, posted=request.POST, status=400
        )
    except courses.CourseRefused as refused:
        return _completion_page(
            request, area, event, posted=request.POST, message=refused.message, status=409
        )
    audit_log(
        actor=request.user,
        action="update",
        object_type="course-completion",
        object_id=event.pk,
        detail=str(done),
    )
    return redirect(f"{area.prefix}course-completion", slug=slug, pk=pk)


def _certificate(event: Event, registration_pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("registration__event"),
        registration__event=event,
        registration__pk=registration_pk,
    )


@staff_page
@login_required
@never_cache
def staff_certificate_pdf(
    request: HttpRequest, slug: str, namespace: str, pk: int, registration_pk: int
) -> HttpResponse:
    area, event = _course_area(request, namespace, slug, pk)
    certificate = _certificate(event, registration_pk)
    if certificate.is_revoked:
        return _completion_page(
            request,
            area,
            event,
            message=_("Beviset er trukket tilbake og kan ikke lastes ned."),
            status=410,
        )
    return _pdf_response(request, certificate)


def _pdf_response(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    audit_log(
        actor=request.user,
        action="export",
        object_type="certificate",
        object_id=certificate.pk,
        detail="pdf",
    )
    response = HttpResponse(
        certificates.certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(certificate)}"'
    return response


@staff_page
@login_required
@never_cache
def staff_certificate_revoke(
    request: HttpRequest, slug: str, namespace: str, pk: int, registration_pk: int
) -> HttpResponse:
    area, event = _course_area(request, namespace, slug, pk)
    certificate = _certificate(event, registration_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # after the access check: outsiders get 404
    courses.certificate_revoke(certificate=certificate, actor=request.user)
    return redirect(f"{area.prefix}course-completion", slug=slug, pk=pk)


@staff_page
@login_required
@never_cache
def staff_certificate_reissue(
    request: HttpRequest, slug: str, namespace: str, pk: int, registration_pk: int
) -> HttpResponse:
    area, event = _course_area(request, namespace, slug, pk)
    certificate = _certificate(event, registration_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        courses.certificate_reissue(
            certificate=certificate, name=request.POST.get("name", ""), actor=request.user
        )
    except ValidationError as error:
        return _completion_page(request, area, event, message=" ".join(error.messages), status=400)
    return redirect(f"{area.prefix}course-completion", slug=slug, pk=pk)


# The public verify page ------------------------------------------------------------------------


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Valid, revoked or not found: calm in every case, and nothing about other codes."""
    template = "events/courses/verify.html"
    if not ratelimit.hit(
        f"certificates:ip:{ratelimit.client_ip(request)}",
        settings.RATE_LIMIT_CERTIFICATE_VERIFY_PER_IP,
        VERIFY_WINDOW_SECONDS,
    ):
        return render(request, template, {"state": "slow"}, status=429)
    certificate = None
    if 16 <= len(code) <= 64 and set(code) <= CODE_CHARS:
        certificate = (
            Certificate.objects.select_related("registration__event").filter(code=code).first()
        )
    if certificate is None:
        return render(request, template, {"state": "unknown"}, status=404)
    event = certificate.registration.event
    state = "revoked" if certificate.is_revoked else "valid"
    return render(
        request,
        template,
        {"state": state, "name": certificate.name, "course": event.title, "date": event.ends_at},
    )


# Facilitators' own certificates ------------------------------------------------------------------


def _own_certificates(user):
    """Certificates of the facilitator record tied to this account, or with the same email."""
    mine = Q(registration__facilitator_training__facilitator__user=user)
    if user.email:  # an empty address must never match records without one
        mine |= Q(registration__facilitator_training__facilitator__email__iexact=user.email)
    return Certificate.objects.select_related("registration__event").filter(
        mine, revoked_at__isnull=True
    )


@staff_page
@login_required
@never_cache
def my_certificates(request: HttpRequest) -> HttpResponse:
    items = list(_own_certificates(request.user).order_by("-issued_at"))
    return render(request, "events/courses/my_certificates.html", {"certificates": items})


@staff_page
@login_required
@never_cache
def my_certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(_own_certificates(request.user), pk=pk)
    return _pdf_response(request, certificate)


# The facilitator registry ----------------------------------------------------------------------


def _trainings_prefetch():
    return Prefetch(
        "trainings",
        queryset=FacilitatorTraining.objects.select_related(
            "registration__event", "registration__completion", "contact_point"
        ).order_by("-registration__event__ends_at"),
    )


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def workspace_course_facilitators(request: HttpRequest, slug: str) -> HttpResponse:
    """The contact point's trained facilitators, and the ones waiting for it to confirm them."""
    contact_point = get_contact_point_for_user(request, slug)
    if not user_sees_people(request.user, contact_point):
        raise Http404  # names are for the contact point's own staff
    error = ""
    if request.method == "POST":
        raw = request.POST.get("training", "")
        if not raw.isdigit():
            raise Http404
        # Only a link to this contact point can be confirmed here.
        training = get_object_or_404(FacilitatorTraining, pk=int(raw), contact_point=contact_point)
        try:
            courses.facilitator_training_confirm(
                training=training, contact_point=contact_point, actor=request.user
            )
        except courses.CourseRefused as refused:
            error = refused.message
        else:
            return redirect("workspace:course-facilitators", slug=slug)
    pending = list(
        FacilitatorTraining.objects.filter(contact_point=contact_point, confirmed_at__isnull=True)
        .select_related("facilitator", "registration__event")
        .order_by("created_at")
    )
    facilitators = list(
        Facilitator.objects.filter(contact_points=contact_point)
        .prefetch_related(_trainings_prefetch())
        .order_by("name")
    )
    return render(
        request,
        "events/courses/workspace_facilitators.html",
        {
            "contact_point": contact_point,
            "pending": pending,
            "facilitators": facilitators,
            "error": error,
        },
        status=409 if error else 200,
    )


def _office_facilitators(office, counties):
    return (
        Facilitator.objects.filter(
            Q(contact_points__municipality__county__in=counties)
            | Q(trainings__contact_point__municipality__county__in=counties)
            | Q(trainings__registration__event__district_office=office)
        )
        .distinct()
        .prefetch_related(_trainings_prefetch())
        .order_by("name")
    )


@staff_page
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def district_course_facilitators(request: HttpRequest, slug: str) -> HttpResponse:
    """Trained facilitators in the office's counties; invite chosen ones to a gathering."""
    office, counties = get_office_for_user(request, slug)
    facilitators = list(_office_facilitators(office, counties))
    gatherings = (
        Event.objects.published()
        .upcoming()
        .filter(kind=Event.Kind.EXPERIENCE_GATHERING, status=Event.Status.PUBLISHED)
        .filter(
            Q(district_office=office) | Q(district_office__isnull=True, contact_point__isnull=True)
        )
    )
    context: dict = {
        "office": office,
        "facilitators": facilitators,
        "gatherings": list(gatherings),
        "chosen": set(),
        "error": "",
        "sent": None,
    }
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("facilitator") if v.isdigit()}
        context["chosen"] = chosen
        event_id = request.POST.get("event", "")
        event = next((g for g in context["gatherings"] if str(g.pk) == event_id), None)
        picked = [f for f in facilitators if f.pk in chosen]
        if event is None:
            context["error"] = _("Velg erfaringssamlingen du vil invitere til.")
        elif not picked:
            context["error"] = _("Kryss av for minst én igangsetter.")
        else:
            context["sent"] = courses.gathering_invite(
                facilitators=picked, event=event, office=office, actor=request.user
            )
            context["chosen"] = set()
    status = 400 if context["error"] else 200
    return render(request, "events/courses/district_facilitators.html", context, status=status)


@staff_page
@login_required
@never_cache
def district_course_facilitators_csv(request: HttpRequest, slug: str) -> HttpResponse:
    office, counties = get_office_for_user(request, slug)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Navn"), _("E-post"), _("Telefon"), _("Kurs fullført")])
    for f in _office_facilitators(office, counties):
        writer.writerow([_safe(f.name), _safe(f.email), _safe(f.phone), f.trained_on or ""])
    audit_log(actor=request.user, action="export", object_type="facilitators", detail="csv")
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="igangsettere.csv"'
    return response


def _safe(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# Figures for the year ----------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    value = request.GET.get("ar", "")
    this_year = timezone.localdate().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this_year + 1 else this_year


def _figures(area: Area, year: int) -> list[dict]:
    held = Event.objects.filter(
        kind=Event.Kind.COURSE, ends_at__year=year, status=Event.Status.PUBLISHED
    )
    if area.office is not None:
        held = held.filter(district_office=area.office)
    rows = (
        held.values("district_office__name", "course_audience")
        .annotate(
            courses=Count("pk", distinct=True),
            participants=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.CONFIRMED),
                distinct=True,
            ),
            completed=Count(
                "registrations",
                filter=Q(registrations__completion__completed=True),
                distinct=True,
            ),
        )
        .order_by("district_office__name", "course_audience")
    )
    audiences = dict(Event.CourseAudience.choices)
    result = []
    for row in rows:
        result.append(
            {
                "organiser": row["district_office__name"] or _("Selvhjelp Norge"),
                "audience": audiences.get(row["course_audience"], row["course_audience"]),
                "courses": row["courses"],
                "participants": row["participants"],
                "completed": row["completed"],
            }
        )
    return result


@staff_page
@login_required
@never_cache
def staff_course_figures(request: HttpRequest, slug: str, namespace: str) -> HttpResponse:
    area = get_area(request, namespace, slug)
    year = _year(request)
    rows = _figures(area, year)
    most = max((r["participants"] for r in rows), default=0)
    totals = {key: sum(r[key] for r in rows) for key in ("courses", "participants", "completed")}
    return render_area(
        request,
        area,
        "events/courses/figures.html",
        {"year": year, "rows": rows, "most": most or 1, "totals": totals},
    )


@staff_page
@login_required
@never_cache
def staff_course_figures_csv(request: HttpRequest, slug: str, namespace: str) -> HttpResponse:
    area = get_area(request, namespace, slug)
    year = _year(request)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Arrangør"), _("For hvem"), _("Kurs holdt"), _("Deltakere"), _("Fullført")])
    for r in _figures(area, year):
        writer.writerow(
            [r["organiser"], r["audience"], r["courses"], r["participants"], r["completed"]]
        )
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="igangsetterkurs-{year}.csv"'
    return response
