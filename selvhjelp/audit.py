"""The audit log: who looked at, exported, changed or erased personal data."""

from __future__ import annotations

from selvhjelp.models import AuditEntry


def audit_log(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: object = "",
    contact_point_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one append-only row. `detail` must never hold personal data (ids and counts only)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        contact_point_id=contact_point_id,
        detail=detail[:250],
    )
