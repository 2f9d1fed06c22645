"""New contact points: the public application, the district office's decision, and contact
points a district office creates directly."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from contactpoints.models import ContactPoint, ContactPointApplication, ContactPointMembership
from selvhjelp.models import User
from tests.factories import application_data, logged_in_client

pytestmark = pytest.mark.django_db

APPLY_URL = "/bli-kontaktpunkt/"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def do(client, url, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, REMOTE_ADDR="203.0.113.9", **extra)

    return do


@pytest.fixture
def application(send, district_user):
    send(Client(), APPLY_URL, application_data())
    mail.outbox.clear()
    return ContactPointApplication.objects.get()


def _review(application) -> str:
    return reverse("district:application-review", kwargs={"pk": application.pk})


# The public form -----------------------------------------------------------------------------


def test_the_form_is_accessible_without_javascript(client):
    html = client.get(APPLY_URL).content.decode()
    assert html.count("<h1") == 1
    assert "<legend" in html  # the organisation kind is a fieldset of radio buttons
    assert 'name="municipalities"' in html and "<textarea" in html
    assert 'autocomplete="organization"' in html and 'class="mb-3 hp-field"' in html
    assert "<script" not in html.split("<main")[1] and "style=" not in html


def test_an_application_is_saved_and_the_district_office_is_told(send, district_user):
    response = send(Client(), APPLY_URL, application_data())
    assert response.status_code == 302 and response["Location"].endswith("/bli-kontaktpunkt/takk/")
    application = ContactPointApplication.objects.get()
    assert application.status == ContactPointApplication.Status.PENDING
    assert sorted(m.name for m in application.municipalities.all()) == ["Dovre", "Lesja"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [district_user.email]
    assert message.subject == "Ny søknad om å bli kontaktpunkt: Lesja frivilligsentral"
    assert "har søkt om å bli kontaktpunkt" in message.body
    assert _review(application) in message.alternatives[0][0]
    assert "sara@example.test" not in message.body  # the office reads it behind a login


def test_municipality_numbers_are_accepted(send):
    send(Client(), APPLY_URL, application_data(municipalities="3431"))
    assert [m.name for m in ContactPointApplication.objects.get().municipalities.all()] == ["Dovre"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "9999", "Vi finner ikke postnummeret «9999»"),
        ("municipalities", "Dovre, Atlantis", "Vi finner ikke disse kommunene: Atlantis"),
        ("municipalities", "", "Skriv minst én kommune dere vil dekke."),
        ("contact_email", "sara@", "Skriv en gyldig e-postadresse"),
        ("organisation", "", "Skriv navnet på organisasjonen."),
        ("contact_phone", "12", "Skriv et telefonnummer med minst åtte sifre"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(send, field, value, message):
    response = send(Client(), APPLY_URL, application_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="error_1_id_{field}"' in html  # crispy puts the error next to the field
    assert 'value="Storgata 1"' in html  # the rest of the input is kept
    assert not ContactPointApplication.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_saves_nothing(send):
    response = send(Client(), APPLY_URL, application_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not ContactPointApplication.objects.exists()


def test_too_many_applications_from_one_address_are_refused(send, settings):
    for n in range(5):
        send(Client(), APPLY_URL, application_data(organisation=f"Org {n}"))
    response = send(Client(), APPLY_URL, application_data(organisation="Org 6"))
    assert response.status_code == 429
    assert "Vent en time" in response.content.decode()
    assert ContactPointApplication.objects.count() == 5


# Decisions -----------------------------------------------------------------------------------


def test_approving_creates_the_contact_point_and_invites_its_first_staff(
    send, application, district_user
):
    response = send(logged_in_client(district_user), _review(application), {"godkjenn": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ContactPointApplication.Status.APPROVED
    assert application.decided_by == district_user
    contact_point = application.contact_point
    assert contact_point.name == "Lesja frivilligsentral"
    assert contact_point.municipality.name == "Dovre"
    assert sorted(m.name for m in contact_point.municipalities_served.all()) == ["Dovre", "Lesja"]
    user = User.objects.get(email="sara@example.test")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert ContactPointMembership.objects.filter(user=user, contact_point=contact_point).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sara@example.test"]
    assert message.subject == "Velkommen som kontaktpunkt: Lesja frivilligsentral"
    assert "Lag passord" in message.alternatives[0][0]
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)", message.body)
    assert link, message.body

    # The link lets her set a password and log in.
    client = Client()
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
    response = client.post(
        form_url, {"password1": "Et-godt-passord-42", "password2": "Et-godt-passord-42"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Et-godt-passord-42")


def test_declining_needs_a_reason_and_emails_it_to_the_applicant(send, application, district_user):
    client = logged_in_client(district_user)
    response = send(client, _review(application), {"avslaa": "1", "reason": ""})
    assert response.status_code == 400
    assert "Skriv en begrunnelse" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ContactPointApplication.Status.PENDING

    send(client, _review(application), {"avslaa": "1", "reason": "Dere ligger utenfor området."})
    application.refresh_from_db()
    assert application.status == ContactPointApplication.Status.DECLINED
    assert not ContactPoint.objects.filter(name="Lesja frivilligsentral").exists()
    message = mail.outbox[0]
    assert message.to == ["sara@example.test"]
    assert message.subject == "Svar på søknaden om å bli kontaktpunkt"
    assert "Dere ligger utenfor området." in message.body
    assert "Dere ligger utenfor området." in message.alternatives[0][0]


def test_an_application_decided_twice_says_so(send, application, district_user):
    client = logged_in_client(district_user)
    send(client, _review(application), {"godkjenn": "1"})
    response = send(client, _review(application), {"godkjenn": "1"}, follow=True)
    assert "Søknaden er allerede behandlet" in response.content.decode()
    assert ContactPoint.objects.filter(name="Lesja frivilligsentral").count() == 1


def test_another_district_office_cannot_see_the_application(
    send, application, other_district_office
):
    from tests import factories

    oslo_user = factories.make_user("oslo-kontor@example.test")
    factories.add_district_office_member(oslo_user, other_district_office)
    client = logged_in_client(oslo_user)
    assert client.get(_review(application)).status_code == 404
    assert send(client, _review(application), {"godkjenn": "1"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ContactPointApplication.Status.PENDING


def test_pending_applications_are_listed_for_the_office(application, district_user):
    url = reverse("district:application-list", kwargs={"slug": "innlandet"})
    assert "Lesja frivilligsentral" in logged_in_client(district_user).get(url).content.decode()


# Created directly ----------------------------------------------------------------------------


def test_a_district_office_creates_a_contact_point_directly(send, district_user):
    url = reverse("district:contactpoint-create", kwargs={"slug": "innlandet"})
    response = send(
        logged_in_client(district_user),
        url,
        {
            "name": "Lesja helsestasjon",
            "host_kind": "kommunal",
            "postcode": "2665",
            "municipalities": "Lesja",
            "staff_name": "Hege Helse",
            "staff_email": "hege@example.test",
        },
    )
    assert response.status_code == 302
    contact_point = ContactPoint.objects.get(name="Lesja helsestasjon")
    assert contact_point.memberships.get().user.email == "hege@example.test"
    assert mail.outbox[0].to == ["hege@example.test"]


def test_a_district_office_cannot_create_a_contact_point_outside_its_counties(district_user):
    url = reverse("district:contactpoint-create", kwargs={"slug": "innlandet"})
    response = logged_in_client(district_user).post(
        url,
        {"name": "Oslo-punkt", "host_kind": "link", "postcode": "0182", "municipalities": "Oslo"},
    )
    assert response.status_code == 200
    assert "utenfor fylkene" in response.content.decode()
    assert not ContactPoint.objects.filter(name="Oslo-punkt").exists()
