"""Evaluations: the day after the event the people marked present get a link; answers are
anonymous (the answered fact is stored apart); results show from three answers, with the
response rate."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from events import jobs
from events.models import (
    Attendance,
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationQuestion,
    EvaluationResponse,
)
from tests import factories
from tests.events.conftest import make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(contact_point, on_commit, questions):
    """An event two days from now with five people, four of whom came."""
    with on_commit():
        event = make_event(contact_point=contact_point, starts_in=dt.timedelta(days=2))
        people = [register(event, f"p{n}@example.test", name=f"Person {n}") for n in range(5)]
    session = event.sessions.get()
    for registration in people[:4]:
        Attendance.objects.create(registration=registration, session=session)
    mail.outbox.clear()
    return event, people


def _invite(event, on_commit) -> int:
    with freeze_time(event.ends_at + dt.timedelta(days=1, minutes=1)), on_commit():
        return jobs.run_event_jobs()["evaluations"]


def _link(message) -> str:
    return (
        re.search(r"http://\S+/arrangementer/evaluering/\S+/", message.body)
        .group(0)
        .replace("http://testserver", "")
    )


def _answer(client, link, ratings=(4, 5, 3), comment=""):
    questions = EvaluationQuestion.objects.filter(kind="information").order_by("order")
    data = {f"q{q.pk}": str(r) for q, r in zip(questions, ratings, strict=True)}
    return client.post(link, {**data, "comment": comment})


def test_the_present_get_the_evaluation_the_day_after_once(held, on_commit):
    event, people = held
    with freeze_time(event.ends_at + dt.timedelta(hours=12)), on_commit():
        assert jobs.run_event_jobs()["evaluations"] == 0

    assert _invite(event, on_commit) == 4
    assert _invite(event, on_commit) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.test" for n in range(4)]
    assert "Hvordan var" in mail.outbox[0].subject


def test_answers_are_stored_apart_from_who_answered(client, held, on_commit):
    event, people = held
    _invite(event, on_commit)
    link = _link(mail.outbox[0])
    assert "1 er svakest" in client.get(link).content.decode()

    response = _answer(client, link, comment="Fint møte")

    assert "Takk for svaret" in response.content.decode()
    invitation = EvaluationInvitation.objects.get(registration__email=mail.outbox[0].to[0])
    assert invitation.answered
    stored = EvaluationResponse.objects.get()
    assert stored.comment == "Fint møte"
    # Nothing on the answer side points to a person or a time.
    fields = {f.name for f in EvaluationResponse._meta.get_fields()}
    assert fields == {"id", "event", "comment", "answers"}
    assert {f.name for f in EvaluationAnswer._meta.get_fields()} == {
        "id",
        "response",
        "question",
        "rating",
    }
    # A second answer with the same link is refused calmly.
    again = _answer(client, link)
    assert "allerede besvart" in again.content.decode()
    assert EvaluationResponse.objects.count() == 1


def test_bad_input_gets_a_message_next_to_the_question(client, held, on_commit):
    event, people = held
    _invite(event, on_commit)
    link = _link(mail.outbox[0])
    question = EvaluationQuestion.objects.filter(kind="information").first()

    response = client.post(link, {f"q{question.pk}": "9", "comment": "Hei"})

    page = response.content.decode()
    assert "Velg et tall fra 1 til 5." in page
    assert "Hei</textarea>" in page
    assert not EvaluationResponse.objects.exists()


def test_a_tampered_evaluation_link_gets_a_calm_page(client):
    response = client.get(reverse("events:evaluation", args=["tampered"]))
    assert response.status_code == 200
    assert "lenken virker ikke lenger" in response.content.decode()


def test_results_show_from_three_answers_with_the_response_rate(client, held, on_commit, cp_user):
    event, people = held
    _invite(event, on_commit)
    links = [_link(m) for m in mail.outbox]
    staff = factories.logged_in_client(cp_user)
    url = reverse("workspace:event-evaluation", args=[event.contact_point.slug, event.pk])

    _answer(client, links[0], (5, 5, 5), "Svært nyttig")
    _answer(client, links[1], (3, 4, 5))
    page = staff.get(url).content.decode()
    assert "2 av 4 har svart (50 %)" in page
    assert "Svært nyttig" not in page
    assert "Resultatene vises når minst 3 har svart" in page

    _answer(client, links[2], (4, 3, 2))
    page = staff.get(url).content.decode()
    assert "3 av 4 har svart (75 %)" in page
    assert "Snitt: 4,0 av 5" in page or "Snitt: 4.0 av 5" in page
    assert "Svært nyttig" in page


def test_the_invitation_survives_deletion_of_the_registration(held, on_commit):
    event, people = held
    _invite(event, on_commit)
    with freeze_time(timezone.now() + dt.timedelta(days=400)):
        jobs.registrations_anonymise()
    assert EvaluationInvitation.objects.filter(registration__isnull=True).count() == 4
