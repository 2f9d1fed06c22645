"""The signed link where a person sees an order's status and can cancel it (no account needed)."""

from __future__ import annotations

import uuid

from django.core import signing
from django.urls import reverse

from materials.models import Order

_STATUS_SALT = "materials.order-status"


def order_status_token(order: Order) -> str:
    return signing.dumps(str(order.public_id), salt=_STATUS_SALT)


def order_status_path(order: Order) -> str:
    return reverse("materials:order-status", kwargs={"token": order_status_token(order)})


def order_from_status_token(token: str) -> Order | None:
    try:
        public_id = uuid.UUID(signing.loads(token, salt=_STATUS_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Order.objects.filter(public_id=public_id).first()
