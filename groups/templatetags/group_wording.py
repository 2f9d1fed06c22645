"""A group's public status and "when" in words, from groups/wording.py (the same words the
search results use)."""

from __future__ import annotations

from django import template

from groups import wording
from groups.models import Group

register = template.Library()


@register.simple_tag
def group_status(group: Group) -> str:
    return wording.status_text(group)


@register.simple_tag
def group_when(group: Group) -> str:
    return wording.when_text(group)
