"""Writing, testing, scheduling, pausing and cancelling an issue."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletter import emails
from newsletter.models import Issue
from newsletter.rendering import render_issue
from newsletter.services.subscriptions import manage_token

logger = logging.getLogger(__name__)


@transaction.atomic
def issue_save(*, issue: Issue, user) -> Issue:
    if not issue.is_editable:
        raise ValidationError(_("Et nyhetsbrev som er sendt eller sendes, kan ikke endres."))
    if issue.pk is None:
        issue.created_by = user
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def issue_test_send(*, issue: Issue, user) -> None:
    """To the writer's own address, with their own (harmless) links: a sample, not a delivery."""
    rendered = render_issue(issue)
    links = manage_token("00000000-0000-0000-0000-000000000000")
    from django.urls import reverse

    from selvhjelp.emails import absolute_url

    url = absolute_url(reverse("newsletter:preferences", args=[links]))
    body_html, body_text = rendered.for_recipient(preferences_url=url, unsubscribe_url=url)
    emails.test_issue(
        to=user.email, subject=rendered.subject, body_text=body_text, body_html=body_html
    )


@transaction.atomic
def issue_schedule(*, issue: Issue, send_at: datetime | None) -> Issue:
    """`send_at` None: now. A time in the past is refused (the form says so first)."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_editable:
        raise ValidationError(_("Dette nyhetsbrevet er allerede sendt eller sendes nå."))
    if send_at is not None and send_at <= timezone.now():
        raise ValidationError(_("Tidspunktet har allerede vært. Velg et tidspunkt fram i tid."))
    if send_at is None:
        issue.status = Issue.Status.SENDING
        issue.started_at = timezone.now()
        issue.scheduled_at = None
        transaction.on_commit(lambda: _enqueue(issue.pk))
    else:
        issue.status = Issue.Status.SCHEDULED
        issue.scheduled_at = send_at
    issue.save(update_fields=["status", "started_at", "scheduled_at"])
    return issue


def _enqueue(issue_id: int) -> None:
    from newsletter.tasks import send_issue

    try:
        send_issue.delay(issue_id)
    except Exception:  # broker down: the sweep starts it within a minute
        logger.warning("newsletter: could not enqueue issue %s, left for the sweep", issue_id)


@transaction.atomic
def issue_cancel(*, issue: Issue) -> bool:
    """A scheduled issue goes back to being a draft."""
    return bool(
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SCHEDULED).update(
            status=Issue.Status.DRAFT, scheduled_at=None
        )
    )


@transaction.atomic
def issue_pause(*, issue: Issue) -> bool:
    """The worker sees the new status before its next batch and stops."""
    return bool(
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.PAUSED, paused_reason="staff", runner=None
        )
    )


@transaction.atomic
def issue_resume(*, issue: Issue) -> bool:
    resumed = Issue.objects.filter(pk=issue.pk, status=Issue.Status.PAUSED).update(
        status=Issue.Status.SENDING, paused_reason="", runner=None
    )
    if resumed:
        transaction.on_commit(lambda: _enqueue(issue.pk))
    return bool(resumed)
