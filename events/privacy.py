"""One person's registrations and waiting-list entries, for the per-person export and erasure
(`selvhjelp.privacy`)."""

from __future__ import annotations

from typing import Any

from events.models import Registration
from selvhjelp.models import OutgoingEmail


def export(email: str) -> list[dict[str, Any]]:
    rows = Registration.objects.filter(email__iexact=email).select_related("event")
    return [
        {
            "event": r.event.title,
            "starts_at": r.event.starts_at.isoformat() if r.event.starts_at else None,
            "status": r.status,
            "name": r.name,
            "email": r.email,
            "phone": r.phone,
            "diet": r.diet,
            "accessibility": r.accessibility,
            "organisation": r.organisation,
            "answer": r.answer,
            "consent_version": r.consent_version,
            "created_at": r.created_at.isoformat(),
        }
        for r in rows
    ]


def erase(email: str) -> int:
    """The registrations, and the event emails to the person (they name the events)."""
    OutgoingEmail.objects.filter(to__iexact=email, kind__startswith="event-").delete()
    deleted, _ = Registration.objects.filter(email__iexact=email).delete()
    return deleted
