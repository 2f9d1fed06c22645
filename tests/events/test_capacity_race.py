"""Capacity is never exceeded: 30 people register at once for the last 3 seats, each in a thread
of its own with its own database connection, against PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from events import services
from events.models import Registration
from tests import factories
from tests.events.conftest import make_event, register

THREADS = 30


@pytest.mark.django_db(transaction=True)
def test_thirty_people_racing_for_the_last_three_seats_leave_exactly_three_confirmed():
    contact_point = factories.make_contact_point("Dombås frivilligsentral", postcode="2660")
    event = make_event(contact_point=contact_point, capacity=5)
    register(event, "first@example.test")
    register(event, "second@example.test")

    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(number: int) -> None:
        try:
            barrier.wait()
            services.registration_create(
                event=event,
                data={"name": f"Person {number}", "email": f"p{number}@example.test"},
                consent_version="arrangement-2026-11",
            )
            outcome = "confirmed"
        except services.RegistrationRefused as refused:
            outcome = "full" if refused.full else "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes).count("confirmed") == 3
    assert outcomes.count("full") == THREADS - 3  # the rest are offered the waiting list
    assert Registration.objects.filter(event=event, status="confirmed").count() == 5
