"""Calendar files (.ics) with the `icalendar` library: a stable UID per event, SEQUENCE from the
event, METHOD:CANCEL for a cancelled event. A two-day event is one VEVENT per session, each with
its own stable UID, so a calendar app shows both days."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event
from selvhjelp.emails import absolute_url

PRODID = "-//Selvhjelp//arrangementer//NO"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _location(event: Event) -> str:
    parts = []
    if event.is_physical:
        parts.append(event.venue)
        if event.municipality_id:
            parts.append(event.municipality.name)
    return ", ".join(part for part in parts if part)


def _add_event(calendar: Calendar, event: Event, *, with_join_url: bool) -> None:
    cancelled = event.status == Event.Status.CANCELLED
    sessions = list(event.sessions.all())
    for number, session in enumerate(sessions, start=1):
        item = CalendarEvent()
        suffix = f"-{number}" if len(sessions) > 1 else ""
        item.add("uid", f"{event.uid}{suffix}@selvhjelp")
        item.add("sequence", event.sequence)
        item.add("dtstamp", timezone.now())
        item.add("dtstart", session.starts_at)
        item.add("dtend", session.ends_at)
        item.add("summary", event.title)
        description = event.description
        if with_join_url and event.join_url:
            description += f"\n\n{event.join_url}"
        item.add("description", description)
        if location := _location(event):
            item.add("location", location)
        item.add("url", absolute_url(event.get_absolute_url()))
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(item)


def event_ics(event: Event, *, with_join_url: bool = False) -> bytes:
    """One event. The join link only goes into the files sent to registered people."""
    method = "CANCEL" if event.status == Event.Status.CANCELLED else "PUBLISH"
    calendar = _calendar(method)
    _add_event(calendar, event, with_join_url=with_join_url)
    return calendar.to_ical()


def feed_ics(events: Iterable[Event], name: str) -> bytes:
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        _add_event(calendar, event, with_join_url=False)
    return calendar.to_ical()
