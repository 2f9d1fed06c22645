"""Keeping a group current: its status (full, open, paused, ended) and its fields, each change
logged in the group's history.

Every workflow on a group locks the row first and then checks its state (`locked_group`), so two
staff members cannot both act on the same state."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups.access import check_group_municipality
from groups.models import Group, GroupEvent
from selvhjelp.models import User


# Fields a published group's staff may change without a new approval.
def locked_group(group: Group) -> Group:
    """The group's row, locked until the transaction ends, with what the checks need."""
    return Group.objects.select_for_update().select_related("contact_point").get(pk=group.pk)


def _raw(group: Group, field: str) -> Any:
    """A field's value as the history stores it: the raw value, never a translated label (choice
    keys, True/False, ISO dates and times, the id of a related row). groups/history.py turns it
    into words in the reader's language."""
    model_field = Group._meta.get_field(field)
    value = getattr(group, model_field.attname)
    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def group_set_status(
    *, group: Group, actor: User, status: str, open_for_new_members: bool
) -> Group:
    """Full, open for new members, paused or ended; logged with what changed."""
    if status not in Group.Status.values:
        raise ValidationError(_("Velg en status fra listen."), code="bad_status")
    group = locked_group(group)
    if group.approval_status == Group.Approval.REJECTED:
        raise ValidationError(_("Gruppen er avslått. Ingenting ble endret."), code="wrong_state")
    before = {f: _raw(group, f) for f in ("status", "open_for_new_members")}
    group.status = status
    group.open_for_new_members = open_for_new_members
    after = {f: _raw(group, f) for f in ("status", "open_for_new_members")}
    changes = {f: [before[f], after[f]] for f in before if before[f] != after[f]}
    if not changes:
        return group
    group.save(update_fields=["status", "open_for_new_members", "updated_at"])
    GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.STATUS_CHANGED, actor=actor, changes=changes
    )
    return group


@transaction.atomic
def group_update(*, group: Group, actor: User, data: dict) -> Group:
    """Change a group's fields (many-to-many ones too) and log what changed."""
    group = locked_group(group)
    allowed = group.editable_fields()
    if allowed == ():
        raise ValidationError(
            _("Gruppen kan ikke endres mens distriktskontoret vurderer den, eller etter avslag."),
            code="wrong_state",
        )
    if allowed is not None:
        data = {k: v for k, v in data.items() if k in allowed}
    changes: dict[str, list[Any]] = {}
    m2m = {}
    for field, value in data.items():
        if field in ("topics", "facilitators"):
            old = sorted(getattr(group, field).values_list("pk", flat=True))
            new = sorted(o.pk for o in value)
            if old != new:
                changes[field] = [old, new]
                m2m[field] = value
            continue
        old = _raw(group, field)
        setattr(group, field, value)
        new = _raw(group, field)
        if old != new:
            changes[field] = [old, new]
    if not changes:
        return group
    if "municipality" in changes:
        check_group_municipality(group.contact_point, group.municipality)
        group.latitude = group.longitude = None  # follow the new municipality
    group.full_clean(exclude=["slug", "topics", "facilitators"])
    group.save()
    for field, value in m2m.items():
        getattr(group, field).set(value)
    GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.EDITED, actor=actor, changes=changes
    )
    return group
