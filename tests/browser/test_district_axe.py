"""axe (WCAG 2.0/2.1 A and AA) on the district office pages, the approval decision (also in its
error state), the public application form, the confirm page and the workspace group pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from groups.services import confirmation as confirmation_services
from groups.services import interests as interests_services
from selvhjelp.models import DistrictOffice
from tests import factories
from tests.browser.conftest import axe_check, check_page, log_in
from tests.groups.lifecycle_data import approved, submitted

pytestmark = pytest.mark.browser


@pytest.fixture
def data(transactional_db):
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    district_user = factories.make_user("distrikt@example.test", name="Dina Distrikt")
    factories.add_district_office_member(
        district_user, DistrictOffice.objects.get(slug="innlandet")
    )
    cp_user = factories.make_user("kontaktpunkt@example.test", name="Kari Kontakt")
    factories.add_contact_point_member(cp_user, contact_point)
    waiting = submitted(contact_point, name="Sorggruppe Dovre")
    live = approved(contact_point, name="Angstgruppe Dombås", stale_since=timezone.now())
    live.confirmation_requested_at = timezone.now()
    live.save()
    return {
        "district_user": district_user,
        "cp_user": cp_user,
        "waiting": waiting,
        "live": live,
        "token": confirmation_services.group_confirmation_token(live),
    }


def test_district_office_pages_have_no_axe_violations(page, data):
    log_in(page, data["district_user"].email)
    for path in (
        "/distriktskontor/innlandet/",
        "/distriktskontor/innlandet/til-godkjenning/",
        "/distriktskontor/innlandet/trenger-oppfolging/",
        "/distriktskontor/innlandet/grupper/?status=i-gang",
        "/distriktskontor/innlandet/kontaktpunkter/",
        "/distriktskontor/innlandet/kontaktpunkter/nytt/",
        "/distriktskontor/innlandet/soknader/",
        f"/distriktskontor/gruppe/{data['waiting'].pk}/",
    ):
        check_page(page, path)


def test_the_decision_page_in_its_error_state_has_no_axe_violations(page, data):
    log_in(page, data["district_user"].email)
    page.goto(f"/distriktskontor/gruppe/{data['waiting'].pk}/")
    page.check("input[value=send-tilbake]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback, .errorlist").count() >= 1
    axe_check(page)


def test_workspace_group_pages_have_no_axe_violations(page, data):
    log_in(page, data["cp_user"].email)
    live = data["live"].get_workspace_url()  # /kontaktpunkt/<slug>/grupper/<pk>/
    for path in (
        live,
        f"{live}endre/",
        f"{live}status/",
        f"{data['waiting'].get_workspace_url()}send-inn/",
    ):
        response = page.goto(path)
        assert response.status == 200 and path in page.url, path
        axe_check(page)


def test_the_application_form_empty_and_with_errors_has_no_axe_violations(page, data):
    page.goto("/bli-kontaktpunkt/")
    axe_check(page)
    page.fill("input[name=postcode]", "9999")
    page.fill("textarea[name=municipalities]", "Atlantis")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() >= 2
    axe_check(page)


def test_the_confirm_page_has_no_axe_violations(page, data):
    # Opening the link confirms (one click); then the same link has nothing left to confirm.
    page.goto(f"/grupper/bekreft/{data['token']}/")
    assert page.locator("h1").inner_text() == "Takk, gruppen er bekreftet"
    axe_check(page)
    page.goto(f"/grupper/bekreft/{data['token']}/")
    assert page.locator("h1").inner_text() == "Ingenting å bekrefte"
    axe_check(page)
    page.goto("/grupper/bekreft/tampered/")
    axe_check(page)


def test_the_district_interest_list_and_its_pages_have_no_axe_violations(page, data):
    from groups.consent import CURRENT_CONSENT_VERSION
    from selvhjelp.models import Municipality

    # Lesja has no contact point here, so the interest goes to the district office.
    interest = interests_services.interest_register(
        topic=factories.make_topic("Sorg"),
        municipality=Municipality.objects.get(name="Lesja"),
        name="Kari Lesja",
        email="kari.lesja@example.test",
        consent_text_version=CURRENT_CONSENT_VERSION,
    )
    log_in(page, data["district_user"].email)
    base = "/distriktskontor/innlandet/interesser/"
    check_page(page, base)
    check_page(page, base + "?status=aktiv")
    check_page(page, f"{base}{interest.public_id}/")
    check_page(page, f"{base}{interest.public_id}/slett/")
    # The note form in its error state.
    page.goto(f"{base}{interest.public_id}/")
    page.locator("form[action$='/notat/'] button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page)
