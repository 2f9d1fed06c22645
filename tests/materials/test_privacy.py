"""Names and addresses go a set time after shipping; the counts stay. Export and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from materials import services
from materials.jobs import delete_old_addresses
from materials.models import Order
from selvhjelp import privacy
from selvhjelp.jobs import DAILY_JOBS
from tests import factories
from tests.materials.factories import address, make_material, place_order


@pytest.fixture
def material(db):
    return make_material("Hva er en selvhjelpsgruppe", stock=100, low_stock_threshold=0)


def _shipped(material, *, days_ago: int, **address_fields) -> Order:
    order = place_order({material: 3}, address=address(**address_fields))
    services.order_pack(order=order, by=None)
    services.order_ship(order=order, by=None)
    Order.objects.filter(pk=order.pk).update(shipped_at=timezone.now() - timedelta(days=days_ago))
    return order


def test_names_and_addresses_go_three_months_after_shipping_and_the_counts_stay(
    material, national_admin
):
    old = _shipped(material, days_ago=91, street_address="Gammel vei 1")
    recent = _shipped(material, days_ago=30, street_address="Ny vei 1")
    assert "materials_delete_addresses" in DAILY_JOBS

    assert delete_old_addresses() == 1
    assert delete_old_addresses() == 0  # safe to run twice

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.street_address, old.email, old.phone, old.postal_code) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert old.county.name == "Innlandet"
    assert old.lines.get().quantity == 3
    assert recent.name == "Siri Hansen"
    client = factories.logged_in_client(national_admin)
    figures = client.get(reverse("materials:figures")).context["rows"]
    assert sum(row["copies"] for row in figures) == 6


def test_an_open_order_is_not_cleaned_up(material):
    order = place_order({material: 1})
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert delete_old_addresses() == 0


def test_export_lists_the_persons_orders_and_erasure_cancels_and_deletes_them(material):
    shipped = _shipped(material, days_ago=1, email="siri@example.test")
    open_order = place_order(
        {material: 2}, address=address(email="Siri@Example.test", street_address="Annen vei")
    )
    someone_else = place_order(
        {material: 1}, address=address(email="ola@example.test", street_address="Tredje vei")
    )

    exported = privacy.export_person("siri@example.test")["materials"]
    assert {row["order"] for row in exported} == {shipped.number, open_order.number}
    assert exported[0]["lines"][0]["title"] == "Hva er en selvhjelpsgruppe"

    assert privacy.erase_person("siri@example.test")["materials"] == 2

    open_order.refresh_from_db()
    shipped.refresh_from_db()
    assert open_order.status == Order.Status.CANCELLED and open_order.name == ""
    assert shipped.email == "" and shipped.status == Order.Status.SHIPPED
    material.refresh_from_db()
    assert material.reserved == 1  # only the other person's order is still reserved
    someone_else.refresh_from_db()
    assert someone_else.name == "Siri Hansen"
    assert privacy.export_person("siri@example.test")["materials"] == []


def test_the_figures_count_copies_per_title_county_and_month_and_export_csv(
    material, national_admin
):
    _shipped(material, days_ago=0)
    _shipped(material, days_ago=0, postcode="0182")
    place_order({material: 9}, address=address(street_address="Ikke sendt"))
    client = factories.logged_in_client(national_admin)

    rows = client.get(reverse("materials:figures")).context["rows"]
    assert {(row["order__county__name"], row["copies"]) for row in rows} == {
        ("Innlandet", 3),
        ("Oslo", 3),
    }
    csv = client.get(reverse("materials:figures-csv"))
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "Måned,Tittel,Fylke,Eksemplarer,Bestillinger"
    month = timezone.localdate().strftime("%Y-%m")
    assert f"{month},Hva er en selvhjelpsgruppe,Oslo,3,1" in lines


def test_erasure_leaves_no_trace_of_the_person_in_any_table(material):
    from django.apps import apps
    from django.db import models

    from selvhjelp.models import OutgoingEmail

    order = place_order(
        {material: 1},
        address=address(
            name="Kanari Fugl", email="kanari@example.test", street_address="Kanarivegen 9"
        ),
    )
    services.order_pack(order=order, by=None)
    services.order_ship(order=order, by=None)
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT)

    privacy.erase_person("kanari@example.test")

    found = []
    for model in apps.get_models():
        columns = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and f.concrete
        ]
        for canary in ("Kanari Fugl", "kanari@example.test", "Kanarivegen"):
            query = models.Q()
            for column in columns:
                query |= models.Q(**{f"{column}__icontains": canary})
            if columns and model._default_manager.filter(query).exists():
                found.append((model.__name__, canary))
    assert found == []
