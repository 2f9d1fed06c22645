"""The district office approves a group: submit, approve, send back, reject.

Lock the group, then check its state: refusals are in words for people."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.access import group_district_office
from groups.models import Group, GroupEvent
from groups.services.lifecycle import group_missing_fields, locked_group
from selvhjelp import emails
from selvhjelp.models import User

logger = logging.getLogger(__name__)


def _refuse_unless(group: Group, *states: str) -> None:
    if group.approval_status in states:
        return
    messages = {
        Group.Approval.APPROVED: _("Gruppen er allerede godkjent. Ingenting ble endret."),
        Group.Approval.REJECTED: _("Gruppen er avslått. Ingenting ble endret."),
        Group.Approval.SUBMITTED: _(
            "Gruppen er allerede sendt til godkjenning. Ingenting ble endret."
        ),
        Group.Approval.SENT_BACK: _(
            "Gruppen er sendt tilbake til kontaktpunktet og venter på endringer. "
            "Ingenting ble endret."
        ),
        Group.Approval.DRAFT: _(
            "Gruppen er ikke sendt til godkjenning ennå. Ingenting ble endret."
        ),
    }
    raise ValidationError(messages[group.approval_status], code="wrong_state")


def _require_comment(comment: str, message: str) -> str:
    comment = comment.strip()
    if not comment:
        raise ValidationError(message, code="comment_required")
    return comment


@transaction.atomic
def group_submit(*, group: Group, actor: User) -> Group:
    group = locked_group(group)
    _refuse_unless(group, Group.Approval.DRAFT, Group.Approval.SENT_BACK)
    missing = group_missing_fields(group)
    if missing:
        raise ValidationError(
            _("Gruppen mangler dette før den kan sendes: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="incomplete",
        )
    group.approval_status = Group.Approval.SUBMITTED
    group.save(update_fields=["approval_status", "updated_at"])
    GroupEvent.objects.create(group=group, kind=GroupEvent.Kind.SUBMITTED, actor=actor)
    _notify_district_office(group)
    return group


@transaction.atomic
def group_approve(*, group: Group, actor: User, comment: str = "") -> Group:
    group = locked_group(group)
    _refuse_unless(group, Group.Approval.SUBMITTED)
    group.approval_status = Group.Approval.APPROVED
    group.is_published = True
    group.last_confirmed_on = timezone.localdate()
    group.confirmation_requested_at = None
    group.stale_since = None
    group.save()
    event = GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.APPROVED, actor=actor, comment=comment.strip()
    )
    _notify_contact_point(group, "group-approved", event)
    return group


@transaction.atomic
def group_send_back(*, group: Group, actor: User, comment: str) -> Group:
    comment = _require_comment(
        comment, _("Skriv hva kontaktpunktet bør endre, så de vet hva de skal gjøre.")
    )
    group = locked_group(group)
    _refuse_unless(group, Group.Approval.SUBMITTED)
    group.approval_status = Group.Approval.SENT_BACK
    group.save(update_fields=["approval_status", "updated_at"])
    event = GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.SENT_BACK, actor=actor, comment=comment
    )
    _notify_contact_point(group, "group-sent-back", event)
    return group


@transaction.atomic
def group_reject(*, group: Group, actor: User, comment: str) -> Group:
    comment = _require_comment(
        comment, _("Skriv en begrunnelse, så kontaktpunktet forstår avgjørelsen.")
    )
    group = locked_group(group)
    _refuse_unless(group, Group.Approval.SUBMITTED)
    group.approval_status = Group.Approval.REJECTED
    group.is_published = False
    group.save(update_fields=["approval_status", "is_published", "updated_at"])
    event = GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.REJECTED, actor=actor, comment=comment
    )
    _notify_contact_point(group, "group-rejected", event)
    return group


def _notify_district_office(group: Group) -> None:
    addresses = emails.staff_addresses(group_district_office(group))
    if not addresses:
        logger.warning("group %s submitted, but no district office address to notify", group.pk)
    context = {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "review_url": emails.absolute_url(
            reverse("district:group-review", kwargs={"pk": group.pk})
        ),
    }
    for to in addresses:
        emails.queue(to=to, name="group-submitted", context=context)


def _notify_contact_point(group: Group, name: str, event: GroupEvent) -> None:
    context = {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "comment": event.comment,
        "workspace_url": emails.absolute_url(group.get_workspace_url()),
    }
    for to in emails.staff_addresses(group.contact_point):
        emails.queue(to=to, name=name, context=context)
