"""Permission matrix rows for the events app (merged into tests/test_permissions.py).

Public pages are open to everyone; a link from an email that is tampered gets a calm page (200).
In the staff areas: the contact point's workspace (its staff, its district office, national
admins) and the Innlandet office's area (its staff, national admins); everyone else 404. The
registration list and moving someone in show people: the district office gets 404 there for a
contact point's event (it sees counts, not people). POST-only URLs answer a GET with 405, after
the access check.
"""

from django.utils import timezone

from events.models import Event
from events.services import SessionTimes, event_save
from selvhjelp.models import DistrictOffice, Municipality
from tests import factories
from tests.permissions_workspace import people, workspace

PERSONAS = factories.PERSONAS


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def office(status_for_staff: int = 200) -> dict[str, int]:
    return {
        **dict.fromkeys(PERSONAS, 404),
        "anonymous": 302,
        "district_user": status_for_staff,
        "national_admin": status_for_staff,
    }


def _make_event(title: str, **fields) -> Event:
    start = timezone.now() + timezone.timedelta(days=10)
    values = {
        "kind": Event.Kind.INFORMATION_MEETING,
        "audience": Event.Audience.PUBLIC,
        "description": "Om selvhjelp.",
        "follow_up_text": "Meld interesse.",
        "format": Event.Format.PHYSICAL,
        "venue": "Storrvegen 5",
        "municipality": Municipality.objects.get(name="Dovre"),
        "status": Event.Status.PUBLISHED,
        **fields,
    }
    event = Event(title=title, **values)
    return event_save(
        event=event,
        sessions=[SessionTimes(start, start + timezone.timedelta(hours=2))],
    )


def _cp_event(o):
    return {"slug": o["contact_point"].slug, "pk": o["cp_event"].pk}


def _office_event(o):
    return {"slug": "innlandet", "pk": o["office_event"].pk}


def _cp_registration(o):
    return {**_cp_event(o), "registration_pk": o["cp_registration"].pk}


def _office_registration(o):
    return {**_office_event(o), "registration_pk": o["office_registration"].pk}


def _cp_session(o):
    return {**_cp_event(o), "session_pk": o["cp_event"].sessions.first().pk}


def _office_session(o):
    return {**_office_event(o), "session_pk": o["office_event"].sessions.first().pk}


def national(status_for_admin: int = 200) -> dict[str, int]:
    return {**office(404), "national_admin": status_for_admin}


def _national(o):
    return {"slug": "nasjonalt"}


def _national_event(o):
    return {"slug": "nasjonalt", "pk": o["national_event"].pk}


def _national_session(o):
    return {**_national_event(o), "session_pk": o["national_event"].sessions.first().pk}


def _national_registration(o):
    return {**_national_event(o), "registration_pk": o["national_registration"].pk}


def _office_course(o):
    return {"slug": "innlandet", "pk": o["office_course"].pk}


def _office_certificate(o):
    return {**_office_course(o), "registration_pk": o["office_certificate"].registration_id}


def _national_course(o):
    return {"slug": "nasjonalt", "pk": o["national_course"].pk}


def _national_certificate(o):
    return {**_national_course(o), "registration_pk": o["national_certificate"].registration_id}


def _tampered(o):
    return {"token": "tampered"}


