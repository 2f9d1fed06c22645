"""Every email the groups app sends: one function per message (healthchecks' hc/lib/emails.py).

Each builds its context and queues one outbox row per recipient through `selvhjelp.emails`, in
the caller's transaction. Links are absolute (`absolute_url`); staff recipients come from
`staff_addresses`. Messages to staff never carry the person's details: staff read those after
logging in.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from contactpoints.models import ContactPoint
from groups.models import DemandNotice, Group, GroupEvent, Interest
from selvhjelp import emails
from selvhjelp.emails import absolute_url, staff_addresses
from selvhjelp.models import User

logger = logging.getLogger(__name__)


def _owner_name(interest: Interest) -> str:
    if interest.contact_point_id:
        return interest.contact_point.name
    return interest.district_office.name


def interest_receipt(interest: Interest, *, withdraw_token: str, language: str) -> None:
    """To the person: we have your interest, and a link to withdraw it."""
    with translation.override(language):
        withdraw_url = absolute_url(
            reverse("groups:interest-withdraw", kwargs={"token": withdraw_token})
        )
    emails.queue(
        to=interest.email,
        name="interest-receipt",
        language=language,
        context={
            "topic": interest.topic.name,
            "group_name": interest.group.name if interest.group_id else "",
            "recipient_name": _owner_name(interest),
            "withdraw_url": withdraw_url,
        },
    )


def interest_notification(interest: Interest) -> None:
    """To the staff who own the interest: there is a new one (no personal data)."""
    addresses = staff_addresses(interest.contact_point or interest.district_office)
    if not addresses:
        logger.warning("interest: nobody to notify about %s", interest.pk)
        return
    context = {
        "topic": interest.topic.name,
        "municipality": interest.municipality.name,
        "group_name": interest.group.name if interest.group_id else "",
        "recipient_name": _owner_name(interest),
        "staff_url": absolute_url(interest.get_staff_url()),
    }
    for address in addresses:
        emails.queue(to=address, name="interest-notification", context=context)


def demand_notice(notice: DemandNotice) -> None:
    """To the contact point and its district office: enough people for a group on a topic."""
    contact_point = notice.contact_point
    list_url = absolute_url(
        reverse("workspace:interest-list", kwargs={"slug": contact_point.slug})
        + f"?tema={notice.topic_id}&status=aktiv"
    )
    context = {
        "contact_point": contact_point.name,
        "topic": notice.topic.name,
        "count": notice.active_interests,
        "list_url": list_url,
    }
    # The district office sees counts, not people: its staff get the workspace overview.
    office_only = set(
        User.objects.filter(
            is_active=True,
            district_office_memberships__district_office_id=(
                contact_point.municipality.county.district_office_id
            ),
        )
        .exclude(contact_point_memberships__contact_point=contact_point)
        .values_list("email", flat=True)
    )
    overview_url = absolute_url(reverse("workspace:home", kwargs={"slug": contact_point.slug}))
    # The contact point's staff (or its own address), and the district office's staff.
    for address in sorted(set(staff_addresses(contact_point)) | office_only):
        url = overview_url if address in office_only else list_url
        emails.queue(to=address, name="workspace-demand", context={**context, "list_url": url})


def group_submitted(group: Group) -> None:
    """To the district office: a group waits for its decision."""
    addresses = staff_addresses(group.district_office())
    if not addresses:
        logger.warning("group %s submitted, but no district office address to notify", group.pk)
    context = {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "review_url": absolute_url(reverse("district:group-review", kwargs={"pk": group.pk})),
    }
    for to in addresses:
        emails.queue(to=to, name="group-submitted", context=context)


def _to_contact_point(group: Group, name: str, event: GroupEvent) -> None:
    context = {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "comment": event.comment,
        "workspace_url": absolute_url(group.get_workspace_url()),
    }
    for to in staff_addresses(group.contact_point):
        emails.queue(to=to, name=name, context=context)


def group_approved(group: Group, event: GroupEvent) -> None:
    _to_contact_point(group, "group-approved", event)


def group_sent_back(group: Group, event: GroupEvent) -> None:
    _to_contact_point(group, "group-sent-back", event)


def group_rejected(group: Group, event: GroupEvent) -> None:
    _to_contact_point(group, "group-rejected", event)


def group_confirm_reminder(contact_point: ContactPoint, groups: list[tuple[Group, str]]) -> None:
    """One digest to a contact point: its groups due for confirmation, each with its signed
    one-click link (`groups` holds (group, token) pairs)."""
    rows = [
        {
            "name": group.name,
            "last_confirmed_on": group.last_confirmed_on,
            "confirm_url": absolute_url(reverse("groups:group-confirm", kwargs={"token": token})),
            "workspace_url": absolute_url(group.get_workspace_url()),
        }
        for group, token in groups
    ]
    context = {
        "contact_point": contact_point.name,
        "groups": rows,
        "grace_days": settings.GROUP_CONFIRMATION_GRACE_DAYS,
        "groups_url": absolute_url(
            reverse("workspace:group-list", kwargs={"slug": contact_point.slug})
        ),
    }
    for to in staff_addresses(contact_point):
        emails.queue(to=to, name="group-confirm-reminder", context=context)


def group_starts_context(group: Group) -> dict[str, Any]:
    """What "the group starts" tells the people placed in it (also shown as a preview)."""
    return {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "contact_point_phone": group.contact_point.phone,
        "contact_point_email": group.contact_point.email,
        "starts_on": group.starts_on,
        "weekday": group.get_weekday_display() if group.weekday else "",
        "start_time": group.start_time,
        "frequency": group.get_frequency_display(),
        "format": group.get_format_display(),
        "venue_address": group.venue_address,
        "public_area": group.public_area,
    }


def group_starts(group: Group, recipients: list[Interest]) -> None:
    """To every person placed in the group who gave an email: when and where it starts."""
    context = group_starts_context(group)
    for interest in recipients:
        emails.queue(to=interest.email, name="workspace-group-starts", context=context)
