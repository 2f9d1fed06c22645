"""The demo catalogue: about ten titles with covers, one low on stock, orders in every status."""

from __future__ import annotations

from PIL import Image

from materials.demo import create_demo_materials
from materials.models import Material, Order
from tests import factories


def test_the_demo_catalogue_has_covers_a_low_title_and_orders_in_every_status(
    db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    contact_point = factories.make_contact_point("Dombås frivilligsentral")

    create_demo_materials(contact_point)
    create_demo_materials(contact_point)  # safe to run twice

    materials = list(Material.objects.all())
    assert len(materials) == 10
    for material in materials:
        with Image.open(material.cover.path) as cover:
            assert cover.size == (300, 420)
    assert [
        m.slug for m in materials if m.is_orderable and m.available < m.low_stock_threshold
    ] == ["etter-helsekurset"]
    assert set(Order.objects.values_list("status", flat=True)) == set(Order.Status.values)
    assert Order.objects.filter(contact_point=contact_point).exists()
    for material in materials:
        assert material.stock >= material.reserved >= 0
