"""The materials app's emails: one function per message, each a template triple in
templates/emails/materials-<name>-*.txt/html, queued in the outbox in the caller's transaction."""

from __future__ import annotations

from django.urls import reverse

from materials.tokens import order_status_path
from selvhjelp.emails import absolute_url, queue
from selvhjelp.models import User


def order_confirmation(order, *, status_url: str, language: str = "nb") -> None:
    queue(
        to=order.email,
        name="materials-order-confirmation",
        context={
            "order": order,
            "number": order.number,
            "lines": list(order.lines.select_related("material")),
            "status_url": absolute_url(status_url),
        },
        language=language,
    )


def order_shipped(order, lines) -> None:

    queue(
        to=order.email,
        name="materials-order-shipped",
        context={
            "order": order,
            "number": order.number,
            "lines": lines,
            "status_url": absolute_url(order_status_path(order)),
        },
    )


def low_stock(material) -> None:
    """To every national admin: they pack the orders and restock."""
    url = absolute_url(reverse("materials:stock-list"))
    for email in User.objects.filter(is_national_admin=True, is_active=True).values_list(
        "email", flat=True
    ):
        queue(
            to=email,
            name="materials-low-stock",
            context={"material": material, "title": material.title, "stock_url": url},
        )
