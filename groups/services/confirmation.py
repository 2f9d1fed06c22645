"""Keeping the public list current: a published group is confirmed by its contact point now and
then (a one-click signed link), reminded when due, and hidden when nobody confirms."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from contactpoints.models import ContactPoint
from groups import emails as group_emails
from groups.models import Group, GroupEvent
from selvhjelp.cache import bump_public_data_version
from selvhjelp.models import User

logger = logging.getLogger(__name__)

_CONFIRM_SALT = "groups.group.confirm"


def group_confirmation_token(group: Group) -> str:
    """A signed link token for the group's current confirmation request. A new request, or the
    confirmation itself, clears the timestamp it carries, so older links stop working."""
    return signing.dumps(
        {"g": group.pk, "r": group.confirmation_requested_at.isoformat()}, salt=_CONFIRM_SALT
    )


def group_from_confirmation_token(token: str) -> tuple[Group, datetime] | None:
    """The group and request time a confirm link is for, or None when the link is tampered
    with, expired, or no longer matches a pending request."""
    max_age = timedelta(days=settings.GROUP_CONFIRMATION_INTERVAL_DAYS)
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=max_age)
        requested_at = datetime.fromisoformat(payload["r"])
        group_id = int(payload["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    group = (
        Group.objects.filter(pk=group_id, confirmation_requested_at=requested_at)
        .exclude(status=Group.Status.ENDED)
        .select_related("contact_point")
        .first()
    )
    return (group, requested_at) if group else None


@transaction.atomic
def group_confirm(*, group: Group, actor: User | None = None, requested_at=None) -> bool:
    """The group is still current. From a link, only while that link's request is pending
    (a conditional update, so a link used twice confirms once). Staff may confirm any time."""
    matching = Group.objects.filter(pk=group.pk)
    if requested_at is not None:
        matching = matching.filter(confirmation_requested_at=requested_at)
    updated = matching.update(
        confirmation_requested_at=None,
        stale_since=None,
        last_confirmed_on=timezone.localdate(),
        updated_at=timezone.now(),
    )
    if not updated:
        return False
    bump_public_data_version()  # a hidden group may be public again
    GroupEvent.objects.create(group=group, kind=GroupEvent.Kind.CONFIRMED, actor=actor)
    return True


def group_confirmation_reminders() -> int:
    """Ask each contact point, in one email, to confirm its published groups that were last
    confirmed an interval ago. Returns the number of groups asked about; a second run the same
    day finds them claimed and sends nothing."""
    due_on = timezone.localdate() - timedelta(days=settings.GROUP_CONFIRMATION_INTERVAL_DAYS)
    due = (
        Group.objects.filter(
            is_published=True,
            confirmation_requested_at__isnull=True,
            stale_since__isnull=True,
            last_confirmed_on__lte=due_on,
        )
        .exclude(status=Group.Status.ENDED)
        .values_list("contact_point_id", "pk")
    )
    by_contact_point: dict[int, list[int]] = {}
    for contact_point_id, pk in due:
        by_contact_point.setdefault(contact_point_id, []).append(pk)
    return sum(
        _remind_contact_point(contact_point_id, pks)
        for contact_point_id, pks in sorted(by_contact_point.items())
    )


@transaction.atomic
def _remind_contact_point(contact_point_id: int, pks: list[int]) -> int:
    """One digest for one contact point's due groups, each with its own confirm link."""
    # Lock and claim the rows: a run at the same time skips them, and a later run finds
    # confirmation_requested_at set, so no group is asked about twice.
    groups = list(
        Group.objects.select_for_update(skip_locked=True)
        .filter(pk__in=pks, confirmation_requested_at__isnull=True)
        .order_by("name", "pk")
    )
    if not groups:
        return 0
    now = timezone.now()
    Group.objects.filter(pk__in=[group.pk for group in groups]).update(
        confirmation_requested_at=now
    )
    GroupEvent.objects.bulk_create(
        GroupEvent(group=group, kind=GroupEvent.Kind.REMINDER_SENT) for group in groups
    )
    contact_point = ContactPoint.objects.get(pk=contact_point_id)
    for group in groups:
        group.confirmation_requested_at = now
    group_emails.group_confirm_reminder(
        contact_point, [(group, group_confirmation_token(group)) for group in groups]
    )
    return len(groups)


def group_hide_stale() -> int:
    """Hide published groups whose confirmation request went unanswered for the grace days."""
    cutoff = timezone.now() - timedelta(days=settings.GROUP_CONFIRMATION_GRACE_DAYS)
    hidden = 0
    with transaction.atomic():
        stale = list(
            Group.objects.select_for_update(skip_locked=True)
            .filter(
                is_published=True,
                stale_since__isnull=True,
                confirmation_requested_at__lte=cutoff,
            )
            .exclude(status=Group.Status.ENDED)
        )
        now = timezone.now()
        for group in stale:
            Group.objects.filter(pk=group.pk, stale_since__isnull=True).update(stale_since=now)
            GroupEvent.objects.create(group=group, kind=GroupEvent.Kind.HIDDEN_STALE)
            hidden += 1
    if hidden:
        bump_public_data_version()  # hidden groups leave the cached search pages
    return hidden