ROWS: dict = {
    "events:event-list": (None, everyone(200)),
    "events:feed": (None, everyone(200)),
    "events:feed-contact-point": (lambda o: {"slug": o["contact_point"].slug}, everyone(200)),
    "events:feed-office": (lambda o: {"slug": "innlandet"}, everyone(200)),
    "events:event-detail": (lambda o: {"slug": o["cp_event"].slug}, everyone(200)),
    "events:event-ics": (lambda o: {"slug": o["cp_event"].slug}, everyone(200)),
    "events:registration-manage": (_tampered, everyone(200)),
    "events:offer-accept": (_tampered, everyone(200)),
    "events:offer-decline": (_tampered, everyone(200)),
    "events:evaluation": (_tampered, everyone(200)),
    "workspace:event-list": (lambda o: {"slug": o["contact_point"].slug}, workspace()),
    "workspace:event-create": (lambda o: {"slug": o["contact_point"].slug}, workspace()),
    "workspace:event-edit": (_cp_event, workspace()),
    "workspace:event-cancel": (_cp_event, workspace(405)),
    "workspace:event-registrations": (_cp_event, people()),
    "workspace:registration-move-in": (_cp_registration, people(405)),
    "workspace:event-attendance": (_cp_session, people()),
    # Anonymous results (from 3 answers): the district office may see them too.
    "workspace:event-evaluation": (_cp_event, workspace()),
    "district:event-evaluation": (_office_event, office()),
    "workspace:event-export-csv": (_cp_event, people()),
    "workspace:event-export-xlsx": (_cp_event, people()),
    "workspace:event-sign-in-pdf": (_cp_event, people()),
    "district:event-attendance": (_office_session, office()),
    "district:event-export-csv": (_office_event, office()),
    "district:event-export-xlsx": (_office_event, office()),
    "district:event-sign-in-pdf": (_office_event, office()),
    "events:national-event-list": (_national, national()),
    "events:national-event-create": (_national, national()),
    "events:national-event-edit": (_national_event, national()),
    "events:national-event-cancel": (_national_event, national(405)),
    "events:national-event-registrations": (_national_event, national()),
    "events:national-event-attendance": (_national_session, national()),
    "events:national-event-evaluation": (_national_event, national()),
    "events:national-event-export-csv": (_national_event, national()),
    "events:national-event-export-xlsx": (_national_event, national()),
    "events:national-event-sign-in-pdf": (_national_event, national()),
    "events:national-registration-move-in": (_national_registration, national(405)),
    "district:event-list": (lambda o: {"slug": "innlandet"}, office()),
    "district:event-create": (lambda o: {"slug": "innlandet"}, office()),
    "district:event-edit": (_office_event, office()),
    "district:event-cancel": (_office_event, office(405)),
    "district:event-registrations": (_office_event, office()),
    "district:registration-move-in": (_office_registration, office(405)),
    # Facilitator courses: district offices and the national office only.
    "district:course-completion": (_office_course, office()),
    "district:certificate-pdf": (_office_certificate, office()),
    "district:certificate-revoke": (_office_certificate, office(405)),
    "district:certificate-reissue": (_office_certificate, office(405)),
    "district:course-figures": (lambda o: {"slug": "innlandet"}, office()),
    "district:course-figures-csv": (lambda o: {"slug": "innlandet"}, office()),
    "district:course-facilitators": (lambda o: {"slug": "innlandet"}, office()),
    "district:course-facilitators-csv": (lambda o: {"slug": "innlandet"}, office()),
    "events:national-course-completion": (_national_course, national()),
    "events:national-certificate-pdf": (_national_certificate, national()),
    "events:national-certificate-revoke": (_national_certificate, national(405)),
    "events:national-certificate-reissue": (_national_certificate, national(405)),
    "events:national-course-figures": (_national, national()),
    "events:national-course-figures-csv": (_national, national()),
    # Names of the contact point's own people: its staff and national admins.
    "workspace:course-facilitators": (lambda o: {"slug": o["contact_point"].slug}, people()),
    # Any logged-in person: the page lists only their own certificates (none here).
    "events:my-certificates": (None, {**everyone(200), "anonymous": 302}),
    "events:my-certificate-pdf": (
        lambda o: {"pk": o["office_certificate"].pk},
        {**everyone(404), "anonymous": 302},
    ),
    # Public: valid (200) for everyone; an unknown code is a calm 404.
    "certificates:certificate-verify": (
        lambda o: {"code": o["office_certificate"].code},
        everyone(200),
    ),
}

