"""Staff log in with a second factor (selvhjelp/mfa.py): an authenticator app, with single-use
recovery codes. Which staff URLs are closed without one is walked in tests/test_permissions.py."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from tests import factories
from tests.selvhjelp.test_settings import _production_env, _run

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
SECOND_STEP = "/konto/2fa/authenticate/"
SET_UP = "/konto/2fa/totp/activate/"


def _log_in_with_password(client, email: str):
    return client.post(LOGIN, {"login": email, "password": factories.PASSWORD})


def _confirm_password(client) -> None:
    response = client.post("/konto/reauthenticate/", {"password": factories.PASSWORD})
    assert response.status_code == 302, response.content.decode()


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_password_alone_does_not_log_staff_in(client, cp_user):
    response = _log_in_with_password(client, cp_user.email)

    assert response["Location"] == SECOND_STEP
    assert not _is_logged_in(client)
    assert client.get("/mitt-arbeid/")["Location"].startswith(LOGIN)


def test_a_wrong_code_is_refused_in_norwegian(client, cp_user):
    _log_in_with_password(client, cp_user.email)
    wrong = "000000" if factories.totp_code() != "000000" else "111111"

    response = client.post(SECOND_STEP, {"code": wrong})

    assert response.status_code == 200
    assert "Feil kode." in response.content.decode()
    assert not _is_logged_in(client)


def test_a_code_cannot_be_used_twice(client, cp_user):
    code = factories.totp_code()
    _log_in_with_password(client, cp_user.email)
    assert client.post(SECOND_STEP, {"code": code})["Location"] == "/mitt-arbeid/"
    client.logout()

    _log_in_with_password(client, cp_user.email)
    response = client.post(SECOND_STEP, {"code": code})

    assert response.status_code == 200
    assert not _is_logged_in(client)


def test_a_recovery_code_works_once(client, cp_user):
    codes = RecoveryCodes.activate(cp_user).get_unused_codes()
    assert len(codes) == 10

    _log_in_with_password(client, cp_user.email)
    assert client.post(SECOND_STEP, {"code": codes[0]})["Location"] == "/mitt-arbeid/"
    client.logout()
    _log_in_with_password(client, cp_user.email)
    again = client.post(SECOND_STEP, {"code": codes[0]})

    assert again.status_code == 200
    assert not _is_logged_in(client)


def test_staff_without_an_app_set_one_up_and_then_get_in(client, contact_point):
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    factories.add_contact_point_member(user, contact_point)

    response = _log_in_with_password(client, user.email)
    assert response["Location"] == "/mitt-arbeid/"
    sent_away = client.get("/mitt-arbeid/")
    assert sent_away.status_code == 302
    assert sent_away["Location"] == SET_UP

    # Changing how you log in asks for the password again (ASVS 7.5.1).
    assert client.get(SET_UP)["Location"].startswith("/konto/reauthenticate/")
    _confirm_password(client)
    page = client.get(SET_UP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "innlogging i to trinn" in html  # why they are here, in Norwegian
    secret = page.context["form"].secret
    done = client.post(SET_UP, {"code": factories.totp_code(secret)})

    assert done.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(recovery.wrap().get_unused_codes()) == 10
    assert client.get("/mitt-arbeid/").status_code == 200
    assert client.get(f"/kontaktpunkt/{contact_point.slug}/").status_code == 200


def test_a_wrong_code_while_setting_up_keeps_the_account_without_an_app(client):
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    _log_in_with_password(client, user.email)
    _confirm_password(client)

    response = client.post(SET_UP, {"code": "12345"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get("/mitt-arbeid/")["Location"] == SET_UP


def test_the_admin_login_form_cannot_skip_the_second_factor(client, national_admin):
    shown = client.get("/admin/login/?next=/admin/")
    posted = client.post(
        "/admin/login/", {"username": national_admin.email, "password": factories.PASSWORD}
    )

    assert shown.status_code == 302
    assert shown["Location"].startswith(LOGIN)
    assert posted.status_code == 302
    assert posted["Location"].startswith(LOGIN)
    assert not _is_logged_in(client)


def test_the_admin_needs_an_app_too(client, national_admin):
    Authenticator.objects.filter(user=national_admin).delete()
    client.force_login(national_admin)

    assert client.get("/admin/")["Location"] == SET_UP


def test_the_requirement_can_be_turned_off(client, settings, contact_point):
    settings.STAFF_MFA_REQUIRED = False
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    factories.add_contact_point_member(user, contact_point)
    client.force_login(user)

    assert client.get("/mitt-arbeid/").status_code == 200


def test_production_requires_it_by_default():
    script = "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED)"
    production = _run(["shell", "-c", script], **_production_env())
    development = _run(["shell", "-c", script], DEBUG="true")

    assert production.returncode == 0, production.stderr
    assert production.stdout.strip().splitlines()[-1] == "True"
    assert development.stdout.strip().splitlines()[-1] == "False"


def test_the_recovery_codes_page_shows_the_codes(client, cp_user):
    codes = RecoveryCodes.activate(cp_user).get_unused_codes()
    _log_in_with_password(client, cp_user.email)
    client.post(SECOND_STEP, {"code": factories.totp_code()})
    _confirm_password(client)

    response = client.get("/konto/2fa/recovery-codes/")

    assert response.status_code == 200
    html = response.content.decode()
    textarea = html.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    assert all(code in textarea for code in codes)
