"""Facilitator courses: courses, attendance per session, completion, certificates and
the verify page, the facilitator registry, and the figures for the year."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from contactpoints.models import Facilitator
from events import certificates, courses
from events.models import (
    Attendance,
    Certificate,
    CourseCompletion,
    Event,
    FacilitatorTraining,
)
from selvhjelp.models import AuditEntry, Municipality, OutgoingEmail
from tests import factories
from tests.events.conftest import make_course, make_event, move_to_past, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(district_user):
    return factories.logged_in_client(district_user)


def _register(event, email, name, contact_point=None, organisation=""):
    from events import services

    return services.registration_create(
        event=event,
        data={
            "name": name,
            "email": email,
            "from_contact_point": contact_point,
            "organisation": organisation,
        },
        consent_version="arrangement-2026-11",
    )[0]


@pytest.fixture
def course(district_office, contact_point):
    """The "Done when" walk: a two-day course, three people, one from Dombås."""
    event = make_course(district_office=district_office, title="Igangsetterkurs Lillehammer")
    people = [
        _register(event, "anne@example.test", "Anne Dombås", contact_point=contact_point),
        _register(event, "bjorn@example.test", "Bjørn Berg", organisation="Høgskolen"),
        _register(event, "cecilie@example.test", "Cecilie Borte"),
    ]
    return event, people


def _url(name, event, **extra):
    return reverse(f"district:{name}", kwargs={"slug": "innlandet", "pk": event.pk, **extra})


def _mark_all(client, event, people, missing=None):
    for session in event.sessions.all():
        data = {}
        for person in people:
            absent = missing is not None and person == missing and session == event.sessions.last()
            data[f"mark-{person.pk}"] = "absent" if absent else "present"
        response = client.post(_url("event-attendance", event, session_pk=session.pk), data)
        assert response.status_code == 200


# Courses -------------------------------------------------------------------------------------


def test_a_contact_point_cannot_organise_a_course(contact_point):
    with pytest.raises(ValidationError) as error:
        make_course(contact_point=contact_point)
    assert "distriktskontor" in str(error.value)
    assert not Event.objects.filter(kind=Event.Kind.COURSE).exists()


def test_the_workspace_form_does_not_offer_courses(cp_user, contact_point):
    client = factories.logged_in_client(cp_user)
    page = client.get(reverse("workspace:event-create", kwargs={"slug": contact_point.slug}))
    assert 'value="course"' not in page.content.decode()


def test_district_office_publishes_a_two_day_course(office_client):
    url = reverse("district:event-create", kwargs={"slug": "innlandet"})
    page = office_client.get(url).content.decode()
    assert 'value="course"' in page
    data = {
        "title": "Igangsetterkurs Hamar",
        "kind": "course",
        "audience": "facilitators",
        "description": "To dager om å starte en selvhjelpsgruppe.",
        "follow_up_text": "Start en gruppe.",
        "format": "physical",
        "venue": "Hamar bibliotek",
        "municipality": Municipality.objects.get(name="Hamar").pk,
        "reminder_days_text": "7, 1",
        "status": "published",
        "completion_minimum": "",
        "okt-TOTAL_FORMS": "2",
        "okt-INITIAL_FORMS": "0",
        "okt-MIN_NUM_FORMS": "1",
        "okt-MAX_NUM_FORMS": "10",
        "okt-0-date": "2027-02-01",
        "okt-0-start": "09:00",
        "okt-0-end": "15:00",
        "okt-1-date": "2027-02-02",
        "okt-1-start": "09:00",
        "okt-1-end": "15:00",
    }
    # No audience: a clear message next to the field, the rest of the input kept.
    response = office_client.post(url, data)
    body = response.content.decode()
    assert "Velg hvem kurset er for." in body and "Hamar bibliotek" in body
    assert not Event.objects.filter(title="Igangsetterkurs Hamar").exists()

    response = office_client.post(url, {**data, "course_audience": "students"})
    assert response.status_code == 302
    event = Event.objects.get(title="Igangsetterkurs Hamar")
    assert event.is_course and event.course_audience == "students"
    assert event.district_office.slug == "innlandet" and event.sessions.count() == 2


def test_registration_asks_which_contact_point(client, district_office, contact_point):
    event = make_course(district_office=district_office)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Hvilket kontaktpunkt kommer du fra?" in page and contact_point.name in page
    response = client.post(
        event.get_absolute_url(),
        {
            "name": "Anne Dombås",
            "email": "anne@example.test",
            "from_contact_point": "999999",
            "organisation": "",
            "consent": "on",
        },
    )
    assert "Velg et kontaktpunkt fra listen." in response.content.decode()
    assert not event.registrations.exists()
    client.post(
        event.get_absolute_url(),
        {
            "name": "Anne Dombås",
            "email": "anne@example.test",
            "from_contact_point": contact_point.pk,
            "consent": "on",
        },
    )
    assert event.registrations.get().from_contact_point == contact_point


# Attendance ----------------------------------------------------------------------------------


def test_attendance_present_absent_excused_per_session(office_client, course):
    event, (anne, bjorn, cecilie) = course
    first = event.sessions.first()
    url = _url("event-attendance", event, session_pk=first.pk)
    page = office_client.get(url).content.decode()
    assert "Meldt forfall" in page and "Anne Dombås" in page
    response = office_client.post(
        url,
        {
            f"mark-{anne.pk}": "present",
            f"mark-{bjorn.pk}": "excused",
            f"mark-{cecilie.pk}": "absent",
        },
    )
    assert "Lagret oppmøte for 3 personer." in response.content.decode()
    assert dict(Attendance.objects.values_list("registration_id", "status")) == {
        anne.pk: "present",
        bjorn.pk: "excused",
        cecilie.pk: "absent",
    }
    # Changing a mark updates the row.
    office_client.post(url, {f"mark-{bjorn.pk}": "present"})
    assert Attendance.objects.get(registration=bjorn).status == "present"


def test_attendance_for_someone_not_registered_saves_nothing(
    office_client, course, district_office
):
    event, (anne, *_rest) = course
    other = make_course(district_office=district_office)
    stranger = register(other, "x@example.test", name="Fremmed")
    url = _url("event-attendance", event, session_pk=event.sessions.first().pk)
    response = office_client.post(
        url, {f"mark-{anne.pk}": "present", f"mark-{stranger.pk}": "present"}
    )
    assert response.status_code == 409
    assert "ikke påmeldt kurset" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_after_the_course_was_cancelled(office_client, course):
    event, (anne, *_rest) = course
    from events import services

    services.event_cancel(event=event)
    url = _url("event-attendance", event, session_pk=event.sessions.first().pk)
    response = office_client.post(url, {f"mark-{anne.pk}": "present"})
    assert response.status_code == 409 and "avlyst" in response.content.decode()
    assert not Attendance.objects.exists()


def test_sign_in_sheet_per_session(office_client, course):
    event, _people = course
    first, second = event.sessions.all()
    url = _url("event-sign-in-pdf", event) + f"?okt={second.pk}"
    response = office_client.get(url)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Anne Dombås" in reader.pages[0].extract_text()


@pytest.mark.parametrize("people", [10, 200])
def test_attendance_page_query_count_is_constant(
    office_client, district_office, django_assert_max_num_queries, people
):
    event = make_course(district_office=district_office)
    from events.models import Registration

    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"P {n}",
            email=f"p{n}@example.test",
            consent_version="x",
            status="confirmed",
        )
        for n in range(people)
    )
    url = _url("event-attendance", event, session_pk=event.sessions.first().pk)
    with django_assert_max_num_queries(16):
        response = office_client.get(url)
    assert response.content.decode().count('type="radio"') == people * 3


# Completion, certificates --------------------------------------------------------------------


def _complete(office_client, event, data=None):
    return office_client.post(_url("course-completion", event), data or {})


def test_the_walk_two_complete_one_misses_a_day(office_client, course, on_commit):
    event, (anne, bjorn, cecilie) = course
    _mark_all(office_client, event, [anne, bjorn, cecilie], missing=cecilie)
    # Not before the last session.
    response = _complete(office_client, event)
    assert response.status_code == 409 and "etter siste økt" in response.content.decode()
    assert not CourseCompletion.objects.exists()

    move_to_past(event)
    with on_commit():
        response = _complete(office_client, event)
    assert response.status_code == 302
    completed = dict(CourseCompletion.objects.values_list("registration_id", "completed"))
    assert completed == {anne.pk: True, bjorn.pk: True, cecilie.pk: False}
    assert set(Certificate.objects.values_list("registration_id", flat=True)) == {anne.pk, bjorn.pk}

    sent = [m for m in mail.outbox if m.subject.startswith("Kursbevis")]
    assert sorted(m.to[0] for m in sent) == ["anne@example.test", "bjorn@example.test"]
    certificate = Certificate.objects.get(registration=anne)
    to_anne = sent[[m.to[0] for m in sent].index("anne@example.test")]
    _filename, content, mimetype = to_anne.attachments[0]
    assert mimetype == "application/pdf"
    assert certificates.verify_url(certificate) in to_anne.body
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Anne Dombås" in text and certificate.code in text.replace("\n", "")

    # Running again issues nothing twice.
    with on_commit():
        _complete(office_client, event)
    assert OutgoingEmail.objects.filter(kind="course-certificate").count() == 2


def test_completing_against_the_rule_needs_a_reason(office_client, course):
    event, (anne, bjorn, cecilie) = course
    _mark_all(office_client, event, [anne, bjorn, cecilie], missing=cecilie)
    move_to_past(event)
    response = _complete(
        office_client, event, {f"decision-{cecilie.pk}": "yes", f"reason-{cecilie.pk}": " "}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Skriv en begrunnelse" in body
    assert not CourseCompletion.objects.exists() and not Certificate.objects.exists()

    _complete(
        office_client,
        event,
        {f"decision-{cecilie.pk}": "yes", f"reason-{cecilie.pk}": "Tok igjen dagen på nett"},
    )
    completion = CourseCompletion.objects.get(registration=cecilie)
    assert completion.completed and not completion.met_rule
    assert completion.override_reason == "Tok igjen dagen på nett"
    entry = AuditEntry.objects.get(object_type="course-completion-override")
    assert entry.object_id == str(completion.pk) and "Tok igjen" not in entry.detail


def test_minimum_sessions_rule(office_client, district_office):
    event = make_course(district_office=district_office, days=3, completion_minimum=2)
    person = _register(event, "m@example.test", "Mina Minimum")
    sessions = list(event.sessions.all())
    for session, status in zip(sessions, ["present", "absent", "present"], strict=True):
        office_client.post(
            _url("event-attendance", event, session_pk=session.pk), {f"mark-{person.pk}": status}
        )
    move_to_past(event)
    assert courses.course_complete(event=event) == 1
    assert CourseCompletion.objects.get(registration=person).completed


def test_the_daily_job_completes_ended_courses(course):
    event, (anne, bjorn, cecilie) = course
    for session in event.sessions.all():
        courses.course_attendance_set(session=session, marks={anne.pk: "present"})
    move_to_past(event, days=1)
    assert courses.courses_complete_due() == 1
    assert courses.courses_complete_due() == 0  # safe to run twice
    assert list(
        CourseCompletion.objects.filter(completed=True).values_list("registration_id", flat=True)
    ) == [anne.pk]


def test_qr_code_carries_the_verify_url_and_is_embedded(course, monkeypatch):
    event, (anne, *_rest) = course
    for session in event.sessions.all():
        courses.course_attendance_set(session=session, marks={anne.pk: "present"})
    move_to_past(event)
    courses.course_complete(event=event)
    certificate = Certificate.objects.get()
    encoded = []
    original = certificates.qr_data_uri

    def spy(data):
        encoded.append(data)
        return original(data)

    monkeypatch.setattr(certificates, "qr_data_uri", spy)
    pdf = certificates.certificate_pdf(certificate)
    expected = certificates.verify_url(certificate)
    assert encoded == [expected]
    assert expected.endswith(f"/bevis/{certificate.code}/")
    assert len(certificate.code) >= 22  # 16+ random bytes
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1


def _completed(course):
    event, people = course
    for session in event.sessions.all():
        courses.course_attendance_set(session=session, marks={p.pk: "present" for p in people[:2]})
    move_to_past(event)
    courses.course_complete(event=event)
    return event, Certificate.objects.get(registration=people[0])


def test_verify_page_valid_revoked_unknown(client, course, office_client):
    event, certificate = _completed(course)
    url = reverse("certificates:certificate-verify", kwargs={"code": certificate.code})
    body = client.get(url).content.decode()
    assert "Kursbeviset er gyldig." in body and "Anne Dombås" in body and event.title in body
    assert "anne@example.test" not in body

    response = office_client.post(
        _url("certificate-revoke", event, registration_pk=certificate.registration_id)
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "trukket tilbake" in body and "gyldig." not in body

    for code in ["x" * 32, certificate.code[:-1] + "A", "ÆØÅ<script>", "a" * 300]:
        response = client.get(reverse("certificates:certificate-verify", kwargs={"code": code}))
        assert response.status_code == 404
        assert "Vi fant ikke noe kursbevis" in response.content.decode()


def test_verify_page_is_rate_limited(client, course, settings):
    settings.RATE_LIMIT_CERTIFICATE_VERIFY_PER_IP = 2
    _event, certificate = _completed(course)
    url = reverse("certificates:certificate-verify", kwargs={"code": certificate.code})
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429 and "Anne" not in response.content.decode()


def test_revoked_certificate_pdf_link_is_refused(office_client, course):
    event, certificate = _completed(course)
    url = _url("certificate-pdf", event, registration_pk=certificate.registration_id)
    response = office_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    courses.certificate_revoke(certificate=certificate, actor=None)
    response = office_client.get(url)
    assert response.status_code == 410
    assert "trukket tilbake og kan ikke lastes ned" in response.content.decode()


def test_reissue_after_a_name_correction_keeps_the_code(office_client, course, on_commit):
    event, certificate = _completed(course)
    code = certificate.code
    url = _url("certificate-reissue", event, registration_pk=certificate.registration_id)
    response = office_client.post(url, {"name": "  "})
    assert response.status_code == 400 and "Skriv navnet" in response.content.decode()
    with on_commit():
        office_client.post(url, {"name": "Anne  Dombås Li"})
    certificate.refresh_from_db()
    assert certificate.name == "Anne Dombås Li" and certificate.code == code
    assert certificate.reissued_at is not None
    pdf = mail.outbox[-1].attachments[0][1]
    assert "Anne Dombås Li" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_staff_of_another_office_get_404(course, other_district_office):
    event, _people = course
    user = factories.make_user("oslo@example.test")
    factories.add_district_office_member(user, other_district_office)
    client = factories.logged_in_client(user)
    assert client.get(_url("course-completion", event)).status_code == 404
    url = reverse("district:course-completion", kwargs={"slug": "oslo", "pk": event.pk})
    assert client.get(url).status_code == 404


# The facilitator registry ------------------------------------------------------------------------


def test_completion_creates_a_pending_facilitator_the_contact_point_confirms(
    course, cp_user, contact_point
):
    event, (anne, bjorn, _cecilie) = course
    _completed(course)
    training = FacilitatorTraining.objects.get(registration=anne)
    assert training.contact_point == contact_point and training.confirmed_at is None
    facilitator = training.facilitator
    assert facilitator.email == "anne@example.test" and facilitator.trained_on is not None
    assert event.title in facilitator.trained_where
    assert not facilitator.contact_points.exists()  # pending until confirmed

    client = factories.logged_in_client(cp_user)
    url = reverse("workspace:course-facilitators", kwargs={"slug": contact_point.slug})
    page = client.get(url).content.decode()
    assert "Venter på at dere bekrefter" in page and "Anne Dombås" in page
    # Bjørn came from no contact point: he is not offered here.
    assert "Bjørn Berg" not in page
    other = FacilitatorTraining.objects.get(registration=bjorn)
    assert client.post(url, {"training": other.pk}).status_code == 404

    assert client.post(url, {"training": training.pk}).status_code == 302
    training.refresh_from_db()
    assert training.confirmed_at is not None
    assert list(facilitator.contact_points.all()) == [contact_point]
    page = client.get(url).content.decode()
    assert "Venter på at dere bekrefter" not in page and event.title in page


def test_a_second_course_updates_the_same_facilitator(course, district_office):
    _completed(course)
    later = make_course(district_office=district_office, title="Påbygningskurs")
    again = _register(later, "ANNE@example.test", "Anne Dombås")
    for session in later.sessions.all():
        courses.course_attendance_set(session=session, marks={again.pk: "present"})
    move_to_past(later, days=1)
    courses.course_complete(event=later)
    assert Facilitator.objects.filter(email__iexact="anne@example.test").count() == 1
    assert "Påbygningskurs" in Facilitator.objects.get(email="anne@example.test").trained_where


def test_district_sees_facilitators_and_invites_to_a_gathering(
    office_client, course, district_office, on_commit
):
    _completed(course)
    gathering = make_event(
        district_office=district_office,
        kind=Event.Kind.EXPERIENCE_GATHERING,
        title="Erfaringssamling for igangsettere",
    )
    url = reverse("district:course-facilitators", kwargs={"slug": "innlandet"})
    page = office_client.get(url).content.decode()
    assert "Anne Dombås" in page and "Bjørn Berg" in page and gathering.title in page
    anne = Facilitator.objects.get(email="anne@example.test")
    response = office_client.post(url, {"facilitator": [anne.pk]})
    assert response.status_code == 400 and "Velg erfaringssamlingen" in response.content.decode()
    with on_commit():
        response = office_client.post(url, {"facilitator": [anne.pk], "event": gathering.pk})
    assert "Invitasjonen er sendt til 1 igangsetter." in response.content.decode()
    invite = mail.outbox[-1]
    assert invite.to == ["anne@example.test"] and gathering.get_absolute_url() in invite.body

    csv_body = office_client.get(
        reverse("district:course-facilitators-csv", kwargs={"slug": "innlandet"})
    )
    assert "anne@example.test" in csv_body.content.decode("utf-8-sig")


@pytest.mark.parametrize("people", [3, 30])
def test_facilitator_list_query_count_is_constant(
    office_client, district_office, django_assert_max_num_queries, people
):
    event = make_course(district_office=district_office)
    regs = [_register(event, f"f{n}@example.test", f"F {n}") for n in range(people)]
    for session in event.sessions.all():
        courses.course_attendance_set(session=session, marks={r.pk: "present" for r in regs})
    move_to_past(event)
    courses.course_complete(event=event)
    url = reverse("district:course-facilitators", kwargs={"slug": "innlandet"})
    with django_assert_max_num_queries(14):
        response = office_client.get(url)
    assert response.content.decode().count('name="facilitator"') == people


def test_facilitator_downloads_own_certificate(course, facilitator_user):
    event, people = course
    people[0].email = facilitator_user.email
    people[0].save()
    _completed(course)
    certificate = Certificate.objects.get(registration=people[0])
    client = factories.logged_in_client(facilitator_user)
    page = client.get(reverse("events:my-certificates")).content.decode()
    assert event.title in page
    response = client.get(reverse("events:my-certificate-pdf", kwargs={"pk": certificate.pk}))
    assert response["Content-Type"] == "application/pdf"
    other = Certificate.objects.get(registration=people[1])
    assert (
        client.get(reverse("events:my-certificate-pdf", kwargs={"pk": other.pk})).status_code == 404
    )


# Figures ---------------------------------------------------------------------------------------


def test_figures_for_the_year(office_client, course, national_admin, district_office):
    event, _people = course
    _completed(course)
    year = event.ends_at.year
    url = reverse("district:course-figures", kwargs={"slug": "innlandet"}) + f"?ar={year}"
    page = office_client.get(url).content.decode()
    assert "I alt: 1 kurs, 3 deltakere, 2 fullført." in page and "<meter" in page
    csv_url = reverse("district:course-figures-csv", kwargs={"slug": "innlandet"}) + f"?ar={year}"
    lines = office_client.get(csv_url).content.decode("utf-8-sig").splitlines()
    assert lines[1] == f"{district_office.name};Frivillige;1;3;2"
    national = factories.logged_in_client(national_admin)
    nurl = reverse("events:national-course-figures", kwargs={"slug": "nasjonalt"}) + f"?ar={year}"
    assert "I alt: 1 kurs, 3 deltakere, 2 fullført." in national.get(nurl).content.decode()
    # Bad year: this year, calmly.
    assert office_client.get(url.replace(f"ar={year}", "ar=abc")).status_code == 200


def test_retention_keeps_the_completed_and_deletes_the_rest(course, settings):
    from events import jobs

    event, certificate = _completed(course)
    settings.EVENT_RETENTION_DAYS = 1
    assert jobs.registrations_anonymise() == 1
    event.refresh_from_db()
    assert (event.count_registered, event.count_attended) == (3, 2)
    # The certificate and the registry rest on the two who completed; Cecilie's data is gone.
    assert sorted(event.registrations.values_list("name", flat=True)) == [
        "Anne Dombås",
        "Bjørn Berg",
    ]
    assert Certificate.objects.filter(pk=certificate.pk).exists()
