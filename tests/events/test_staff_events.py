"""Staff create and edit their own events in their area; scope holds for what they create;
changes of time, place or link send the new calendar file; cancelling sends METHOD:CANCEL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.models import Event
from selvhjelp.models import Municipality
from tests import factories
from tests.events.conftest import make_event, register

pytestmark = pytest.mark.django_db


def _day(days: int = 20) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _data(municipality: str = "3431", **overrides) -> dict:
    data = {
        "title": "Informasjonsmøte om selvhjelp",
        "kind": "information",
        "audience": "public",
        "description": "Kom og hør hvordan en selvhjelpsgruppe virker.",
        "follow_up_text": "Meld interesse for en gruppe.",
        "format": "physical",
        "venue": "Storrvegen 5",
        "municipality": municipality,
        "capacity": "20",
        "status": "published",
        "reminder_days_text": "7, 1",
        "okt-TOTAL_FORMS": "2",
        "okt-INITIAL_FORMS": "0",
        "okt-MIN_NUM_FORMS": "1",
        "okt-MAX_NUM_FORMS": "10",
        "okt-0-date": _day(),
        "okt-0-start": "18:00",
        "okt-0-end": "20:00",
        "okt-1-date": "",
        "okt-1-start": "",
        "okt-1-end": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def cp_client(cp_user):
    return factories.logged_in_client(cp_user)


@pytest.fixture
def dovre() -> Municipality:
    return Municipality.objects.get(name="Dovre")


def test_contact_point_staff_publish_an_event_in_their_workspace(cp_client, contact_point, dovre):
    url = reverse("workspace:event-create", args=[contact_point.slug])
    assert cp_client.get(url).status_code == 200

    response = cp_client.post(url, _data(municipality=dovre.number))

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.contact_point == contact_point
    assert event.district_office is None
    assert event.municipality == dovre
    assert event.reminder_days == [7, 1]
    assert event.sessions.count() == 1
    assert event.starts_at.astimezone(timezone.get_current_timezone()).hour == 18
    assert event in Event.objects.published().upcoming()


def test_a_two_day_conference_is_one_event_with_two_sessions(cp_client, contact_point, dovre):
    url = reverse("workspace:event-create", args=[contact_point.slug])
    data = _data(
        municipality=dovre.number,
        kind="conference",
        **{"okt-1-date": _day(21), "okt-1-start": "09:00", "okt-1-end": "15:00"},
    )

    cp_client.post(url, data)

    event = Event.objects.get()
    assert event.sessions.count() == 2
    assert (event.ends_at - event.starts_at) > dt.timedelta(hours=20)


def test_a_district_office_creates_events_in_its_area(district_user, district_office, dovre):
    client = factories.logged_in_client(district_user)
    url = reverse("district:event-create", args=[district_office.slug])

    response = client.post(url, _data(municipality=dovre.number))

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.district_office == district_office
    assert event.contact_point is None


def test_a_municipality_outside_the_organisers_region_is_refused(cp_client, contact_point):
    oslo = Municipality.objects.get(name="Oslo")
    url = reverse("workspace:event-create", args=[contact_point.slug])

    response = cp_client.post(url, _data(municipality=oslo.number))

    assert response.status_code == 200
    assert "Kommunen ligger utenfor området deres" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"okt-0-end": "17:00"}, "Slutten må være etter starten."),
        (
            {"registration_closes_at": f"{_day(25)}T12:00"},
            "Påmeldingen må stenge før arrangementet starter.",
        ),
        ({"format": "digital", "municipality": "", "venue": ""}, "trenger en lenke"),
        ({"venue": ""}, "Skriv hvor arrangementet holdes."),
        ({"reminder_days_text": "sju"}, "Skriv hele dager mellom 1 og 60"),
        ({"okt-0-date": ""}, "Feltet er påkrevet."),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_saves_nothing(
    cp_client, contact_point, dovre, overrides, message
):
    url = reverse("workspace:event-create", args=[contact_point.slug])

    response = cp_client.post(url, {**_data(municipality=dovre.number), **overrides})

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="Informasjonsmøte om selvhjelp"' in page
    assert not Event.objects.exists()


def test_capacity_below_those_registered_is_refused(cp_client, contact_point, dovre):
    event = make_event(contact_point=contact_point, capacity=5)
    for n in range(3):
        register(event, f"p{n}@example.test")
    url = reverse("workspace:event-edit", args=[contact_point.slug, event.pk])

    response = cp_client.post(url, _data(municipality=dovre.number, capacity="2"))

    assert "3 personer har allerede plass" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5


def test_moving_the_event_sends_everyone_an_update_with_a_higher_sequence(
    cp_client, contact_point, dovre, on_commit
):
    event = make_event(contact_point=contact_point, capacity=5)
    register(event, "kari@example.test")
    mail.outbox.clear()
    url = reverse("workspace:event-edit", args=[contact_point.slug, event.pk])

    with on_commit():
        cp_client.post(url, _data(municipality=dovre.number, **{"okt-0-date": _day(30)}))

    event.refresh_from_db()
    assert event.sequence == 1
    assert [m.to for m in mail.outbox] == [["kari@example.test"]]
    assert "Endring" in mail.outbox[0].subject
    vevent = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert vevent["SEQUENCE"] == 1
    assert str(vevent["UID"]) == f"{event.uid}@selvhjelp"


def test_saving_without_changing_time_or_place_sends_nothing(
    cp_client, contact_point, dovre, on_commit
):
    # At six in the evening, so the two hours end the same day whenever the test runs.
    in_two_weeks = timezone.localdate() + dt.timedelta(days=14)
    six_pm = dt.datetime.combine(in_two_weeks, dt.time(18), tzinfo=timezone.get_current_timezone())
    event = make_event(
        contact_point=contact_point, capacity=5, venue="Storrvegen 5", starts_at=six_pm
    )
    register(event, "kari@example.test")
    mail.outbox.clear()
    local = event.starts_at.astimezone(timezone.get_current_timezone())
    url = reverse("workspace:event-edit", args=[contact_point.slug, event.pk])
    data = _data(
        municipality=dovre.number,
        title="Nytt navn",
        **{
            "okt-0-date": local.date().isoformat(),
            "okt-0-start": local.strftime("%H:%M"),
            "okt-0-end": (local + dt.timedelta(hours=2)).strftime("%H:%M"),
        },
    )

    with on_commit():
        cp_client.post(url, data)

    event.refresh_from_db()
    assert event.title == "Nytt navn"
    assert event.sequence == 0
    assert not mail.outbox


def test_cancelling_sends_method_cancel(cp_client, contact_point, on_commit):
    event = make_event(contact_point=contact_point, capacity=1)
    register(event, "kari@example.test")
    register(event, "vent@example.test", waiting=True)
    mail.outbox.clear()

    with on_commit():
        response = cp_client.post(
            reverse("workspace:event-cancel", args=[contact_point.slug, event.pk])
        )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == ["kari@example.test", "vent@example.test"]
    calendar = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_another_contact_points_event_is_404(cp_client, contact_point, other_contact_point):
    theirs = make_event(
        contact_point=other_contact_point, municipality=Municipality.objects.get(name="Oslo")
    )
    for name in ("workspace:event-edit", "workspace:event-registrations"):
        url = reverse(name, args=[contact_point.slug, theirs.pk])
        assert cp_client.get(url).status_code == 404
    url = reverse("workspace:event-cancel", args=[contact_point.slug, theirs.pk])
    assert cp_client.post(url).status_code == 404
    assert Event.objects.get(pk=theirs.pk).status == Event.Status.PUBLISHED


def test_staff_move_someone_from_the_waiting_list(cp_client, contact_point, on_commit):
    event = make_event(contact_point=contact_point, capacity=1)
    register(event, "kari@example.test")
    waiting = register(event, "vent@example.test", waiting=True)
    url = reverse("workspace:registration-move-in", args=[contact_point.slug, event.pk, waiting.pk])

    response = cp_client.post(url)
    assert response.status_code == 409
    assert "Arrangementet er fullt" in response.content.decode()

    event.capacity = 2
    event.save()
    assert cp_client.post(url).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_registration_list_has_a_fixed_query_budget(
    cp_client, contact_point, django_assert_max_num_queries, rows
):
    from events.models import Registration

    event = make_event(contact_point=contact_point, capacity=None)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Person {n}",
            email=f"p{n}@example.test",
            consent_version="x",
            status="confirmed",
        )
        for n in range(rows)
    )
    url = reverse("workspace:event-registrations", args=[contact_point.slug, event.pk])
    with django_assert_max_num_queries(16):
        response = cp_client.get(url)
    assert response.content.decode().count("@example.test</td>") == rows


def test_national_admins_organise_national_events_anywhere(national_admin):
    client = factories.logged_in_client(national_admin)
    url = reverse("events:national-event-create", args=["nasjonalt"])
    oslo = Municipality.objects.get(name="Oslo")

    response = client.post(url, _data(municipality=oslo.number, title="Nasjonal konferanse"))

    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.contact_point, event.district_office) == (None, None)
    assert event.organiser_name == "Selvhjelp Norge"
    listing = client.get(reverse("events:national-event-list", args=["nasjonalt"]))
    assert "Nasjonal konferanse" in listing.content.decode()


def test_an_event_slug_never_shadows_a_path_of_the_calendar(contact_point):
    event = make_event(contact_point=contact_point, title="Stab")
    assert event.slug != "stab"
    assert event.get_absolute_url() != "/arrangementer/stab/"
