"""Builders for the materials tests (their own module, to keep tests/factories.py small)."""

from __future__ import annotations

import itertools

from django.utils.text import slugify

from materials import services
from materials.models import Material, Order
from selvhjelp.models import PostalCode

_seq = itertools.count(1)


def make_material(title: str | None = None, **extra) -> Material:
    title = title or f"Brosjyre {next(_seq)}"
    defaults = {
        "slug": slugify(title),
        "description": "Om selvhjelpsgrupper.",
        "audience": Material.Audience.EVERYONE,
        "languages": ["nb"],
        "format": Material.Format.POCKET,
        "stock": 500,
        "low_stock_threshold": 20,
    }
    defaults.update(extra)
    return Material.objects.create(title=title, **defaults)


def address(postcode: str = "2660", **extra) -> services.Address:
    fields = {
        "name": "Siri Hansen",
        "street_address": "Storvegen 1",
        "postal_code": PostalCode.objects.select_related("municipality").get(code=postcode),
        "email": "siri@example.test",
    }
    fields.update(extra)
    return services.Address(**fields)


def place_order(quantities: dict[Material, int], **extra) -> Order:
    extra.setdefault("address", address())
    return services.order_place(
        quantities={material.pk: qty for material, qty in quantities.items()}, **extra
    )


def order_form_data(quantities: dict[Material, int], **extra) -> dict:
    data = {
        "name": "Siri Hansen",
        "organisation": "",
        "street_address": "Storvegen 1",
        "postcode": "2660",
        "email": "siri@example.test",
        "phone": "",
        "consent": "on",
        "website": "",
    }
    for material, qty in quantities.items():
        data[services.line_field(material.pk)] = str(qty)
    data.update(extra)
    return data
