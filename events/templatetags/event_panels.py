"""Panels other apps' pages show, so that they link to events without importing the events app
(DESIGN.md: a page that shows another app's data shows a panel that app provides)."""

from __future__ import annotations

from django import template

from events.models import Event
from selvhjelp.emails import absolute_url

register = template.Library()


@register.inclusion_tag("events/includes/_newsletter_event_links.html")
def newsletter_event_links(limit: int = 8) -> dict:
    """The next published events, each with a Markdown link to paste into a newsletter."""
    events = (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .upcoming()
        .exclude(starts_at=None)
        .order_by("starts_at")
        .only("title", "slug", "starts_at")[:limit]
    )
    return {
        "rows": [
            {
                "event": event,
                "markdown": f"[{event.title}]({absolute_url(event.get_absolute_url())})",
            }
            for event in events
        ]
    }
