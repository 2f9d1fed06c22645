"""One person's newsletter data, for export and erasure (selvhjelp/privacy.py)."""

from __future__ import annotations

from typing import Any

from newsletter.models import Delivery, Subscriber
from selvhjelp import privacy


def export(email: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for s in Subscriber.objects.filter(email=email):
        rows.append(
            {
                "type": "subscriber",
                "email": s.email,
                "name": s.name,
                "lists": list(s.lists),
                "region": s.region.name if s.region else "",
                "consent_version": s.consent_version,
                "consent_channel": s.consent_channel,
                "signed_up": s.created_at.isoformat(),
                "confirmed": s.confirmed_at.isoformat() if s.confirmed_at else "",
            }
        )
    for d in Delivery.objects.filter(email=email).select_related("issue"):
        rows.append(
            {
                "type": "delivery",
                "newsletter": d.issue.subject,
                "status": d.status,
                "sent": d.sent_at.isoformat() if d.sent_at else "",
            }
        )
    return rows


def erase(email: str) -> int:
    deleted = Delivery.objects.filter(email=email).delete()[0]
    return deleted + Subscriber.objects.filter(email=email).delete()[0]


def register() -> None:
    privacy.register("newsletter", export=export, erase=erase)
