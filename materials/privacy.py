"""One person's material orders, for export and erasure (selvhjelp/privacy.py)."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError

from materials.models import Order
from materials.services import order_cancel, orders_anonymise
from selvhjelp import privacy


def export(email: str) -> list[dict]:
    orders = Order.objects.filter(email__iexact=email).select_related("postal_code")
    return [
        {
            "order": order.number,
            "status": order.status,
            "created_at": order.created_at.isoformat(),
            "name": order.name,
            "organisation": order.organisation,
            "street_address": order.street_address,
            "postcode": order.postal_code_id,
            "place": order.postal_code.place if order.postal_code else "",
            "email": order.email,
            "phone": order.phone,
            "lines": [
                {"title": line.material.title, "quantity": line.quantity}
                for line in order.lines.select_related("material")
            ],
        }
        for order in orders
    ]


def erase(email: str) -> int:
    """Open orders are cancelled first (their copies go back on the shelf); then every order's
    name and address is deleted. The copies per title and county stay, without the person."""
    orders = Order.objects.filter(email__iexact=email)
    for order in orders.open():
        # Moved on meanwhile: its address is deleted all the same.
        with contextlib.suppress(ValidationError):
            order_cancel(order=order)
    return orders_anonymise(orders)


privacy.register("materials", export=export, erase=erase)
