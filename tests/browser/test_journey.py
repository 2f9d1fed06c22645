"""The whole journey with the keyboard only: find a group, meld interesse, then withdraw it.

No mouse: Tab, Shift+Tab, Enter and Space, and typing into the focused field. Each step
Tabs forward until the wanted element has focus, so the test also proves the element is
reachable by keyboard in a sensible order.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import Resolver404, resolve

from groups.models import Interest
from selvhjelp.models import OutgoingEmail
from tests import factories
from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser

MAX_TABS = 80
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {
    tag: el.tagName.toLowerCase(),
    type: (el.getAttribute('type') || '').toLowerCase(),
    name: el.getAttribute('name') || '',
    href: el.getAttribute('href') || '',
    text: (el.innerText || el.value || '').trim(),
    inMain: !!el.closest('main'),
  };
}"""
URL_RE = re.compile(r"https?://[^\s<>\"']+")


def tab_to(page, wanted, what: str) -> dict:
    """Press Tab until `wanted(focused)` is true; fail with what was visited if never."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and wanted(focused):
            return focused
        seen.append(focused and (focused["tag"], focused["name"] or focused["text"][:40]))
    raise AssertionError(f"Tab never reached {what} on {page.url}; visited: {seen}")


def press_and_wait(page, key: str) -> None:
    """Press a key that should load a new page, and fail clearly if that page is an error."""
    with page.expect_navigation() as navigation:
        page.keyboard.press(key)
    response = navigation.value
    assert response is not None and response.status < 400, (
        f"{key} led to {page.url}: HTTP {response and response.status}"
    )


def withdraw_path_from_receipt(to: str) -> str:
    """The withdraw link from the receipt: the outbox row, else Django's test mailbox."""
    bodies = [e.body_text for e in OutgoingEmail.objects.filter(kind__startswith="interest", to=to)]
    bodies += [m.body for m in mail.outbox if to in m.to]
    assert bodies, f"no receipt email to {to}"
    for body in bodies:
        for link in URL_RE.findall(body):
            parts = urlsplit(link.rstrip(".,)»"))
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
            if match.url_name == "interest-withdraw":
                return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no withdraw link in the receipt(s): {bodies}")


@pytest.fixture
def dombaas_group(transactional_db):
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    return factories.make_group(
        contact_point, name="Sorggruppe Dombås", topics=[factories.make_topic("Sorg")]
    )


def test_keyboard_journey_find_group_meld_interesse_and_withdraw(page, dombaas_group):
    email = "kari.tastatur@example.test"
    group_href = f"/{dombaas_group.slug}/"

    # 1. Front page: Tab to the place field, type a postcode, Enter.
    assert page.goto("/").ok
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "sted", "the place field")
    page.keyboard.type("2660")
    press_and_wait(page, "Enter")
    assert "sted=2660" in page.url, page.url

    # 2. Results: Tab to the group's link inside main, Enter.
    tab_to(
        page,
        lambda f: f["inMain"] and f["tag"] == "a" and group_href in f["href"],
        "the link to the group",
    )
    press_and_wait(page, "Enter")
    assert urlsplit(page.url).path.endswith(group_href), page.url

    # 3. Group page: Tab to "Meld interesse", Enter.
    tab_to(
        page,
        lambda f: (
            f["inMain"]
            and (f["tag"] in ("a", "button"))
            and ("meld-interesse" in f["href"] or re.search(r"meld interesse", f["text"], re.I))
        ),
        "the meld interesse link",
    )
    press_and_wait(page, "Enter")
    assert page.locator("main form[method='post' i]").count() >= 1, page.url

    # 4. The form: name, email, consent (topic and place come from the group), then submit.
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "name", "the name field")
    page.keyboard.type("Kari Tastatur")
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "email", "the email field")
    page.keyboard.type(email)
    tab_to(page, lambda f: f["type"] == "checkbox" and f["name"] == "consent", "consent")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked") is True
    tab_to(
        page,
        lambda f: f["inMain"] and f["type"] == "submit" and f["tag"] in ("button", "input"),
        "the submit button",
    )
    press_and_wait(page, "Enter")

    # 5. Thank-you page.
    assert page.locator("main [aria-invalid='true']").count() == 0, (
        f"the form was not accepted: {page.locator('main').inner_text()[:500]}"
    )
    assert resolve(urlsplit(page.url).path).url_name == "interest-thanks", page.url
    assert Interest.objects.filter(email=email).count() == 1
    interest = Interest.objects.get(email=email)
    assert interest.group_id == dombaas_group.pk
    axe_check(page)

    # 6. The receipt's withdraw link; confirm with the keyboard.
    assert page.goto(withdraw_path_from_receipt(email)).ok
    axe_check(page)
    tab_to(
        page,
        lambda f: f["inMain"] and f["type"] == "submit",
        "the confirm-withdrawal button",
    )
    press_and_wait(page, "Enter")
    axe_check(page)

    # 7. Gone.
    assert Interest.objects.count() == 0
