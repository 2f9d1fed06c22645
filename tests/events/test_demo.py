"""The demo events: a spread that makes every page show something, safe to run twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.models import Event, Registration


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())


def test_the_demo_has_upcoming_past_full_and_varied_events(demo, client):
    events = Event.objects.published()
    assert events.upcoming().count() >= 5
    assert events.past().exists()
    assert {e.format for e in events} == {"physical", "digital", "hybrid"}
    assert events.filter(contact_point__isnull=False).exists()
    assert events.filter(district_office__isnull=False).exists()
    assert events.filter(contact_point__isnull=True, district_office__isnull=True).exists()
    full = Event.objects.get(slug="infomote-dombas")
    assert full.registrations.holding_seat().count() == full.capacity
    assert full.registrations.waiting().exists()
    page = client.get(reverse("events:event-list"), {"sted": "dombaas", "avstand": "30"})
    assert "Informasjonsmøte om selvhjelp på Dombås" in page.content.decode()


def test_the_demo_runs_twice_without_duplicates(demo, settings):
    before = (Event.objects.count(), Registration.objects.count())
    call_command("demo_data", stdout=io.StringIO())
    assert (Event.objects.count(), Registration.objects.count()) == before


def test_the_demo_has_past_courses_with_certificates_and_an_upcoming_one(demo):
    from events.models import Certificate, CourseCompletion, FacilitatorTraining

    courses = Event.objects.filter(kind=Event.Kind.COURSE)
    assert courses.past().count() >= 2 and courses.upcoming().exists()
    assert CourseCompletion.objects.filter(completed=False).exists()  # one missed a day
    assert Certificate.objects.count() == CourseCompletion.objects.filter(completed=True).count()
    assert FacilitatorTraining.objects.filter(
        contact_point__slug="dombas-frivilligsentral"
    ).exists()
    before = Certificate.objects.count()
    call_command("demo_data", stdout=io.StringIO())
    assert Certificate.objects.count() == before
