"""The district office approves a group: submit, approve, send back, reject.

Lock the group, then check its state: refusals are in words for people."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import emails as group_emails
from groups.models import Group, GroupEvent
from groups.services.lifecycle import locked_group
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
    missing = group.missing_for_approval()
    if missing:
        raise ValidationError(
            _("Gruppen mangler dette før den kan sendes: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="incomplete",
        )
    group.approval_status = Group.Approval.SUBMITTED
    group.save(update_fields=["approval_status", "updated_at"])
    GroupEvent.objects.create(group=group, kind=GroupEvent.Kind.SUBMITTED, actor=actor)
    group_emails.group_submitted(group)
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
    group_emails.group_approved(group, event)
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
    group_emails.group_sent_back(group, event)
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
    group_emails.group_rejected(group, event)
    return group
