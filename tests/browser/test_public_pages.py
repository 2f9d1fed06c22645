"""axe (WCAG 2.0/2.1 A and AA) on every public page, in Norwegian and in English.

Each page is also checked in its awkward states: no results, errors, an invalid POST.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.browser.conftest import assert_focus_visible, axe_check

pytestmark = pytest.mark.browser

LANGS = ["nb", "en"]


def url(lang: str, name: str, query: str = "", **kwargs) -> str:
    """reverse() in the given language: Norwegian has no prefix, English lives under /en/."""
    with translation.override(lang):
        path = reverse(name, kwargs=kwargs or None)
    return f"{path}?{query}" if query else path


@dataclass
class PublicData:
    contact_point: object
    other_contact_point: object
    group: object
    digital_group: object


@pytest.fixture
def public_data(transactional_db) -> PublicData:
    grief = factories.make_topic("Sorg")
    anxiety = factories.make_topic("Angst")
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    other = factories.make_contact_point(
        "LINK Oslo", postcode="0182", host_kind="link", email="link@oslo.example"
    )
    group = factories.make_group(contact_point, name="Sorggruppe Dombås", topics=[grief])
    digital = factories.make_group(
        other, name="Angstgruppe på nett", topics=[anxiety], format="digital"
    )
    return PublicData(contact_point, other, group, digital)


# (id, URL name, query, kwargs from the data)
PAGES = [
    ("group-search-empty", "groups:group-search", "", None),
    ("group-search-results", "groups:group-search", "sted=2660", None),
    # Karasjok: hundreds of kilometres from Dombås and Oslo.
    ("group-search-no-results", "groups:group-search", "sted=9730", None),
    ("group-search-unknown-place", "groups:group-search", "sted=Xyzzy", None),
    ("group-search-bad-distance", "groups:group-search", "sted=2660&avstand=7", None),
    ("group-search-bad-distance-only", "groups:group-search", "avstand=7", None),
    ("contactpoint-search-unknown-place", "contactpoints:contactpoint-search", "sted=Xyzzy", None),
    ("group-detail", "groups:group-detail", "", lambda d: {"slug": d.group.slug}),
    ("group-detail-digital", "groups:group-detail", "", lambda d: {"slug": d.digital_group.slug}),
    ("contactpoint-search-oslo", "contactpoints:contactpoint-search", "sted=Oslo", None),
    ("contactpoint-search-empty", "contactpoints:contactpoint-search", "", None),
    (
        "contactpoint-detail",
        "contactpoints:contactpoint-detail",
        "",
        lambda d: {"slug": d.contact_point.slug},
    ),
    ("interest-create", "groups:interest-create", "", None),
    (
        "interest-create-for-group",
        "groups:interest-create-for-group",
        "",
        lambda d: {"slug": d.group.slug},
    ),
    ("what-is-self-help", "groups:what-is-self-help", "", None),
    ("about-data", "about-data", "", None),
    ("privacy", "privacy", "", None),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("name", "query", "kwargs"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES]
)
def test_public_page_passes_axe(page, public_data, lang, name, query, kwargs):
    path = url(lang, name, query, **(kwargs(public_data) if kwargs else {}))
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: {response.status}"
    assert page.locator("html").get_attribute("lang") == lang
    axe_check(page)


# The states above must really be what their names say, or axe checks the wrong page.


def test_group_search_with_results_lists_the_group(page, public_data):
    page.goto(url("nb", "groups:group-search", "sted=2660"))
    link = page.locator(f"main a[href*='/{public_data.group.slug}/']")
    assert link.count() >= 1, "the Dombås group is missing from the results for 2660"


def test_contactpoint_search_for_oslo_lists_link_oslo(page, public_data):
    page.goto(url("nb", "contactpoints:contactpoint-search", "sted=Oslo"))
    link = page.locator(f"main a[href*='/{public_data.other_contact_point.slug}/']")
    assert link.count() >= 1, "LINK Oslo is missing from the contact points for Oslo"


def test_group_search_far_away_lists_no_local_group(page, public_data):
    page.goto(url("nb", "groups:group-search", "sted=9730"))
    assert page.locator(f"main a[href*='/{public_data.group.slug}/']").count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/grupper/?sted=Xyzzy",
        "/grupper/?sted=2660&avstand=7",
        "/kontaktpunkter/?sted=Xyzzy",
    ],
)
def test_search_error_states_mark_the_field_invalid(page, public_data, path):
    page.goto(path)
    invalid = page.locator("main [aria-invalid='true']")
    assert invalid.count() >= 1, f"{path}: no field is marked aria-invalid"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("groups:interest-create", None), ("groups:interest-create-for-group", "group")],
    ids=["interest-create", "interest-create-for-group"],
)
def test_interest_form_error_state_passes_axe(page, public_data, lang, name, kwargs):
    path = url(lang, name, **({"slug": public_data.group.slug} if kwargs else {}))
    page.goto(path)
    form = page.locator("main form[method='post' i]").first
    # Skip the browser's own required-field bubbles: we want the server's error page.
    form.evaluate("f => { f.noValidate = true; }")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    assert page.locator("html").get_attribute("lang") == lang
    invalid = page.locator("main [aria-invalid='true']")
    assert invalid.count() >= 1, "an empty submission should mark the required fields invalid"
    axe_check(page)


@pytest.mark.parametrize(
    ("name", "query", "kwargs"),
    [
        ("groups:group-search", "sted=2660", None),
        ("groups:group-detail", "", "group"),
        ("contactpoints:contactpoint-search", "sted=Oslo", None),
        ("groups:interest-create", "", None),
    ],
    ids=["group-search", "group-detail", "contactpoint-search", "interest-create"],
)
def test_focus_is_visible_on_every_element(page, public_data, name, query, kwargs):
    page.goto(url("nb", name, query, **({"slug": public_data.group.slug} if kwargs else {})))
    assert_focus_visible(page, max_tabs=120)


@pytest.mark.parametrize(
    ("name", "query", "kwargs"),
    [
        ("home", "", None),
        ("groups:group-search", "sted=2660", None),
        ("groups:group-detail", "", "group"),
        ("contactpoints:contactpoint-search", "sted=Oslo", None),
        ("groups:interest-create", "", None),
    ],
    ids=["home", "group-search", "group-detail", "contactpoint-search", "interest-create"],
)
def test_reflows_at_320_css_px(page, public_data, name, query, kwargs):
    """WCAG 1.4.10: at 320 CSS px nothing needs scrolling sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url("nb", name, query, **({"slug": public_data.group.slug} if kwargs else {})))
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, view: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["view"], widths


