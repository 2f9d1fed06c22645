import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from selvhjelp.models import DistrictOffice, OutgoingEmail, User
from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_log_in_with_their_email_address_and_a_code(client, cp_user):
    response = client.post(
        "/konto/login/", {"login": "kontaktpunkt@example.test", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"

    response = client.post("/konto/2fa/authenticate/", {"code": factories.totp_code()})
    assert response.status_code == 302
    assert response["Location"] == "/mitt-arbeid/"
    assert client.get("/mitt-arbeid/").status_code == 200


def test_a_wrong_password_is_refused_with_a_norwegian_message(client, cp_user):
    response = client.post(
        "/konto/login/", {"login": "kontaktpunkt@example.test", "password": "feil"}
    )
    assert response.status_code == 200
    assert "E-postadressen og/eller passordet du oppgav er feil" in response.content.decode()


def test_an_unverified_address_must_be_verified_first(client, django_capture_on_commit_callbacks):
    user = User.objects.create_user(email="ny@example.test", password=factories.PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/konto/login/", {"login": "ny@example.test", "password": factories.PASSWORD}
        )
    assert response.status_code == 302
    assert "/konto/confirm-email/" in response["Location"]
    assert client.get("/mitt-arbeid/").status_code == 302  # still not logged in
    assert OutgoingEmail.objects.filter(to="ny@example.test").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@example.test"]


def test_password_reset_mail_goes_through_the_outbox(
    client, cp_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/password/reset/", {"email": "kontaktpunkt@example.test"})
    assert response.status_code == 302
    row = OutgoingEmail.objects.get(to="kontaktpunkt@example.test")
    assert row.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/konto/password/reset/key/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body


def test_nobody_can_sign_up_on_their_own(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "fremmed@example.test",
            "password1": "Et-langt-passord-1",
            "password2": "Et-langt-passord-1",
        },
    )
    assert not User.objects.filter(email="fremmed@example.test").exists()
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("national_admin", "Nasjonal administrator"),
        ("district_user", "Distriktskontor"),
        ("cp_user", "Kontaktpunkt"),
        ("facilitator_user", "Igangsetter"),
        ("outsider", "Du har ingen roller ennå"),
    ],
)
def test_the_staff_home_shows_each_role(persona_client, persona, heading):
    response = persona_client(persona).get("/mitt-arbeid/")
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_the_staff_home_is_never_cached(persona_client):
    response = persona_client("outsider").get("/mitt-arbeid/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_national_admins_reach_every_district_office_and_the_audit_log(persona_client):
    html = persona_client("national_admin").get("/mitt-arbeid/").content.decode()

    for office in DistrictOffice.objects.all():
        assert f'href="/distriktskontor/{office.slug}/"' in html
    assert DistrictOffice.objects.count() > 1
    assert 'href="/revisjonslogg/"' in html


def test_district_staff_see_only_their_own_office(persona_client, district_office):
    html = persona_client("district_user").get("/mitt-arbeid/").content.decode()

    linked = set(re.findall(r'href="/distriktskontor/([^/"]+)/"', html))
    assert linked == {district_office.slug}
    assert 'href="/revisjonslogg/"' not in html


def test_everyone_can_find_their_two_step_login_settings(persona_client):
    html = persona_client("facilitator_user").get("/mitt-arbeid/").content.decode()

    assert 'href="/konto/2fa/"' in html
    assert 'href="/konto/password/change/"' in html
