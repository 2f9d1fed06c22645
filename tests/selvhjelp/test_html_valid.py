"""The W3C HTML checker (vnu) on pages it once found errors in, without a browser: one Java run
for the lot. The browser tests check every page they open the same way (tests/browser)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests import factories
from tests.browser.conftest import VNU_JAR, check_html
from tests.factories import logged_in_client
from tests.permissions_workspace import make_interest

pytestmark = pytest.mark.django_db


@pytest.fixture
def java() -> str:
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        reason = "the W3C HTML checker is missing (default-jre-headless, `npm install`)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    return java


def test_the_checker_reports_invalid_html(java):
    bad = (
        '<!doctype html><html lang="nb"><title>x</title>'
        '<input name="" autocomplete="street-address">'
    )

    errors = check_html(java, {"bad": ("/bad/", bad)})

    assert any("autocomplete" in error for error in errors), errors
    assert any("name" in error for error in errors), errors
    assert all(error.startswith("/bad/ line") for error in errors)


def test_the_application_form_and_the_interest_list_are_valid_html(
    java, client, cp_user, contact_point
):
    make_interest(contact_point, topic=factories.make_topic(), name="Kanari", phone="912 34 567")
    staff = logged_in_client(cp_user)
    pages = {
        "/bli-kontaktpunkt/": client.get("/bli-kontaktpunkt/"),
        "/bli-kontaktpunkt/ (errors)": client.post("/bli-kontaktpunkt/", {"street_address": ""}),
        "interest list": staff.get(f"/kontaktpunkt/{contact_point.slug}/interesser/"),
    }
    assert all(response.status_code in (200, 400) for response in pages.values())

    errors = check_html(
        java, {url: (url, response.content.decode()) for url, response in pages.items()}
    )

    assert errors == []
