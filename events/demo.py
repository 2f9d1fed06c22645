"""Demo events: upcoming and past, several organisers, kinds and formats, one full with a waiting
list. Safe to run twice: events are matched on their slug and skipped when they exist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from contactpoints.models import ContactPoint
from events import services
from events.models import Event, Registration
from selvhjelp.models import DistrictOffice, Municipality

K, A, F = Event.Kind, Event.Audience, Event.Format
# slug, title, kind, audience, format, organiser ("cp:<slug>", "office:<slug>" or "national"),
# municipality, days from today, hour, sessions, capacity, people registered (+ waiting)
EVENTS = [
    (
        "infomote-dombas",
        "Informasjonsmøte om selvhjelp på Dombås",
        K.INFORMATION_MEETING,
        A.PUBLIC,
        F.PHYSICAL,
        "cp:dombas-frivilligsentral",
        "Dovre",
        12,
        18,
        1,
        12,
        (12, 2),
    ),
    (
        "nettverksmote-innlandet",
        "Nettverksmøte for kontaktpunkter i Innlandet",
        K.NETWORK_MEETING,
        A.PARTNERS,
        F.HYBRID,
        "office:innlandet",
        "Hamar",
        25,
        10,
        1,
        40,
        (6, 0),
    ),
    (
        "erfaringssamling-igangsettere",
        "Erfaringssamling for igangsettere",
        K.EXPERIENCE_GATHERING,
        A.FACILITATORS,
        F.PHYSICAL,
        "office:innlandet",
        "Lillehammer",
        45,
        9,
        2,
        30,
        (3, 0),
    ),
    (
        "webinar-hva-er-selvhjelp",
        "Webinar: Hva er en selvhjelpsgruppe?",
        K.WEBINAR,
        A.PUBLIC,
        F.DIGITAL,
        "national",
        None,
        8,
        19,
        1,
        None,
        (5, 0),
    ),
    (
        "verdensdagen-oslo",
        "Åpen dag på Verdensdagen for psykisk helse",
        K.OTHER,
        A.PUBLIC,
        F.PHYSICAL,
        "cp:link-oslo",
        "Oslo",
        60,
        12,
        1,
        None,
        (0, 0),
    ),
    (
        "seminar-kommuneansatte",
        "Seminar for ansatte i kommunen",
        K.SEMINAR,
        A.MUNICIPAL_STAFF,
        F.PHYSICAL,
        "cp:link-trondheim",
        "Trondheim",
        -40,
        9,
        1,
        50,
        (8, 0),
    ),
    (
        "konferanse-selvhjelp",
        "Nasjonal selvhjelpskonferanse",
        K.CONFERENCE,
        A.PARTNERS,
        F.HYBRID,
        "national",
        "Oslo",
        90,
        9,
        2,
        200,
        (4, 0),
    ),
]


def _organiser(value: str) -> dict:
    if value.startswith("cp:"):
        return {"contact_point": ContactPoint.objects.filter(slug=value[3:]).first()}
    if value.startswith("office:"):
        return {"district_office": DistrictOffice.objects.filter(slug=value[7:]).first()}
    return {}


def create_demo_events() -> int:
    created = 0
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    for row in EVENTS:
        slug, title, kind, audience, fmt, organiser, place, days, hour, n, capacity, people = row
        if Event.objects.filter(slug=slug).exists():
            continue
        day = today + dt.timedelta(days=days)
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
        sessions = [
            services.SessionTimes(
                start + dt.timedelta(days=i), start + dt.timedelta(days=i, hours=3)
            )
            for i in range(n)
        ]
        event = Event(
            title=title,
            slug=slug,
            kind=kind,
            audience=audience,
            format=fmt,
            description=f"{title}. Vi forteller om selvhjelp, og det blir tid til spørsmål.",
            follow_up_text="Meld interesse for en gruppe, eller ta kontakt med kontaktpunktet.",
            venue="Kulturhuset, møterom 2" if fmt != F.DIGITAL else "",
            municipality=Municipality.objects.filter(name=place).first() if place else None,
            join_url="https://video.example/selvhjelp" if fmt != F.PHYSICAL else "",
            capacity=capacity,
            status=Event.Status.PUBLISHED,
            reminder_days=list(services.DEFAULT_REMINDER_DAYS),
            ask_diet=kind in (K.CONFERENCE, K.EXPERIENCE_GATHERING),
            **_organiser(organiser),
        )
        # Past demo events are set up as if before they happened: registration opens then.
        services.event_save(event=event, sessions=sessions)
        event.slug = slug
        event.save(update_fields=["slug"])
        confirmed, waiting = people
        for i in range(confirmed + waiting):
            Registration.objects.create(
                event=event,
                name=f"Demo Deltaker {i + 1}",
                email=f"deltaker{i + 1}.{slug}@example.invalid",
                consent_version="arrangement-2026-11",
                status=Registration.Status.CONFIRMED
                if i < confirmed
                else Registration.Status.WAITING,
            )
        created += 1
    return created


# Facilitator courses: slug, title, organiser, audience, days from today, sessions,
# people (the first comes from Dombås frivilligsentral; the last misses the last day).
COURSES = [
    ("igangsetterkurs-lillehammer-var", "Igangsetterkurs Lillehammer", "office:innlandet",
     Event.CourseAudience.VOLUNTEERS, -70, 2, 6),
    ("igangsetterkurs-hogskolen", "Igangsetterkurs med høgskolen", "national",
     Event.CourseAudience.STUDENTS, -30, 2, 4),
    ("igangsetterkurs-hamar", "Igangsetterkurs Hamar", "office:innlandet",
     Event.CourseAudience.PROFESSIONALS, 35, 2, 3),
]  # fmt: skip


def create_demo_courses() -> int:
    """Past courses with attendance, completions, certificates and facilitator records (through
    the real services), and an upcoming one. Safe to run twice: matched on the slug."""
    from events import courses
    from events.models import Session

    created = 0
    tz = timezone.get_current_timezone()
    dombas = ContactPoint.objects.filter(slug="dombas-frivilligsentral").first()
    for slug, title, organiser, audience, days, n, people in COURSES:
        if Event.objects.filter(slug=slug).exists():
            continue
        start = dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=days), dt.time(9), tzinfo=tz
        )
        sessions = [
            services.SessionTimes(
                start + dt.timedelta(days=i), start + dt.timedelta(days=i, hours=6)
            )
            for i in range(n)
        ]
        event = Event(
            title=title,
            kind=Event.Kind.COURSE,
            audience=Event.Audience.FACILITATORS,
            course_audience=audience,
            format=F.PHYSICAL,
            description="To dager om rollen som igangsetter: å starte en gruppe og være med "
            "på de første møtene.",
            follow_up_text="Ta kontakt med kontaktpunktet ditt for å starte en gruppe.",
            venue="Kulturhuset, møterom 2",
            municipality=Municipality.objects.filter(name="Lillehammer").first(),
            capacity=20,
            status=Event.Status.PUBLISHED,
            ask_organisation=True,
            reminder_days=list(services.DEFAULT_REMINDER_DAYS),
            **_organiser(organiser),
        )
        services.event_save(event=event, sessions=sessions)
        Event.objects.filter(pk=event.pk).update(slug=slug)
        registrations = [
            Registration.objects.create(
                event=event,
                name=f"Demo Igangsetter {i + 1}",
                email=f"igangsetter{i + 1}.{slug}@example.invalid",
                from_contact_point=dombas if i == 0 else None,
                organisation="" if i == 0 else "Frivilligsentralen",
                consent_version="arrangement-2026-11",
                status=Registration.Status.CONFIRMED,
            )
            for i in range(people)
        ]
        created += 1
        if days > 0:
            continue
        last = event.sessions.order_by("starts_at").last()
        for session in Session.objects.filter(event=event):
            marks = {r.pk: "present" for r in registrations}
            if session == last:
                marks[registrations[-1].pk] = "absent"
            courses.course_attendance_set(session=session, marks=marks)
        courses.course_complete(event=event)
    return created
