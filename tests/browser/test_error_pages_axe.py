"""axe on the error pages (404, 403, 500), in Norwegian and in English."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["nb", "en"])
@pytest.mark.parametrize(
    ("path", "status"),
    [("/finnes-ikke/", 404), ("/test-403/", 403), ("/test-500/", 500)],
    ids=["404", "403", "500"],
)
def test_error_page_passes_axe(page, settings, prefix, path, status):
    settings.ROOT_URLCONF = "tests.selvhjelp.error_urls"  # adds views that refuse and crash

    response = page.goto(prefix + path)

    assert response.status == status
    assert page.locator("h1").count() == 1
    assert "116 123" in page.locator("main").inner_text()
    axe_check(page)
