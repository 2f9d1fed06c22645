"""Stock never goes below zero: reserved at order, taken at shipping, returned at cancelling;
one low-stock email per shortage; restocking with a note."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection
from django.urls import reverse

from materials import services, tokens
from materials.models import Material, Order, OrderLine
from selvhjelp.models import OutgoingEmail
from tests import factories
from tests.materials.factories import address, make_material, place_order


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_orders_for_the_last_ten_copies_allocate_exactly_ten(
    transactional_db,
):
    material = make_material("Siste eksemplarer", stock=10, low_stock_threshold=0)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def order(n: int) -> None:
        try:
            barrier.wait()
            place_order({material: 1}, address=address(email=f"p{n}@example.test"))
            result = "placed"
        except ValidationError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=order, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    material.refresh_from_db()
    assert outcomes.count("placed") == 10
    assert outcomes.count("refused") == 10
    assert material.reserved == 10
    assert OrderLine.objects.filter(material=material).count() == 10
    assert sum(line.quantity for line in OrderLine.objects.filter(material=material)) == 10


def test_the_database_refuses_more_reserved_than_on_the_shelf(db):
    material = make_material(stock=1)
    material.reserved = 2
    with pytest.raises(IntegrityError):
        material.save()


def test_shipping_takes_the_copies_and_cancelling_returns_the_reservation(db, national_admin):
    material = make_material(stock=50)
    shipped = place_order({material: 5})
    cancelled = place_order({material: 3}, address=address(street_address="Annen vei 2"))
    services.order_pack(order=shipped, by=national_admin)
    services.order_ship(order=shipped, by=national_admin)
    services.order_cancel(order=cancelled, by=national_admin)

    material.refresh_from_db()
    assert (material.stock, material.reserved) == (45, 0)


def test_staff_may_back_order_where_the_title_allows_it_and_it_is_reserved_when_packed(
    db, national_admin
):
    material = make_material(stock=5, allow_backorder=True, low_stock_threshold=0)
    order = place_order({material: 20}, staff=True)
    line = order.lines.get()
    assert line.is_backorder
    material.refresh_from_db()
    assert material.reserved == 0

    with pytest.raises(ValidationError, match="venter på"):
        services.order_pack(order=order, by=national_admin)
    services.material_restock(material=material, quantity=30, note="Nytt trykk", by=national_admin)
    services.order_pack(order=order, by=national_admin)

    material.refresh_from_db()
    assert material.reserved == 20
    assert not order.lines.get().is_backorder


def test_the_public_never_back_orders(db):
    material = make_material(stock=2, allow_backorder=True)
    with pytest.raises(ValidationError):
        place_order({material: 5})


def test_one_low_stock_email_per_title_until_it_is_restocked(db, national_admin):
    material = make_material(stock=30, low_stock_threshold=20)
    place_order({material: 5}, address=address(street_address="A 1"))
    assert not OutgoingEmail.objects.filter(kind="materials-low-stock").exists()

    place_order({material: 6}, address=address(street_address="B 1"))
    place_order({material: 2}, address=address(street_address="C 1"))

    emails = OutgoingEmail.objects.filter(kind="materials-low-stock")
    assert emails.count() == 1
    assert emails.get().to == national_admin.email
    assert material.title in emails.get().subject
    assert "19 ledige" in emails.get().body_text

    services.material_restock(material=material, quantity=10, note="Levert", by=national_admin)
    material.refresh_from_db()
    assert material.available == 27
    assert material.low_stock_notified_at is None
    place_order({material: 5}, address=address(street_address="D 1"))
    assert emails.count() == 1
    place_order({material: 5}, address=address(street_address="E 1"))
    assert emails.count() == 2


def test_restocking_is_recorded_with_a_note_from_the_stock_page(db, national_admin):
    material = make_material(stock=10)
    client = factories.logged_in_client(national_admin)
    url = reverse("materials:stock-restock", kwargs={"pk": material.pk})

    refused = client.post(url, {"quantity": "", "note": ""})
    assert refused.status_code == 200
    assert "Skriv en kort merknad" in " ".join(refused.context["form"].errors["note"])
    response = client.post(url, {"quantity": "40", "note": "Nytt opplag fra trykkeriet"})

    assert response.status_code == 302
    material.refresh_from_db()
    assert material.stock == 50
    restock = material.restocks.get()
    assert (restock.note, restock.by) == ("Nytt opplag fra trykkeriet", national_admin)


def test_a_person_cancels_from_the_status_link_while_not_packed(client, db, national_admin):
    material = make_material(stock=10)
    order = place_order({material: 4})
    url = tokens.order_status_path(order)

    response = client.post(url)

    assert response.status_code == 302
    order.refresh_from_db()
    material.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert material.reserved == 0
    assert "Avbestilt" in client.get(url).content.decode()


def test_a_packed_or_shipped_order_cannot_be_cancelled_from_the_link(client, db, national_admin):
    material = make_material(stock=10)
    order = place_order({material: 4})
    services.order_pack(order=order, by=national_admin)
    services.order_ship(order=order, by=national_admin)

    response = client.post(tokens.order_status_path(order))

    assert "kan ikke avbestilles" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED


def test_a_tampered_status_link_shows_a_calm_404(client, db):
    order = place_order({make_material(stock=10): 1})
    token = tokens.order_status_token(order)
    response = client.get(reverse("materials:order-status", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 404
    assert "Vi finner ikke bestillingen" in response.content.decode()
    assert Material.objects.get().reserved == 1
