"""axe on the page a damaged link gets (a control character in a query parameter: 400)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "prefix"), [("nb", ""), ("en", "/en")])
def test_the_damaged_link_page_passes_axe(page, transactional_db, lang, prefix):
    response = page.goto(f"{prefix}/grupper/meld-interesse/?tema=%00")

    assert response is not None and response.status == 400
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    axe_check(page)
