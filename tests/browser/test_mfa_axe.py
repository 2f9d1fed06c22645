"""axe (WCAG 2.0/2.1 A and AA) on the two-step login and on setting up an authenticator app,
walked through in Chromium the way a new staff member does it."""

from __future__ import annotations

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from tests import factories
from tests.browser.conftest import axe_check, log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Et-godt-passord-42"


@pytest.fixture
def new_staff(transactional_db):
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    factories.add_contact_point_member(user, contact_point)
    return user


def _check(page) -> None:
    assert page.locator("h1").count() == 1, page.url
    axe_check(page)


def test_the_code_step_of_the_login_passes_axe(page):
    user = factories.make_user("kontaktpunkt@example.test")

    log_in(page, user.email, check_second_step=True)

    assert page.url.endswith("/mitt-arbeid/")


def test_setting_up_an_authenticator_app_passes_axe(page, new_staff):
    # The invitation's link: set a password, and go straight on to the app.
    link = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(new_staff),
            "key": default_token_generator.make_token(new_staff),
        },
    )
    page.goto(link)
    page.wait_for_load_state()
    _check(page)
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    # Sent from the staff home to confirm the password, then to the set-up page.
    assert "/konto/reauthenticate/" in page.url
    _check(page)
    page.fill("input[name=password]", NEW_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/konto/2fa/totp/activate/" in page.url
    _check(page)

    page.fill("input[name=code]", "000000" if factories.totp_code() != "000000" else "111111")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("input[name=code][aria-invalid=true]").count() == 1
    _check(page)

    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", factories.totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/konto/2fa/recovery-codes/" in page.url
    _check(page)

    assert page.goto("/mitt-arbeid/").status == 200
    assert page.url.endswith("/mitt-arbeid/")
