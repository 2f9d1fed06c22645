"""A group's history as people read it: field names and values instead of stored keys.

`groups/services/lifecycle.py` stores each change as `{field: [old, new]}` with raw values:
choice keys, True/False, dates and times in ISO format, the ids of related rows. Here they are
translated on read, in the reader's language.

Rows stored before that change hold text made when the change was made (the choice label in the
language of whoever made it, "ja" or "nei", related rows by name): those are understood too, and
a key that is no longer a field is shown as it is, so old events never break the page.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from groups.models import Group, GroupEvent

# Keys that are facts about the event rather than a field that changed.
_FACT_LABELS = {
    "placed": gettext_lazy("Personer plassert i gruppen"),
    "recipients": gettext_lazy("Mottakere"),
}


class ChangeRow(NamedTuple):
    label: str
    old: str | None  # None: a fact about the event, not a before and after
    new: str


def group_history(group: Group) -> list[GroupEvent]:
    """The group's events, oldest first, each with its readable `change_rows`."""
    events = list(group.events.select_related("actor"))
    for event in events:
        event.change_rows = change_rows(event)
    return events


def change_rows(event: GroupEvent) -> list[ChangeRow]:
    """One (label, old, new) row per key in the event's stored changes."""
    if not isinstance(event.changes, dict):
        return []
    rows = []
    for key, values in event.changes.items():
        if key in _FACT_LABELS:
            rows.append(ChangeRow(str(_FACT_LABELS[key]), None, _text(values)))
            continue
        field = _field(key)
        label = str(capfirst(field.verbose_name)) if field else key
        if isinstance(values, list | tuple) and len(values) == 2:
            old, new = values
            rows.append(ChangeRow(label, _value(field, old), _value(field, new)))
        else:
            rows.append(ChangeRow(label, None, _value(field, values)))
    return rows


def _field(name: str) -> models.Field | None:
    try:
        field = Group._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete else None


def _value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field is None:
        return _text(value)
    if field.choices or isinstance(field, models.BooleanField):
        return _label(field, value)
    if field.is_relation:
        return _related(field, value)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else None
        if moment is None:
            return _text(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        day = parse_date(value) if isinstance(value, str) else None
        return formats.date_format(day) if day else _text(value)
    if isinstance(field, models.TimeField):
        time = parse_time(value) if isinstance(value, str) else None
        # "H.i" as everywhere else the portal shows a meeting time.
        return formats.time_format(time, "H.i") if time else _text(value)
    return _text(value)


def _related(field: models.Field, value: Any) -> str:
    """Related rows by name: a stored id (or list of ids) is looked up; text stored by older
    rows (names) is shown as it is."""
    if isinstance(value, str) and field.many_to_many:
        return value  # an older row: the names, already joined
    ids = value if isinstance(value, list | tuple) else [value]
    try:
        names = {
            str(row.pk): str(row) for row in field.related_model._default_manager.filter(pk__in=ids)
        }
    except (ValueError, TypeError, ValidationError):
        return _text(value)
    if not names:
        return _text(value)
    return ", ".join(sorted(names.get(str(i), str(i)) for i in ids))


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _labels(field: models.Field) -> dict[str, str]:
    """A choice or yes/no field's values, as text, and their labels in the active language."""
    if field.choices:
        return {str(value): str(label) for value, label in field.flatchoices}
    return {"True": gettext("ja"), "False": gettext("nei")}


@cache
def _value_by_label(field_name: str) -> dict[str, str]:
    """Each label of the field, in every language of the site, mapped to its value as text."""
    field = Group._meta.get_field(field_name)
    found: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in _labels(field).items():
                found.setdefault(label.casefold(), value)
    return found


def _label(field: models.Field, value: Any) -> str:
    """The label in the reader's language, whether a value or a label (in any of the site's
    languages) was stored; anything else as it is."""
    labels = _labels(field)
    key = str(value)
    if key not in labels:
        key = _value_by_label(field.name).get(key.casefold())
    return capfirst(labels[key]) if key else _text(value)
