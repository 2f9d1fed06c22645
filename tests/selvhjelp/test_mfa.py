"""Staff log in with a second factor (selvhjelp/mfa.py): an authenticator app, with single-use
recovery codes. Which staff URLs are closed without one is walked in tests/test_permissions.py."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.selvhjelp.test_settings import _production_env, _run

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
SECOND_STEP = "/konto/2fa/authenticate/"
SET_UP = "/konto/2fa/totp/activate/"
RESET = "/konto/password/reset/"
NEW_PASSWORD = "Et-godt-passord-42"


def _log_in_with_password(client, email: str):
    return client.post(LOGIN, {"login": email, "password": factories.PASSWORD})


def _confirm_password(client, password: str = factories.PASSWORD) -> None:
    response = client.post("/konto/reauthenticate/", {"password": password})
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


def test_a_code_cannot_be_used_again_half_a_minute_later(client, cp_user):
    # The code stays valid for the period after its own (MFA_TOTP_TOLERANCE = 1), so the
    # "used" mark must outlive that too: allauth before 65.22.1 let it lapse after 30 s.
    from allauth.mfa import app_settings
    from freezegun import freeze_time

    start = (1_800_000_000 // app_settings.TOTP_PERIOD) * app_settings.TOTP_PERIOD + 1
    with freeze_time(datetime.fromtimestamp(start, UTC)) as frozen:
        code = factories.totp_code()
        _log_in_with_password(client, cp_user.email)
        assert client.post(SECOND_STEP, {"code": code})["Location"] == "/mitt-arbeid/"
        client.logout()

        frozen.tick(31)
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


def _follow_emailed_link(client, user) -> object:
    """What the invitation (or a "Glemt passord" email) does: set a password from the link."""
    link = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    return client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_the_invitation_link_leads_straight_to_setting_up_the_app(client, contact_point):
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    factories.add_contact_point_member(user, contact_point)

    response = _follow_emailed_link(client, user)
    assert response["Location"] == "/mitt-arbeid/"
    assert _is_logged_in(client)
    assert client.get("/mitt-arbeid/")["Location"] == SET_UP

    # Changing how you log in asks for the password again (ASVS 7.5.1).
    assert client.get(SET_UP)["Location"].startswith("/konto/reauthenticate/")
    _confirm_password(client, NEW_PASSWORD)
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert "innlogging i to trinn" in page.content.decode()  # why they are here, in Norwegian
    secret = page.context["form"].secret
    done = client.post(SET_UP, {"code": factories.totp_code(secret)})

    assert done.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(recovery.wrap().get_unused_codes()) == 10
    assert client.get("/mitt-arbeid/").status_code == 200
    assert client.get(f"/kontaktpunkt/{contact_point.slug}/").status_code == 200


def test_a_password_alone_cannot_set_up_an_app(client, contact_point):
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    factories.add_contact_point_member(user, contact_point)

    assert _log_in_with_password(client, user.email)["Location"] == "/mitt-arbeid/"
    sent_away = client.get("/mitt-arbeid/")
    set_up = client.get(SET_UP)
    posted = client.post(SET_UP, {"code": factories.totp_code()})
    codes = client.post("/konto/2fa/recovery-codes/generate/")

    assert sent_away["Location"] == RESET
    assert set_up["Location"] == RESET
    assert posted["Location"] == RESET
    assert codes["Location"] == RESET
    assert not Authenticator.objects.filter(user=user).exists()
    page = client.get(RESET)
    assert "trenger du en lenke fra oss på e-post" in page.content.decode()


def test_a_forgotten_password_email_lets_an_account_without_an_app_set_one_up(
    client, contact_point, django_capture_on_commit_callbacks
):
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)", mail.outbox[0].body)

    page = client.get(link.group(1), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    _confirm_password(client, NEW_PASSWORD)

    assert client.get(SET_UP).status_code == 200


def test_an_invitation_link_does_not_skip_the_code_for_an_account_with_an_app(client, cp_user):
    response = _follow_emailed_link(client, cp_user)

    assert response["Location"] == SECOND_STEP
    assert not _is_logged_in(client)


def test_a_wrong_code_while_setting_up_keeps_the_account_without_an_app(client):
    user = factories.make_user("ny-ansatt@example.test", authenticator_app=False)
    _follow_emailed_link(client, user)
    _confirm_password(client, NEW_PASSWORD)

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
    client.force_login(national_admin)  # with a password alone: sent for an emailed link

    assert client.get("/admin/")["Location"] == RESET


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
