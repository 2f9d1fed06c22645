"""axe on the facilitator course pages: the course page with its registration form,
attendance, completion (with an error), the verify page (valid, revoked, unknown), the figures,
the registry pages of the district office and the contact point."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events import courses
from events.models import Certificate
from tests import factories
from tests.browser.conftest import axe_check, check_page, log_in
from tests.events.conftest import make_course, move_to_past

pytestmark = pytest.mark.browser


@pytest.fixture
def data(transactional_db):
    from events import services
    from selvhjelp.models import DistrictOffice

    office = DistrictOffice.objects.get(slug="innlandet")
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    district_user = factories.make_user("distrikt@example.test", name="Dina Distrikt")
    factories.add_district_office_member(district_user, office)
    cp_user = factories.make_user("kontaktpunkt@example.test", name="Kari Kontakt")
    factories.add_contact_point_member(cp_user, contact_point)
    upcoming = make_course(district_office=office, title="Igangsetterkurs Hamar")
    course = make_course(district_office=office, title="Igangsetterkurs Lillehammer")
    people = [
        services.registration_create(
            event=course,
            data={"name": name, "email": email, "from_contact_point": cp},
            consent_version="x",
        )[0]
        for name, email, cp in (
            ("Anne Dombås", "anne@example.test", contact_point),
            ("Bjørn Berg", "bjorn@example.test", None),
            ("Cecilie Borte", "cecilie@example.test", None),
        )
    ]
    for session in course.sessions.all():
        courses.course_attendance_set(session=session, marks={p.pk: "present" for p in people[:2]})
    move_to_past(course)
    courses.course_complete(event=course)
    return {
        "course": course,
        "upcoming": upcoming,
        "people": people,
        "district_user": district_user,
        "cp_user": cp_user,
        "contact_point": contact_point,
        "valid": Certificate.objects.get(registration=people[0]),
        "revoked": courses.certificate_revoke(
            certificate=Certificate.objects.get(registration=people[1]), actor=None
        ),
    }


def test_public_course_and_verify_pages_have_no_axe_violations(page, data):
    check_page(page, data["upcoming"].get_absolute_url())
    for certificate in (data["valid"], data["revoked"]):
        check_page(page, reverse("certificates:certificate-verify", args=[certificate.code]))
    response = page.goto(reverse("certificates:certificate-verify", args=["x" * 32]))
    assert response.status == 404
    assert page.locator("h1").count() == 1
    axe_check(page)


def test_staff_course_pages_have_no_axe_violations(page, data):
    course = data["course"]
    log_in(page, data["district_user"].email)
    kw = {"slug": "innlandet", "pk": course.pk}
    session = course.sessions.first()
    for path in (
        reverse("district:event-attendance", kwargs={**kw, "session_pk": session.pk}),
        reverse("district:course-completion", kwargs=kw),
        reverse("district:course-figures", kwargs={"slug": "innlandet"}),
        reverse("district:course-facilitators", kwargs={"slug": "innlandet"}),
    ):
        check_page(page, path)
    # Completion against the rule without a reason: the message next to the field.
    page.goto(reverse("district:course-completion", kwargs=kw))
    cecilie = data["people"][2]
    page.select_option(f"#decision-{cecilie.pk}", "yes")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("main [aria-invalid='true']").count() == 1
    axe_check(page)


def test_workspace_facilitator_page_has_no_axe_violations(page, data):
    log_in(page, data["cp_user"].email)
    check_page(
        page,
        reverse("workspace:course-facilitators", kwargs={"slug": data["contact_point"].slug}),
    )
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "Anne Dombås" in page.locator("table").inner_text()
    axe_check(page)