# Events outside the persona's area: another organiser's event through your own area is 404.
HIDDEN = [
    (
        "certificates:certificate-verify",
        lambda o: {"code": "finnes-ikke-" + "x" * 20},
        everyone(404),
    ),
    # A course of another organiser, or a plain event, has no completion page here.
    (
        "district:course-completion",
        lambda o: {"slug": "innlandet", "pk": o["national_course"].pk},
        {"district_user": 404, "national_admin": 404},
    ),
    (
        "district:course-completion",
        lambda o: {"slug": "innlandet", "pk": o["office_event"].pk},
        {"district_user": 404, "national_admin": 404},
    ),
    ("events:event-detail", lambda o: {"slug": o["draft_event"].slug}, everyone(404)),
    ("events:event-ics", lambda o: {"slug": o["draft_event"].slug}, everyone(404)),
    ("events:feed-contact-point", lambda o: {"slug": "finnes-ikke"}, everyone(404)),
    (
        "workspace:event-edit",
        lambda o: {"slug": o["contact_point"].slug, "pk": o["office_event"].pk},
        {"cp_user": 404, "district_user": 404, "national_admin": 404},
    ),
    (
        "district:event-edit",
        lambda o: {"slug": "innlandet", "pk": o["cp_event"].pk},
        {"district_user": 404, "national_admin": 404},
    ),
    (
        "district:event-edit",
        lambda o: {"slug": "oslo", "pk": o["oslo_office_event"].pk},
        {"district_user": 404, "cp_user": 404, "national_admin": 200},
    ),
    # The national area has one slug; a contact point's event is not a national one.
    ("events:national-event-list", lambda o: {"slug": "innlandet"}, {"national_admin": 404}),
    (
        "events:national-event-edit",
        lambda o: {"slug": "nasjonalt", "pk": o["cp_event"].pk},
        {"national_admin": 404},
    ),
    (
        "workspace:event-attendance",
        lambda o: {**_cp_event(o), "session_pk": o["office_event"].sessions.first().pk},
        {"cp_user": 404, "national_admin": 404},
    ),
]


def extra_objects(objects: dict) -> dict:
    from events.services import registration_create

    cp_event = _make_event("Informasjonsmøte matrise", contact_point=objects["contact_point"])
    office_event = _make_event(
        "Erfaringssamling matrise",
        district_office=DistrictOffice.objects.get(slug="innlandet"),
    )
    data = {"name": "Vent Ventesen", "email": "vent@example.test"}
    cp_registration, _ = registration_create(
        event=cp_event, data=data, consent_version="x", join_waiting_list=True
    )
    office_registration, _ = registration_create(
        event=office_event, data=data, consent_version="x", join_waiting_list=True
    )
    national_event = _make_event("Nasjonal konferanse matrise")
    national_registration, _ = registration_create(
        event=national_event, data=data, consent_version="x", join_waiting_list=True
    )
    courses = _courses()
    return {
        **courses,
        "national_event": national_event,
        "national_registration": national_registration,
        "cp_event": cp_event,
        "office_event": office_event,
        "oslo_office_event": _make_event(
            "Oslo-samling",
            district_office=DistrictOffice.objects.get(slug="oslo"),
            municipality=Municipality.objects.get(name="Oslo"),
        ),
        "draft_event": _make_event(
            "Utkast matrise", contact_point=objects["contact_point"], status=Event.Status.DRAFT
        ),
        "cp_registration": cp_registration,
        "office_registration": office_registration,
    }


def _courses() -> dict:
    """A finished course of the Innlandet office and one of the national office, each with one
    completed person and a certificate."""
    from django.db.models import F

    from events import courses
    from events.models import Certificate, Session
    from events.services import registration_create

    made = {}
    for key, office in (
        ("office", DistrictOffice.objects.get(slug="innlandet")),
        ("national", None),
    ):
        course = _make_event(
            f"Igangsetterkurs matrise {key}",
            kind=Event.Kind.COURSE,
            course_audience=Event.CourseAudience.VOLUNTEERS,
            district_office=office,
        )
        registration, _ = registration_create(
            event=course,
            data={"name": "Kurs Deltaker", "email": f"kurs-{key}@example.test"},
            consent_version="x",
        )
        session = course.sessions.get()
        courses.course_attendance_set(session=session, marks={registration.pk: "present"})
        gone = timezone.timedelta(days=30)
        Session.objects.filter(event=course).update(
            starts_at=F("starts_at") - gone, ends_at=F("ends_at") - gone
        )
        Event.objects.filter(pk=course.pk).update(
            starts_at=F("starts_at") - gone, ends_at=F("ends_at") - gone
        )
        course.refresh_from_db()
        courses.course_complete(event=course)
        made[f"{key}_course"] = course
        made[f"{key}_certificate"] = Certificate.objects.get(registration=registration)
    return made
