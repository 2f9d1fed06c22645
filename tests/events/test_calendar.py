"""The public calendar with shareable filters, the event page with JSON-LD, calendar files and
feeds."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.models import Event
from selvhjelp.models import Municipality
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return re.findall(r'<h3 class="h5 mb-1"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def spread(contact_point, other_contact_point):
    oslo = Municipality.objects.get(name="Oslo")
    return {
        "dombaas": make_event(contact_point=contact_point, title="Møte på Dombås"),
        "oslo": make_event(
            contact_point=other_contact_point,
            municipality=oslo,
            title="Seminar i Oslo",
            kind=Event.Kind.SEMINAR,
            audience=Event.Audience.MUNICIPAL_STAFF,
            starts_in=dt.timedelta(days=40),
        ),
        "webinar": make_event(
            contact_point=other_contact_point,
            format=Event.Format.DIGITAL,
            venue="",
            municipality=None,
            join_url="https://video.example/rom",
            title="Webinar for alle",
            kind=Event.Kind.WEBINAR,
        ),
        "draft": make_event(contact_point=contact_point, title="Utkast", status=Event.Status.DRAFT),
        "past": make_event(
            contact_point=contact_point, title="Gammelt møte", starts_in=dt.timedelta(days=-30)
        ),
    }


def test_the_calendar_lists_upcoming_published_events_first_by_date(client, spread):
    titles = _titles(client.get(reverse("events:event-list")))
    assert titles == ["Møte på Dombås", "Webinar for alle", "Seminar i Oslo"]


def test_past_events_are_in_the_archive(client, spread):
    titles = _titles(client.get(reverse("events:event-list"), {"arkiv": "1"}))
    assert titles == ["Gammelt møte"]


def test_place_and_radius_find_events_nearby_and_digital_ones_for_everyone(client, spread):
    response = client.get(reverse("events:event-list"), {"sted": "dombaas", "avstand": "30"})
    assert sorted(_titles(response)) == ["Møte på Dombås", "Webinar for alle"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "seminar"}, ["Seminar i Oslo"]),
        ({"for_hvem": "municipal"}, ["Seminar i Oslo"]),
        ({"form": "digital"}, ["Webinar for alle"]),
    ],
)
def test_kind_audience_and_format_filter(client, spread, params, expected):
    assert _titles(client.get(reverse("events:event-list"), params)) == expected


def test_the_month_filter(client, spread):
    month = spread["oslo"].starts_at.astimezone().strftime("%Y-%m")
    titles = _titles(client.get(reverse("events:event-list"), {"maaned": month}))
    assert "Seminar i Oslo" in titles
    assert "Møte på Dombås" not in titles or month == spread["dombaas"].starts_at.strftime("%Y-%m")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sted": "Atlantis"}, "Vi finner ikke «Atlantis»"),
        ({"maaned": "oktober"}, "Skriv måneden som år og måned"),
    ],
)
def test_bad_filters_get_a_message_next_to_the_field(client, spread, params, message):
    response = client.get(reverse("events:event-list"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_calendar_has_a_fixed_query_budget(
    client, contact_point, django_assert_max_num_queries, count
):
    template = make_event(contact_point=contact_point)
    Event.objects.bulk_create(
        Event(
            title=f"Møte {n}",
            slug=f"mote-{n}",
            kind=template.kind,
            audience=template.audience,
            description="x",
            follow_up_text="x",
            contact_point=contact_point,
            format=template.format,
            venue=template.venue,
            municipality=template.municipality,
            status=Event.Status.PUBLISHED,
            starts_at=template.starts_at,
            ends_at=template.ends_at,
        )
        for n in range(count - 1)
    )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:event-list"), {"sted": "2660", "avstand": "30"})
    assert len(_titles(response)) == min(count, 20)


def test_the_event_page_has_json_ld_and_no_join_link(client, spread):
    event = spread["webinar"]
    page = client.get(event.get_absolute_url()).content.decode()

    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["name"] == "Webinar for alle"
    assert data["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    assert "video.example" not in page


def test_drafts_are_404(client, spread):
    assert client.get(spread["draft"].get_absolute_url()).status_code == 404
    url = reverse("events:event-ics", args=[spread["draft"].slug])
    assert client.get(url).status_code == 404


def test_the_ics_download_has_a_stable_uid_and_no_join_link(client, spread):
    event = spread["webinar"]
    url = reverse("events:event-ics", args=[event.slug])
    first = Calendar.from_ical(client.get(url).content)
    second = Calendar.from_ical(client.get(url).content)

    a, b = first.walk("VEVENT")[0], second.walk("VEVENT")[0]
    assert a["UID"] == b["UID"] == f"{event.uid}@selvhjelp"
    assert a["SUMMARY"] == "Webinar for alle"
    assert "video.example" not in client.get(url).content.decode()


def test_the_feeds_list_published_events_all_and_per_organiser(client, spread, contact_point):
    everything = Calendar.from_ical(client.get(reverse("events:feed")).content)
    summaries = sorted(str(e["SUMMARY"]) for e in everything.walk("VEVENT"))
    assert "Utkast" not in summaries
    assert {"Møte på Dombås", "Seminar i Oslo", "Webinar for alle"} <= set(summaries)

    url = reverse("events:feed-contact-point", args=[contact_point.slug])
    own = Calendar.from_ical(client.get(url).content)
    assert sorted(str(e["SUMMARY"]) for e in own.walk("VEVENT")) == [
        "Gammelt møte",
        "Møte på Dombås",
    ]


def test_the_office_feed(client, district_office):
    make_event(district_office=district_office, title="Erfaringssamling")
    url = reverse("events:feed-office", args=[district_office.slug])
    calendar = Calendar.from_ical(client.get(url).content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Erfaringssamling"]
