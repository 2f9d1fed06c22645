"""Panels the staff home (and later the area home pages) can show, without importing materials."""

from __future__ import annotations

from django import template
from django.db.models import Count, F, Q

from materials.models import Material, Order

register = template.Library()


@register.inclusion_tag("materials/panels/admin_panel.html")
def materials_admin_panel() -> dict:
    """For national admins: what waits to be packed or approved, and which titles run low."""
    counts = Order.objects.aggregate(
        waiting=Count("pk", filter=Q(status=Order.Status.AWAITING_APPROVAL)),
        to_pack=Count("pk", filter=Q(status=Order.Status.RECEIVED)),
        to_ship=Count("pk", filter=Q(status=Order.Status.PACKED)),
    )
    low = Material.objects.filter(
        is_orderable=True, stock__lt=F("reserved") + F("low_stock_threshold")
    ).only("pk", "title", "stock", "reserved")
    return {**counts, "low": list(low)}
