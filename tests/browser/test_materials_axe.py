"""axe (WCAG 2.0/2.1 A and AA) on the materials pages: the catalogue, a title page, the order form
(empty and with errors), the status page, the contact point's order pages and the national
admins' fulfilment, order, stock, restock and figures pages; and a keyboard-only order of two
titles."""

from __future__ import annotations

import pytest

from materials import tokens
from materials.models import Order
from tests import factories
from tests.browser.conftest import axe_check, check_page, log_in
from tests.browser.test_journey import press_and_wait, tab_to
from tests.materials.factories import make_material

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from materials.demo import create_demo_materials

    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    create_demo_materials(contact_point)
    return contact_point


def test_the_public_materials_pages_have_no_axe_violations(page, catalogue):
    check_page(page, "/materiell/")
    check_page(page, "/materiell/?malgruppe=relatives&sprak=nb")
    check_page(page, "/materiell/hva-er-en-selvhjelpsgruppe/")
    check_page(page, "/materiell/bestill/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    axe_check(page)
    order = Order.objects.filter(status=Order.Status.RECEIVED).first()
    check_page(page, tokens.order_status_path(order))


def test_the_staff_materials_pages_have_no_axe_violations(page, catalogue):
    admin = factories.make_user("admin@example.test", is_national_admin=True, name="Nina")
    cp_user = factories.make_user("kp@example.test", name="Kari")
    factories.add_contact_point_member(cp_user, catalogue)
    order = Order.objects.filter(status=Order.Status.AWAITING_APPROVAL).first()
    log_in(page, admin.email)
    for path in [
        "/materiell/ekspedering/",
        "/materiell/ekspedering/?status=all",
        f"/materiell/ekspedering/{order.pk}/",
        "/materiell/lager/",
        f"/materiell/lager/{order.lines.first().material_id}/fyll-paa/",
        "/materiell/tall/",
        f"/kontaktpunkt/{catalogue.slug}/materiell/",
        f"/kontaktpunkt/{catalogue.slug}/materiell/bestill/",
    ]:
        check_page(page, path)


def test_keyboard_only_order_of_two_titles(page, transactional_db):
    first = make_material("Hva er en selvhjelpsgruppe", stock=100)
    second = make_material("For pårørende", stock=100)
    page.goto("/materiell/")

    tab_to(page, lambda f: f["href"] == "/materiell/bestill/", "the order link")
    press_and_wait(page, "Enter")
    for material, quantity in ((first, "2"), (second, "3")):
        tab_to(page, lambda f, m=material: f["name"] == f"antall_{m.pk}", material.title)
        page.keyboard.type(quantity)
    for name, value in (
        ("name", "Kari Tastatur"),
        ("street_address", "Storvegen 1"),
        ("postcode", "2660"),
        ("email", "kari.tastatur@example.test"),
    ):
        tab_to(page, lambda f, n=name: f["name"] == n, name)
        page.keyboard.type(value)
    tab_to(page, lambda f: f["name"] == "consent", "the consent box")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "button" and f["inMain"], "the send button")
    press_and_wait(page, "Enter")

    assert "/materiell/bestilling/" in page.url
    order = Order.objects.get()
    assert {(line.material_id, line.quantity) for line in order.lines.all()} == {
        (first.pk, 2),
        (second.pk, 3),
    }
    assert page.locator("h1").inner_text() == f"Bestilling {order.number}"
    axe_check(page)
