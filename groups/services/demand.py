"""Demand: enough active interests for a topic at a contact point to start a group. A notice opens
once (a partial unique constraint makes it idempotent) and closes when demand falls."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint
from groups import emails as group_emails
from groups.models import (
    DemandNotice,
    Interest,
)

logger = logging.getLogger(__name__)


def demand_counts(contact_point: ContactPoint) -> dict[int, int]:
    """Active interests per topic id, within the municipalities the contact point covers."""
    rows = (
        Interest.objects.at(contact_point)
        .active()
        .filter(municipality__in=municipality_ids(contact_point))
        .values("topic")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["topic"]: row["n"] for row in rows}


def demand_check(*, contact_point: ContactPoint | None) -> int:
    """Open a notice (and email the staff and the district office once) for every topic that
    reached DEMAND_THRESHOLD; close notices whose demand fell below it, so a later rise
    notifies again. Safe to run twice or at the same time: one open notice per contact point
    and topic is a database constraint. Returns the number of notices opened."""
    if contact_point is None:
        return 0
    threshold = settings.DEMAND_THRESHOLD
    counts = demand_counts(contact_point)
    now = timezone.now()
    open_notices = {
        notice.topic_id: notice
        for notice in DemandNotice.objects.filter(contact_point=contact_point, closed_at=None)
    }
    for topic_id, notice in open_notices.items():
        count = counts.get(topic_id, 0)
        if count < threshold:
            DemandNotice.objects.filter(pk=notice.pk, closed_at=None).update(closed_at=now)
        elif count != notice.active_interests:
            DemandNotice.objects.filter(pk=notice.pk).update(active_interests=count)

    opened = 0
    for topic_id, count in counts.items():
        if count < threshold or topic_id in open_notices:
            continue
        try:
            with transaction.atomic():
                notice = DemandNotice.objects.create(
                    contact_point=contact_point, topic_id=topic_id, active_interests=count
                )
                group_emails.demand_notice(notice)
                logger.info("demand: notice %s opened", notice.pk)
        except IntegrityError:
            # Another request opened it a moment ago; that one sends the email.
            continue
        opened += 1
    return opened


def demand_check_all() -> int:
    """The daily job: every contact point with active interests or an open notice."""
    with_interest = Interest.objects.active().values("contact_point")
    with_notice = DemandNotice.objects.filter(closed_at=None).values("contact_point")
    contact_points = ContactPoint.objects.filter(
        Q(pk__in=with_interest) | Q(pk__in=with_notice)
    ).select_related("municipality__county")
    return sum(demand_check(contact_point=cp) for cp in contact_points)
