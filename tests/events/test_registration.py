"""Registering without an account: the confirmation with its calendar file, the refusals and bad
input on the event page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from events.models import Event, Registration
from selvhjelp.models import OutgoingEmail
from tests.events.conftest import make_event, register

pytestmark = pytest.mark.django_db


def _data(**overrides) -> dict:
    data = {
        "name": "Kari Nordmann",
        "email": "kari@example.test",
        "phone": "912 34 567",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def do(event, data, ip="203.0.113.7"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("events:event-detail", args=[event.slug]), data, REMOTE_ADDR=ip
            )

    return do


def test_it_registers_and_sends_a_confirmation_with_a_calendar_file(post, event):
    response = post(event, _data())

    assert response.status_code == 200
    assert "Takk, du er påmeldt" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.name, registration.phone) == ("Kari Nordmann", "912 34 567")
    assert registration.consent_version == "arrangement-2026-11"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@example.test"]
    assert "Du er påmeldt: Informasjonsmøte Dombås" in message.subject
    assert "Se eller avmeld påmeldingen din" in message.body
    assert "Storrvegen 5" in message.alternatives[0][0]
    (filename, content, mimetype) = message.attachments[0]
    assert filename == "arrangement.ics"
    assert mimetype.startswith("text/calendar")
    # One charset parameter in the sent part (a charset in the type was sent twice).
    part = next(p for p in message.message().walk() if p.get_content_type() == "text/calendar")
    assert part["Content-Type"].count("charset") == 1
    calendar = Calendar.from_ical(content)
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"{event.uid}@selvhjelp"
    assert vevent["SEQUENCE"] == 0
    assert vevent.decoded("DTSTART") == event.starts_at
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_the_join_link_is_sent_to_registered_people_only(post, contact_point):
    event = make_event(
        contact_point=contact_point,
        format=Event.Format.DIGITAL,
        venue="",
        municipality=None,
        join_url="https://video.example/hemmelig-rom",
    )
    page = post(event, {}).content.decode()  # the page with errors shows the event too
    assert "hemmelig-rom" not in page
    assert "hemmelig-rom" not in str(event.get_absolute_url())

    post(event, _data())

    message = mail.outbox[0]
    assert "https://video.example/hemmelig-rom" in message.body
    assert "hemmelig-rom" in message.attachments[0][1].replace("\r\n ", "")


def test_registering_twice_gives_a_calm_message_and_resends_the_confirmation(post, event):
    post(event, _data())
    response = post(event, _data(email="KARI@example.test", name="Kari N."))

    assert "Du er allerede påmeldt" in response.content.decode()
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["kari@example.test"]


def test_a_full_event_offers_the_waiting_list_and_saves_nothing(post, event):
    register(event, "a@example.test")
    register(event, "b@example.test")

    page = post(event, _data()).content.decode()

    assert "Arrangementet er fullt" in page
    assert "Sett meg på ventelisten" in page
    assert 'value="kari@example.test"' in page  # the input is kept
    assert Registration.objects.filter(email="kari@example.test").count() == 0


def test_a_full_event_puts_people_on_the_waiting_list_when_they_ask(post, event):
    register(event, "a@example.test")
    register(event, "b@example.test")
    mail.outbox.clear()

    response = post(event, _data(waiting_list="on"))

    assert "Du står på ventelisten" in response.content.decode()
    assert Registration.objects.get(email="kari@example.test").status == "waiting"
    assert "Du står på ventelisten" in mail.outbox[0].subject
    assert not mail.outbox[0].attachments


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "Arrangementet er avlyst."),
        ({"registration_closes_at_days": -1}, "Påmeldingen er stengt."),
        ({"registration_opens_at_days": 3}, "Påmeldingen har ikke åpnet ennå."),
    ],
)
def test_it_refuses_cancelled_closed_and_not_yet_open_events(post, event, change, message):
    from django.utils import timezone

    if "status" in change:
        event.status = change["status"]
    if "registration_closes_at_days" in change:
        event.registration_closes_at = timezone.now() + dt.timedelta(days=-1)
    if "registration_opens_at_days" in change:
        event.registration_opens_at = timezone.now() + dt.timedelta(days=3)
    event.save()

    page = post(event, _data()).content.decode()

    assert message in page
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_it_refuses_a_past_event(post, contact_point):
    event = make_event(contact_point=contact_point, starts_in=dt.timedelta(days=-3))

    page = post(event, _data()).content.decode()

    assert "Arrangementet har allerede startet." in page
    assert not Registration.objects.exists()


def test_bad_input_gets_a_message_next_to_the_field_and_keeps_the_rest(post, event):
    response = post(event, _data(email="ikke-en-adresse", consent="", phone="12"))

    page = response.content.decode()
    assert 'id="error_1_id_email"' in page or "Oppgi en gyldig e-postadresse" in page
    assert "Du må samtykke for at vi kan ta imot påmeldingen." in page
    assert "Skriv et telefonnummer med minst åtte sifre" in page
    assert 'value="Kari Nordmann"' in page
    assert not Registration.objects.exists()


def test_the_honeypot_saves_nothing(post, event):
    response = post(event, _data(website="http://spam.example"))

    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_the_rate_limit_stops_a_flood_from_one_address(post, event, settings):
    settings.RATE_LIMIT_INTEREST_PER_IP = 2
    post(event, _data(email="a@example.test"))
    post(event, _data(email="b@example.test"))

    response = post(event, _data(email="c@example.test"))

    assert response.status_code == 429
    assert "mange påmeldinger" in response.content.decode()
    assert Registration.objects.count() == 2


def test_the_event_questions_are_asked_and_stored(post, contact_point):
    event = make_event(
        contact_point=contact_point,
        ask_diet=True,
        question="Hvordan hørte du om møtet?",
    )
    page = post(event, {}).content.decode()
    assert "Hvordan hørte du om møtet?" in page
    assert "Allergier eller hensyn til mat" in page
    assert "Organisasjon" not in page

    post(event, _data(diet="Glutenfri", answer="Fra legen"))

    registration = Registration.objects.get()
    assert (registration.diet, registration.answer) == ("Glutenfri", "Fra legen")
