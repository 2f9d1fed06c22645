"""The waiting list: a freed seat becomes a timed offer by email; accept, decline, an offer that
runs out passes on (the job run twice sends nothing twice); staff move people in by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from events import jobs, services
from events.models import Registration
from events.tokens import make_token
from tests.events.conftest import make_event, register

pytestmark = pytest.mark.django_db


def _link(message, text_before: str) -> str:
    match = re.search(re.escape(text_before) + r": (\S+)", message.body)
    return match.group(1).replace("http://testserver", "")


@pytest.fixture
def full_event(contact_point, on_commit):
    with on_commit():
        event = make_event(contact_point=contact_point, capacity=1)
        seat = register(event, "seat@example.test")
        first = register(event, "first@example.test", waiting=True)
        second = register(event, "second@example.test", waiting=True)
    mail.outbox.clear()
    return event, seat, first, second


def _cancel(client, registration, on_commit):
    url = reverse(
        "events:registration-manage", kwargs={"token": make_token(registration, "manage")}
    )
    with on_commit():
        return client.post(url)


def test_a_cancellation_gives_the_next_person_a_timed_offer(client, full_event, on_commit):
    event, seat, first, second = full_event

    response = _cancel(client, seat, on_commit)

    assert "Du er meldt av" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Registration.Status.OFFERED
    expected = timezone.now() + dt.timedelta(hours=48)
    assert abs((first.offer_expires_at - expected).total_seconds()) < 60
    assert [m.to for m in mail.outbox] == [["first@example.test"]]
    assert "En plass er ledig til deg" in mail.outbox[0].subject
    assert Registration.objects.get(pk=second.pk).status == Registration.Status.WAITING


def test_an_offer_never_runs_past_registration_close(client, contact_point, on_commit):
    closes = timezone.now() + dt.timedelta(hours=5)
    event = make_event(contact_point=contact_point, capacity=1, registration_closes_at=closes)
    seat = register(event, "seat@example.test")
    waiting = register(event, "w@example.test", waiting=True)

    _cancel(client, seat, on_commit)

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == closes


def test_accepting_the_offer_confirms_the_seat_with_a_calendar_file(client, full_event, on_commit):
    event, seat, first, second = full_event
    _cancel(client, seat, on_commit)
    accept = _link(mail.outbox[0], "Ja, jeg vil ha plassen")
    mail.outbox.clear()

    assert "Ja, jeg vil ha plassen" in client.get(accept).content.decode()
    with on_commit():
        response = client.post(accept)

    assert "Du har fått plass" in response.content.decode()
    assert Registration.objects.get(pk=first.pk).status == Registration.Status.CONFIRMED
    assert mail.outbox[0].attachments[0][0] == "arrangement.ics"
    # The same link again: a calm answer, nothing changes, nothing is sent.
    with on_commit():
        again = client.post(accept)
    assert "Du har fått plass" in again.content.decode()
    assert len(mail.outbox) == 1


def test_declining_passes_the_seat_on(client, full_event, on_commit):
    event, seat, first, second = full_event
    _cancel(client, seat, on_commit)
    decline = _link(mail.outbox[0], "Nei takk, gi plassen videre")
    mail.outbox.clear()

    with on_commit():
        response = client.post(decline)

    assert "Plassen går videre" in response.content.decode()
    assert Registration.objects.get(pk=first.pk).status == Registration.Status.DECLINED
    assert Registration.objects.get(pk=second.pk).status == Registration.Status.OFFERED
    assert [m.to for m in mail.outbox] == [["second@example.test"]]


def test_an_unanswered_offer_passes_on_and_the_job_twice_sends_nothing_twice(
    client, full_event, on_commit
):
    event, seat, first, second = full_event
    _cancel(client, seat, on_commit)
    accept = _link(mail.outbox[0], "Ja, jeg vil ha plassen")
    mail.outbox.clear()

    with freeze_time(timezone.now() + dt.timedelta(hours=47)), on_commit():
        assert jobs.run_event_jobs()["offers_expired"] == 0
    with freeze_time(timezone.now() + dt.timedelta(hours=49)):
        with on_commit():
            assert jobs.run_event_jobs()["offers_expired"] == 1
        with on_commit():
            assert jobs.run_event_jobs()["offers_expired"] == 0
        # The expired link gets a calm page and changes nothing.
        response = client.post(accept)
        assert "Tilbudet har gått ut" in response.content.decode()

    assert Registration.objects.get(pk=first.pk).status == Registration.Status.EXPIRED
    assert Registration.objects.get(pk=second.pk).status == Registration.Status.OFFERED
    assert [m.to for m in mail.outbox] == [["second@example.test"]]


def test_an_offer_link_used_after_it_ran_out_but_before_the_job_says_so(
    client, full_event, on_commit
):
    event, seat, first, second = full_event
    _cancel(client, seat, on_commit)
    accept = _link(mail.outbox[0], "Ja, jeg vil ha plassen")

    with freeze_time(timezone.now() + dt.timedelta(hours=49)):
        assert "Tilbudet har gått ut" in client.get(accept).content.decode()
        with on_commit():
            response = client.post(accept)

    assert "Tilbudet har gått ut" in response.content.decode()
    assert Registration.objects.get(pk=first.pk).status == Registration.Status.EXPIRED
    assert Registration.objects.get(pk=second.pk).status == Registration.Status.OFFERED


@pytest.mark.parametrize("token", ["tampered", "eyJyIjoiMSJ9:abc:def"])
def test_tampered_links_get_a_calm_page(client, full_event, token):
    for name in ("events:offer-accept", "events:offer-decline", "events:registration-manage"):
        response = client.post(reverse(name, kwargs={"token": token}))
        assert response.status_code == 200
        assert "virker ikke lenger" in response.content.decode()
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_a_manage_link_cannot_be_used_as_an_offer_link(client, full_event, on_commit):
    event, seat, first, second = full_event
    _cancel(client, seat, on_commit)
    wrong = reverse("events:offer-accept", kwargs={"token": make_token(first, "manage")})

    client.post(wrong)

    assert Registration.objects.get(pk=first.pk).status == Registration.Status.OFFERED


def test_people_can_leave_the_waiting_list(client, full_event, on_commit):
    event, seat, first, second = full_event
    page = client.get(
        reverse("events:registration-manage", kwargs={"token": make_token(first, "manage")})
    ).content.decode()
    assert "Ta meg av ventelisten" in page

    _cancel(client, first, on_commit)

    assert Registration.objects.get(pk=first.pk).status == Registration.Status.CANCELLED
    assert not mail.outbox  # no seat was freed


def test_more_capacity_offers_the_new_seats(contact_point, full_event, on_commit):
    event, seat, first, second = full_event
    event.capacity = 3
    sessions = [services.SessionTimes(s.starts_at, s.ends_at) for s in event.sessions.all()]
    with on_commit():
        services.event_save(event=event, sessions=sessions)

    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.test", "second@example.test"]


def test_staff_move_someone_in_by_hand_with_capacity_enforced(full_event, on_commit):
    event, seat, first, second = full_event

    with pytest.raises(services.RegistrationRefused):
        services.registration_move_in(registration=first)
    event.capacity = 2
    event.save()
    with on_commit():
        services.registration_move_in(registration=first)

    assert Registration.objects.get(pk=first.pk).status == Registration.Status.CONFIRMED
    assert mail.outbox[0].to == ["first@example.test"]
