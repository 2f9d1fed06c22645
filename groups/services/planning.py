"""Planning a group from the interest list, and the "the group starts" email to the people placed
in it."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpoints.models import ContactPoint, Facilitator
from groups import emails as group_emails
from groups.access import check_group_municipality
from groups.models import (
    Group,
    GroupEvent,
    Interest,
    Topic,
)
from groups.services.demand import demand_check
from selvhjelp.audit import audit_log
from selvhjelp.models import AuditEntry, User
from selvhjelp.text import unique_slug

logger = logging.getLogger(__name__)


@transaction.atomic
def group_plan(
    *,
    contact_point: ContactPoint,
    actor: User,
    name: str,
    topics: list[Topic],
    interests: list[Interest] = (),
    facilitators: list[Facilitator] = (),
    **fields: Any,
) -> Group:
    """A draft group (not published; the district office approves it later), with the chosen
    people placed in it and the chosen facilitators of this contact point."""
    check_group_municipality(contact_point, fields.get("municipality"))
    foreign = [f for f in facilitators if not f.contact_points.filter(pk=contact_point.pk).exists()]
    if foreign:
        raise ValidationError({"facilitators": _("Velg igangsettere fra dette kontaktpunktet.")})
    group = Group(
        name=name,
        slug=unique_slug(Group, name, fallback="gruppe"),
        contact_point=contact_point,
        status=Group.Status.PLANNED,
        approval_status=Group.Approval.DRAFT,
        is_published=False,
        **fields,
    )
    group.full_clean()
    group.save()
    group.topics.set(topics)
    group.facilitators.set(facilitators)

    ids = [interest.pk for interest in interests]
    # Lock the rows so a concurrent status change cannot slip in between.
    placeable = list(
        Interest.objects.at(contact_point)
        .select_for_update()
        .active()
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if len(placeable) != len(ids):
        raise ValidationError(
            {"interests": _("Noen av de valgte personene er allerede plassert eller trukket.")}
        )
    Interest.objects.filter(pk__in=placeable).update(
        group=group,
        status=Interest.Status.PLACED,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.CREATED, actor=actor, changes={"placed": len(placeable)}
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="group",
        object_id=group.pk,
        contact_point_id=contact_point.pk,
        detail=f"placed={len(placeable)}",
    )
    demand_check(contact_point=contact_point)
    return group


def group_starts_recipients(group: Group) -> list[Interest]:
    return list(
        group.interests.filter(status=Interest.Status.PLACED).exclude(email="").order_by("pk")
    )


def group_starts_email_allowed(group: Group) -> bool:
    """Only once the district office has approved the group: the email tells people where it
    meets, and before approval the time and place may still change or the group be refused."""
    return group.approval_status == Group.Approval.APPROVED


def group_starts_email_refusal() -> str:
    return _(
        "Oppstartsmeldingen kan sendes når distriktskontoret har godkjent gruppen, "
        "fordi den forteller hvor gruppen møtes."
    )


@transaction.atomic
def group_starts_email_send(*, group: Group, actor: User, send_again: bool = False) -> int:
    """Queue "the group starts" to every placed person with an email. Sending a second time
    must be asked for explicitly. Returns the number of emails queued."""
    group = Group.objects.select_for_update().select_related("contact_point").get(pk=group.pk)
    if not group_starts_email_allowed(group):
        raise ValidationError(group_starts_email_refusal(), code="not_approved")
    already_sent = group.events.filter(kind=GroupEvent.Kind.STARTS_EMAIL_SENT).exists()
    if already_sent and not send_again:
        raise ValidationError(
            _("Oppstartsmeldingen er allerede sendt. Kryss av hvis du vil sende den på nytt."),
            code="already_sent",
        )
    recipients = group_starts_recipients(group)
    if not recipients:
        raise ValidationError(
            _("Ingen i gruppen har oppgitt e-post. Ring dem i stedet."), code="nobody"
        )
    group_emails.group_starts(group, recipients)
    GroupEvent.objects.create(
        group=group,
        kind=GroupEvent.Kind.STARTS_EMAIL_SENT,
        actor=actor,
        changes={"recipients": len(recipients)},
    )
    return len(recipients)
