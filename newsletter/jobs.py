"""The newsletter's daily jobs."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from newsletter.models import Delivery, Issue, Subscriber
from selvhjelp.jobs import register_daily

DELIVERY_RETENTION = timedelta(days=365)


def delete_unconfirmed() -> int:
    """Sign-ups whose confirmation link expired: nobody said yes, so nothing is kept."""
    return Subscriber.objects.unconfirmed_expired().delete()[0]


@transaction.atomic
def reduce_old_deliveries() -> int:
    """Delivery rows older than a year become two counts on their issue."""
    cutoff = timezone.now() - DELIVERY_RETENTION
    ids = Issue.objects.filter(
        status=Issue.Status.SENT, sent_at__lt=cutoff, deliveries__isnull=False
    ).distinct()
    deleted = 0
    for issue in Issue.objects.filter(pk__in=ids).select_for_update():
        counts = issue.deliveries.aggregate(
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        )
        issue.archived_sent += counts["sent"]
        issue.archived_failed += counts["failed"]
        issue.save(update_fields=["archived_sent", "archived_failed"])
        deleted += issue.deliveries.all().delete()[0]
    return deleted


def register() -> None:
    register_daily("newsletter_delete_unconfirmed")(delete_unconfirmed)
    register_daily("newsletter_reduce_old_deliveries")(reduce_old_deliveries)
