"""Panels of the groups app for the area home pages (inclusion tags).

The workspace home (contactpoints) and the district dashboard (selvhjelp) load these in their
templates, so they show groups' data without importing groups: dependencies point one way
(selvhjelp ← contactpoints ← groups), and later apps add panels of their own the same way.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.db.models import Count, F, Q

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint
from groups.models import DemandNotice, Group, Interest
from selvhjelp.models import DistrictOffice

register = template.Library()


@register.inclusion_tag("groups/panels/workspace_interests.html")
def workspace_interests_panel(contact_point: ContactPoint, can_see_people: bool) -> dict:
    """Interest counts by status and the demand by topic and municipality. The district office
    sees the counts here, never the people (`can_see_people` hides the links to them)."""
    interests = Interest.objects.at(contact_point)
    by_status = dict(
        interests.values("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
    )
    demand = (
        interests.active()
        .filter(municipality__in=municipality_ids(contact_point))
        .values("topic__pk", "topic__name", "municipality__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__name", "municipality__name")
    )
    return {
        "contact_point": contact_point,
        "can_see_people": can_see_people,
        "counts": [
            (label, by_status.get(value, 0), value) for value, label in Interest.Status.choices
        ],
        "demand": list(demand),
        "open_notices": list(
            DemandNotice.objects.filter(contact_point=contact_point, closed_at=None).select_related(
                "topic"
            )
        ),
        "threshold": settings.DEMAND_THRESHOLD,
    }


@register.inclusion_tag("groups/panels/workspace_groups.html")
def workspace_groups_panel(contact_point: ContactPoint, can_see_people: bool) -> dict:
    """How many of the contact point's groups are at each stage, from one small query."""
    counts = dict.fromkeys(Group.Stage.values, 0)
    for group in contact_point.groups.only(
        "contact_point", "status", "approval_status", "stale_since", "is_published"
    ):
        counts[group.stage] += 1
    return {
        "contact_point": contact_point,
        "can_see_people": can_see_people,
        "group_stages": [(value, label, counts[value]) for value, label in Group.Stage.choices],
    }


@register.inclusion_tag("groups/panels/district_todo.html")
def district_groups_todo(office: DistrictOffice, counties: list[str]) -> dict:
    """The office's to-do items from groups: approvals, groups to follow up, its own interests."""
    attention = (
        Group.objects.in_counties(counties)
        .needs_attention()
        .aggregate(
            stale=Count("pk", filter=Q(stale_since__isnull=False)),
            pending=Count("pk", filter=Q(stale_since__isnull=True)),
        )
    )
    return {
        "office": office,
        "waiting": Group.objects.in_counties(counties)
        .filter(approval_status=Group.Approval.SUBMITTED)
        .count(),
        "stale_count": attention["stale"],
        "pending_count": attention["pending"],
        "own_interest_count": Interest.objects.at(office).active().count(),
    }


@register.inclusion_tag("groups/panels/district_groups.html")
def district_groups_panel(office: DistrictOffice, counties: list[str]) -> dict:
    """Groups by status and by approval, and active interests by contact point, topic and
    municipality. Counts only: the people on a contact point's list are the contact point's."""
    groups = Group.objects.in_counties(counties)
    status_counts = dict(groups.values_list("status").annotate(n=Count("pk")).order_by())
    approval_counts = dict(groups.values_list("approval_status").annotate(n=Count("pk")).order_by())
    interests = (
        Interest.objects.active()
        .in_counties(counties)
        .values("contact_point__name", "topic__name", "municipality__name")
        .annotate(n=Count("pk"))
        .order_by(
            F("contact_point__name").asc(nulls_first=True), "topic__name", "municipality__name"
        )
    )
    return {
        "office": office,
        "status_rows": [
            (value, label, status_counts.get(value, 0)) for value, label in Group.Status.choices
        ],
        "approval_rows": [
            (value, label, approval_counts.get(value, 0)) for value, label in Group.Approval.choices
        ],
        "interest_rows": list(interests),
    }
