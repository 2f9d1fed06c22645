"""axe (WCAG 2.0/2.1 A and AA) on the contact point workspace: home, interest list (empty and
filled), interest detail (also after an edit conflict), the add-interest form in its error
state, facilitator and profile forms, the plan-a-group form and the "group starts" preview."""

from __future__ import annotations

import pytest
from django.utils import timezone

from contactpoints.models import Facilitator
from groups.models import Group
from groups.services import approval as approval_services
from groups.services import interests as interests_services
from groups.services import planning as planning_services
from tests import factories
from tests.browser.conftest import axe_check, check_page, log_in
from tests.groups.lifecycle_data import approved, ready_draft, submitted
from tests.permissions_workspace import make_interest

pytestmark = pytest.mark.browser

BASE = "/kontaktpunkt/dombas-frivilligsentral"


@pytest.fixture
def data(transactional_db):
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    cp_user = factories.make_user("kontaktpunkt@example.test", name="Kari Kontakt")
    factories.add_contact_point_member(cp_user, contact_point)
    return {"contact_point": contact_point, "cp_user": cp_user, "topic": factories.make_topic()}


@pytest.fixture
def filled(data):
    contact_point, topic = data["contact_point"], data["topic"]
    interests = [
        make_interest(contact_point, topic=topic, name=f"Kanari {n}", phone="912 34 567")
        for n in range(4)
    ]
    facilitator = Facilitator.objects.create(name="Fia Fasilitator", email="fia@example.test")
    facilitator.contact_points.add(contact_point)
    group = planning_services.group_plan(
        contact_point=contact_point,
        actor=data["cp_user"],
        name="Sorggruppe Dombås",
        topics=[topic],
        interests=interests[:2],
        facilitators=[facilitator],
        municipality=contact_point.municipality,
        public_area="Dombås sentrum",
        venue_address="Hemmeligveien 1",
        starts_on=timezone.localdate(),
        weekday=2,
    )
    interests_services.interest_note_add(
        interest=interests[2], author=data["cp_user"], text="Ringt, ringer tilbake fredag"
    )
    return {**data, "interest": interests[2], "group": group, "facilitator": facilitator}


def test_the_empty_workspace_has_no_axe_violations(page, data):
    log_in(page, data["cp_user"].email)
    for path in (
        f"{BASE}/",
        f"{BASE}/interesser/",
        f"{BASE}/igangsettere/",
        f"{BASE}/igangsettere/ny/",
        f"{BASE}/profil/",
        f"{BASE}/grupper/",
        f"{BASE}/grupper/ny/",
        f"{BASE}/personer/",
    ):
        check_page(page, path)


def test_the_filled_workspace_has_no_axe_violations(page, filled):
    log_in(page, filled["cp_user"].email)
    interest = filled["interest"]
    for path in (
        f"{BASE}/",
        f"{BASE}/interesser/",
        f"{BASE}/interesser/?status=aktiv&alder=30",
        f"{BASE}/interesser/{interest.public_id}/",
        f"{BASE}/interesser/{interest.public_id}/slett/",
        f"{BASE}/grupper/",
        filled["group"].get_workspace_url(),
        f"{BASE}/grupper/ny/?interesse={interest.public_id}",
        f"{BASE}/grupper/{filled['group'].pk}/oppstart/",
        f"{BASE}/igangsettere/",
        f"{BASE}/igangsettere/{filled['facilitator'].pk}/",
        f"{BASE}/igangsettere/{filled['facilitator'].pk}/fjern/",
    ):
        check_page(page, path)


def test_the_forms_in_their_error_states_have_no_axe_violations(page, filled):
    log_in(page, filled["cp_user"].email)

    page.goto(f"{BASE}/interesser/ny/")
    page.fill("input[name=name]", "Kanari")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() >= 3
    axe_check(page)

    for path in (f"{BASE}/igangsettere/ny/", f"{BASE}/grupper/ny/"):
        page.goto(path)
        page.locator("main form[method=post] button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".invalid-feedback").count() >= 1, path
        axe_check(page)

    page.goto(f"{BASE}/personer/")
    page.fill("input[name=phone]", "91234567")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("table").count() == 1
    axe_check(page)

    page.goto(f"{BASE}/profil/")
    page.fill("input[name=website]", "ikke en adresse")
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() == 1
    axe_check(page)


def test_the_groups_tab_with_a_group_in_every_stage_has_no_axe_violations(page, filled):
    """Every stage's section, the sent-back comment and the actions, as the staff see them."""
    contact_point, cp_user = filled["contact_point"], filled["cp_user"]
    admin = factories.make_user("admin@example.test", is_national_admin=True)
    waiting = filled["group"]
    Group.objects.filter(pk=waiting.pk).update(description="For deg som har mistet noen.")
    approval_services.group_submit(group=waiting, actor=cp_user)
    for name, decision in (("Tilbake", "send_back"), ("Godkjent", "approve")):
        group = submitted(contact_point, name=name, slug=name.lower())
        if decision == "send_back":
            approval_services.group_send_back(group=group, actor=admin, comment="Skriv litt mer.")
        else:
            approval_services.group_approve(group=group, actor=admin)
    ready_draft(contact_point, name="Utkast", slug="utkast")
    approved(contact_point, name="Skjult", slug="skjult", stale_since=timezone.now())
    approved(contact_point, name="Slutt", slug="slutt", status="avsluttet")
    log_in(page, cp_user.email)
    check_page(page, f"{BASE}/grupper/")
    assert page.locator("main section h2").count() == 6
    check_page(page, waiting.get_workspace_url())
    check_page(page, f"{BASE}/grupper/{waiting.pk}/oppstart/")


def test_the_edit_conflict_message_has_no_axe_violations(page, filled):
    log_in(page, filled["cp_user"].email)
    interest = filled["interest"]
    page.goto(f"{BASE}/interesser/{interest.public_id}/")
    # Someone else saves meanwhile.
    interests_services.interest_update(
        interest=interest, version=interest.version, actor=filled["cp_user"], status="kontaktet"
    )
    page.select_option("select[name=status]", "trukket")
    page.get_by_role("button", name="Endre status").click()
    page.wait_for_load_state()
    assert page.get_by_text("Noen andre har endret denne interessemeldingen").count() == 1
    axe_check(page)
