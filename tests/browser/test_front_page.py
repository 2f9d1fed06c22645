"""The front page in a real browser: language, skip link, focus, the error state, and axe."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_focus_visible, axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "lang"), [("/", "nb"), ("/en/", "en")])
def test_front_page_language_and_axe(page, path, lang):
    response = page.goto(path)
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    axe_check(page)


def test_skip_link_is_first_focusable_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => ({cls: document.activeElement.className,"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert "skip-link" in first["cls"], first
    assert first["href"] == "#main"
    expect(page.locator(".skip-link")).to_be_in_viewport()

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab continues inside main, not back at the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def test_focus_is_visible(page):
    """WCAG 2.4.7: every element reached with Tab shows an outline (not just a colour change)."""
    page.goto("/")
    visited = assert_focus_visible(page)
    assert visited[0]["tag"] == "A" and "#main" in visited[0]["key"], visited[0]  # skip link
    assert any(s["tag"] == "INPUT" for s in visited), visited
    assert any(s["tag"] == "BUTTON" for s in visited), visited


def test_unknown_place_shows_error_next_to_field(page):
    page.goto("/")
    field = page.get_by_label("Postnummer eller sted")
    field.fill("Xyzzy")
    with page.expect_navigation():
        field.press("Enter")

    assert urlsplit(page.url).path == "/", page.url  # stays on the front page
    assert re.search(r"[?&]sted=Xyzzy", page.url), page.url
    field = page.get_by_label("Postnummer eller sted")
    expect(field).to_have_value("Xyzzy")
    expect(field).to_have_attribute("aria-invalid", "true")
    error = page.get_by_text(re.compile(r"Vi finner ikke «Xyzzy»"))
    expect(error).to_be_visible()
    # "Next to the field": the message sits in the field's own wrapper, and the input is
    # described by it, so a screen reader reads it together with the field.
    wrapper = page.locator("form div", has=field).last
    expect(wrapper.get_by_text(re.compile(r"Vi finner ikke «Xyzzy»"))).to_be_visible()
    described_by = (field.get_attribute("aria-describedby") or "").split()
    described_text = " ".join(page.locator(f"[id='{i}']").inner_text() for i in described_by)
    assert "Vi finner ikke «Xyzzy»" in described_text, (described_by, described_text)
    axe_check(page)


@pytest.mark.parametrize("path", ["/konto/login/", "/en/konto/login/"])
def test_login_page_passes_axe(page, path):
    response = page.goto(path)
    assert response.status == 200
    axe_check(page)
