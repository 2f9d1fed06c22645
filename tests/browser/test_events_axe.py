"""axe (WCAG 2.0/2.1 A and AA) on the events pages: the calendar (results, empty, error), the
event page and its registration form (empty, errors, full, waiting list), the cancel page, the
offer page and the staff pages; and a keyboard-only journey that registers and cancels."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.urls import reverse

from events import services
from events.emails import EVALUATION_SALT
from events.models import EvaluationInvitation, EvaluationQuestion, Registration
from events.tokens import make_token
from tests import factories
from tests.browser.conftest import axe_check, check_page, log_in
from tests.browser.test_journey import press_and_wait, tab_to
from tests.events.conftest import ensure_questions, make_event, register

pytestmark = pytest.mark.browser


@pytest.fixture
def data(transactional_db):
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    cp_user = factories.make_user("kontaktpunkt@example.test", name="Kari Kontakt")
    factories.add_contact_point_member(cp_user, contact_point)
    event = make_event(
        contact_point=contact_point,
        title="Informasjonsmøte Dombås",
        capacity=1,
        ask_diet=True,
        question="Hvordan hørte du om møtet?",
    )
    open_event = make_event(contact_point=contact_point, title="Åpent møte", capacity=None)
    seat = register(event, "seat@example.test")
    waiting = register(event, "vent@example.test", waiting=True)
    return {
        "contact_point": contact_point,
        "cp_user": cp_user,
        "event": event,
        "open_event": open_event,
        "seat": seat,
        "waiting": waiting,
    }


def test_the_public_event_pages_have_no_axe_violations(page, data):
    event = data["event"]
    for path in (
        "/arrangementer/",
        "/arrangementer/?sted=2660&avstand=30",
        "/arrangementer/?type=webinar",  # empty
        "/arrangementer/?sted=Atlantis",  # error
        "/arrangementer/?arkiv=1",
        event.get_absolute_url(),  # full: the waiting list is offered
        data["open_event"].get_absolute_url(),
        reverse("events:registration-manage", args=[make_token(data["seat"], "manage")]),
        reverse("events:registration-manage", args=["tampered"]),
        reverse("events:offer-accept", args=["tampered"]),
    ):
        check_page(page, path)

    # The form with errors, and the waiting-list answer.
    page.goto(event.get_absolute_url())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main [aria-invalid='true']").count() >= 1
    axe_check(page)
    page.fill("input[name=name]", "Ola Venter")
    page.fill("input[name=email]", "ola@example.test")
    page.check("input[name=consent]")
    page.check("input[name=waiting_list]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "ventelisten" in page.locator("h1").inner_text()
    axe_check(page)


def test_the_staff_event_pages_have_no_axe_violations(page, data):
    log_in(page, data["cp_user"].email)
    slug, pk = data["contact_point"].slug, data["event"].pk
    session = data["event"].sessions.first().pk
    for path in (
        f"/kontaktpunkt/{slug}/arrangementer/{pk}/oppmote/{session}/",
        f"/kontaktpunkt/{slug}/arrangementer/{pk}/evaluering/",
        f"/kontaktpunkt/{slug}/arrangementer/",
        f"/kontaktpunkt/{slug}/arrangementer/nytt/",
        f"/kontaktpunkt/{slug}/arrangementer/{pk}/",
        f"/kontaktpunkt/{slug}/arrangementer/{pk}/pameldte/",
    ):
        check_page(page, path)
    page.goto(f"/kontaktpunkt/{slug}/arrangementer/nytt/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("main [aria-invalid='true']").count() >= 1
    axe_check(page)


def test_the_evaluation_form_and_results_have_no_axe_violations(page, data):
    event = data["event"]
    ensure_questions(event.kind)
    invitations = [
        EvaluationInvitation.objects.create(event=event, registration=None) for _ in range(4)
    ]
    link = reverse(
        "events:evaluation",
        args=[signing.dumps(str(invitations[0].public_id), salt=EVALUATION_SALT)],
    )
    check_page(page, link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Velg et tall fra 1 til 5." in page.locator("main").inner_text()
    axe_check(page)
    for invitation in invitations[:3]:
        services.evaluation_answer(
            invitation=invitation,
            ratings={
                q.pk: 4 for q in EvaluationQuestion.objects.filter(kind=event.kind, is_active=True)
            },
            comment="Nyttig",
        )
    log_in(page, data["cp_user"].email)
    check_page(
        page, f"/kontaktpunkt/{data['contact_point'].slug}/arrangementer/{event.pk}/evaluering/"
    )
    assert "Snitt" in page.locator("main").inner_text()


def test_keyboard_journey_register_and_cancel(page, data):
    email = "kari.tastatur@example.test"
    event = data["open_event"]

    assert page.goto("/arrangementer/").ok
    tab_to(
        page,
        lambda f: f["inMain"] and f["tag"] == "a" and event.get_absolute_url() in f["href"],
        "the link to the event",
    )
    press_and_wait(page, "Enter")
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "name", "the name field")
    page.keyboard.type("Kari Tastatur")
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "email", "the email field")
    page.keyboard.type(email)
    tab_to(page, lambda f: f["type"] == "checkbox" and f["name"] == "consent", "consent")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["inMain"] and f["type"] == "submit", "the submit button")
    press_and_wait(page, "Enter")
    assert "Takk, du er påmeldt" in page.locator("h1").inner_text()
    registration = Registration.objects.get(email=email)
    assert registration.status == "confirmed"

    body = next(m.body for m in mail.outbox if email in m.to)
    link = next(u for u in re.findall(r"https?://\S+", body) if "/pamelding/" in u)
    assert page.goto(urlsplit(link).path).ok
    tab_to(page, lambda f: f["inMain"] and f["type"] == "submit", "the cancel button")
    press_and_wait(page, "Enter")
    assert "Du er meldt av" in page.locator("h1").inner_text()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
