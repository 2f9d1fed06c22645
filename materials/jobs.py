from __future__ import annotations

from materials.services import orders_anonymise, orders_past_retention
from selvhjelp.jobs import register_daily


@register_daily("materials_delete_addresses")
def delete_old_addresses() -> int:
    """Names and addresses go MATERIALS_RETENTION_DAYS after shipping (or cancelling); the
    counts per title, county and month stay. Safe to run twice."""
    return orders_anonymise(orders_past_retention())
