"""Browser fixtures: one headless Chromium for the package, a fresh context per test, axe.

Chromium comes from the Debian package (/usr/bin/chromium, or CHROMIUM_PATH); Playwright
never downloads one. Without it the browser tests are skipped locally, but fail when CI is set.
Every test runs against pytest-django's live_server on a transactional database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests (package scope: it is closed after the last one).

    Playwright's sync API runs an event loop in this thread, and Django's ORM then refuses to
    run "from an async context". DJANGO_ALLOW_ASYNC_UNSAFE lifts that, but only while the
    browser is open: set for the whole process, it would leak into subprocesses and fail
    `manage.py check --deploy` (async.E001) in the settings tests.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


# The geography that transactional tests flush is restored by the transactional_db override
# in tests/conftest.py, which applies here too.


@pytest.fixture
def site(transactional_db, live_server):
    """The live server; the test's data must be committed for the server thread to see it."""
    return live_server


@pytest.fixture
def page(browser, site):
    context = browser.new_context(locale="nb-NO", base_url=site.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, email: str, *, check_second_step: bool = False) -> None:
    """Log in through the real forms: email and password, then the authenticator app's code
    (tests.factories gives every user the same app secret)."""
    from tests import factories

    page.goto("/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/konto/2fa/authenticate/" in page.url, "the password step did not work"
    if check_second_step:
        assert page.locator("h1").count() == 1
        axe_check(page)
    page.fill("input[name=code]", factories.totp_code())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/konto/" not in page.url, "the login did not work"


def axe_check(page, context=None) -> None:
    """Fail with axe's report when the page breaks a WCAG 2.0/2.1 A or AA rule."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def check_page(page, path: str) -> None:
    """Open `path`: it answers 200 without a redirect, has one h1 and passes axe."""
    response = page.goto(path)
    assert response.status == 200 and path.split("?")[0] in page.url, path
    assert page.locator("h1").count() == 1, path
    axe_check(page)


_FOCUSED_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    key: el.tagName + ' ' + (el.getAttribute('name') || el.getAttribute('href') || '')
      + ' ' + (el.getAttribute('value') || el.textContent.trim().slice(0, 40)),
    tag: el.tagName,
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
  };
}"""


def assert_focus_visible(page, max_tabs: int = 60) -> list[dict]:
    """Tab through the page; every focused element must draw an outline (WCAG 2.4.7).

    Returns the focused elements in Tab order, for further checks.
    """
    visited: list[dict] = []
    keys: set[str] = set()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        style = page.evaluate(_FOCUSED_STYLE)
        if style is None or style["key"] in keys:  # wrapped around to the start
            break
        keys.add(style["key"])
        visited.append(style)
    hidden = [s for s in visited if s["outlineStyle"] == "none" or s["outlineWidth"] in ("0px", "")]
    assert not hidden, f"{page.url}: focus without a visible outline on {hidden}"
    return visited
