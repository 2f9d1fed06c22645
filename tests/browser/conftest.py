"""Browser fixtures: one headless Chromium for the package, a fresh context per test, axe, and
the W3C HTML checker over every page the tests open.

Chromium comes from the Debian package (/usr/bin/chromium, or CHROMIUM_PATH); Playwright
never downloads one. Without it the browser tests are skipped locally, but fail when CI is set.
The HTML checker (vnu) is the npm package vnu-jar (`npm install`) run by a Java runtime
(`apt-get install default-jre-headless`); without them the check is skipped locally and fails
when CI is set. Every test runs against pytest-django's live_server on a transactional database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
)
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


@pytest.fixture(scope="package")
def html_pages():
    """The HTML of every page the browser tests open, checked at the end by the W3C HTML checker
    in one Java run (a JVM per page would cost a second each)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        reason = (
            "the W3C HTML checker is missing: `apt-get install default-jre-headless` and "
            "`npm install` (vnu-jar)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        yield None  # locally: the browser tests run, the HTML check is skipped
        return
    pages: dict[str, tuple[str, str]] = {}  # sha256 of the HTML -> (url, html)
    yield pages
    errors = check_html(java, pages)
    if errors:
        pytest.fail("The W3C HTML checker found errors:\n" + "\n".join(errors), pytrace=False)


def check_html(java: str, pages: dict[str, tuple[str, str]]) -> list[str]:
    """Run vnu once over all collected pages; one line per error, naming the page's URL."""
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        urls = {}
        for number, (url, html) in enumerate(pages.values()):
            path = Path(folder) / f"page-{number:04d}.html"
            path.write_text(html, encoding="utf-8")
            urls[path.name] = url
        result = subprocess.run(  # noqa: S603 (our own arguments)
            [
                java,
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                "--stdout",
                "--exit-zero-always",
                *sorted(str(p) for p in Path(folder).iterdir()),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    report = json.loads(result.stdout)
    return [
        f"{urls.get(m['url'].rsplit('/', 1)[-1], m['url'])} line {m.get('lastLine', '?')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in report["messages"]
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def _collect_html(pages: dict[str, tuple[str, str]], response) -> None:
    """Keep the HTML the server sent for a page (not the DOM after scripts ran)."""
    if response.request.resource_type != "document" or not 200 <= response.status < 600:
        return
    if 300 <= response.status < 400 or "text/html" not in response.headers.get("content-type", ""):
        return
    try:
        html = response.text()
    except Exception:  # noqa: BLE001 (the page was left or closed before the body was read)
        return
    pages.setdefault(hashlib.sha256(html.encode()).hexdigest(), (response.url, html))


@pytest.fixture
def page(browser, site, html_pages):
    context = browser.new_context(locale="nb-NO", base_url=site.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    if html_pages is not None:
        page.on("response", lambda response: _collect_html(html_pages, response))
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
