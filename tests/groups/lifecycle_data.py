"""Shared data for the approval, life cycle, confirmation and district office tests."""

from __future__ import annotations

import datetime

from contactpoints.models import ContactPoint, Facilitator
from groups.models import Group
from tests import factories


def ready_draft(contact_point: ContactPoint, name: str = "Sorggruppe Dovre", **extra) -> Group:
    """A draft with everything approval needs: a facilitator, a schedule and a public area."""
    defaults = {
        "is_published": False,
        "status": Group.Status.PLANNED,
        "approval_status": Group.Approval.DRAFT,
        "description": "En trygg gruppe for deg som har mistet noen.",
        "weekday": 2,
        "start_time": datetime.time(18, 0),
    }
    defaults.update(extra)
    group = factories.make_group(contact_point, name=name, **defaults)
    facilitator = Facilitator.objects.create(name="Frida Fasilitator", email="frida@example.test")
    facilitator.contact_points.add(contact_point)
    group.facilitators.add(facilitator)
    return group


def submitted(contact_point: ContactPoint, name: str = "Sorggruppe Dovre", **extra) -> Group:
    return ready_draft(contact_point, name=name, approval_status=Group.Approval.SUBMITTED, **extra)


def approved(contact_point: ContactPoint, name: str = "Sorggruppe Dovre", **extra) -> Group:
    extra.setdefault("status", Group.Status.RUNNING)
    return ready_draft(
        contact_point,
        name=name,
        approval_status=Group.Approval.APPROVED,
        is_published=True,
        **extra,
    )