# Issue 8, item 12: nothing reaches the tile server until the person asks for the map ------


def test_the_map_loads_only_when_asked_and_passes_axe(page, public_data):
    tile_host = "tile.openstreetmap.org"
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Never reach the real tile server from a test.
    page.route(f"**://{tile_host}/**", lambda route: route.abort())

    page.goto(url("nb", "groups:group-search", "sted=2660"))
    button = page.get_by_role("button", name="Vis kart")
    assert button.is_visible()
    assert page.locator("#results-map").is_hidden()
    assert not [u for u in requests if tile_host in u or "leaflet" in u]
    assert page.get_by_text(f"Kartet hentes fra {tile_host}").is_visible()

    button.click()
    page.locator("#results-map .leaflet-marker-icon").first.wait_for()
    assert page.locator("#results-map .map-origin").count() == 1  # the searched place
    assert any("leaflet" in u for u in requests)
    axe_check(page)


def test_the_group_page_form_error_summary_passes_axe(page, public_data):
    page.goto(url("nb", "groups:group-detail", slug=public_data.group.slug))
    form = page.locator("main form[method='post' i]").first
    form.evaluate("f => { f.noValidate = true; }")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    assert page.title().startswith("Feil: Meld interesse")
    summary = page.locator(".error-summary")
    assert summary.is_visible() and summary.locator("a[href='#id_name']").count() == 1
    axe_check(page)


def test_the_group_search_works_without_javascript(browser, site, public_data):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    try:
        page = context.new_page()
        page.goto(url("nb", "groups:group-search", "sted=2660&avstand=50"))
        assert not page.get_by_role("button", name="Vis kart").is_visible()
        page.locator(f"main a[href*='/{public_data.group.slug}/']").first.click()
        page.get_by_role("link", name="Tilbake til søket").click()
        assert page.url.endswith("/grupper/?sted=2660&avstand=50")
    finally:
        context.close()
