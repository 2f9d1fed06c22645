"""Template helpers for interest lists, shared by the contact point workspace and the district
office's own list (interests no contact point serves)."""

from __future__ import annotations

from django import template

from contactpoints.access import user_sees_people
from groups.models import Interest

register = template.Library()


@register.simple_tag
def interest_url(action: str, interest: Interest) -> str:
    """The URL of `action` ("detail", "update", "note-add", "export", "erase") for an interest,
    in the area that owns it: its contact point's workspace or its district office."""
    return interest.get_staff_url(action)


@register.filter
def people_visible_to(contact_point, user) -> bool:
    """Whether `user` may see the people on the contact point's interest list."""
    return user_sees_people(user, contact_point)
