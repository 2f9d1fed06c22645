"""The national admins' fulfilment list: filters, bulk actions with history, batch print, the
shipped email, and query budgets."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from materials import services
from materials.models import Order, OrderLine
from selvhjelp.models import OutgoingEmail
from tests import factories
from tests.materials.factories import address, make_material, place_order

LIST = reverse("materials:fulfilment-list")


@pytest.fixture
def admin_client(national_admin):
    return factories.logged_in_client(national_admin)


@pytest.fixture
def material(db):
    return make_material("Hva er en selvhjelpsgruppe", stock=5000, low_stock_threshold=0)


def _orders(material, count: int, postcode: str = "2660") -> list[Order]:
    return [
        place_order(
            {material: 1},
            address=address(postcode, street_address=f"Vei {n}", name=f"Person {n}"),
            staff=True,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("persona", ["outsider", "cp_user", "district_user", "facilitator_user"])
def test_the_fulfilment_pages_do_not_exist_for_anyone_but_national_admins(
    persona_client, persona, material
):
    order = _orders(material, 1)[0]
    client = persona_client(persona)
    for url in (
        LIST,
        reverse("materials:fulfilment-detail", kwargs={"pk": order.pk}),
        reverse("materials:stock-list"),
        reverse("materials:figures"),
    ):
        assert client.get(url).status_code == 404
    assert client.post(LIST, {"ordre": [order.pk], "handling": "ship"}).status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.RECEIVED


def test_the_list_filters_by_status_date_and_county(admin_client, material):
    dombaas = _orders(material, 1)[0]
    oslo = _orders(material, 1, postcode="0182")[0]
    services.order_cancel(order=oslo, by=None)

    def numbers(query: dict) -> set[str]:
        page = admin_client.get(LIST, query).context["page"]
        return {order.number for order in page.object_list}

    assert numbers({}) == {dombaas.number}
    assert numbers({"status": "all"}) == {dombaas.number, oslo.number}
    assert numbers({"status": "cancelled"}) == {oslo.number}
    assert numbers({"status": "all", "fylke": dombaas.county_id}) == {dombaas.number}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert numbers({"status": "all", "fra": tomorrow}) == set()
    assert numbers({"status": "all", "til": tomorrow}) == {dombaas.number, oslo.number}


def test_bulk_pack_and_ship_records_who_and_when_and_emails_the_people(
    admin_client, national_admin, material
):
    orders = _orders(material, 2)
    ids = [order.pk for order in orders]

    admin_client.post(LIST, {"ordre": ids, "handling": "pack"})
    admin_client.post(LIST, {"ordre": ids, "handling": "ship"})

    for order in orders:
        order.refresh_from_db()
        assert order.status == Order.Status.SHIPPED
        assert order.shipped_at is not None
        assert [(e.status, e.by) for e in order.events.all()] == [
            ("received", None),
            ("packed", national_admin),
            ("shipped", national_admin),
        ]
    shipped = OutgoingEmail.objects.filter(kind="materials-order-shipped")
    assert shipped.count() == 2
    email = shipped.get(subject__contains=orders[0].number)
    assert "1 × Hva er en selvhjelpsgruppe" in email.body_text
    assert "Hva er en selvhjelpsgruppe" in email.body_html
    material.refresh_from_db()
    assert (material.stock, material.reserved) == (4998, 0)


def test_a_bulk_action_reports_the_orders_that_cannot_move_and_moves_the_rest(
    admin_client, material
):
    received, packed = _orders(material, 2)
    services.order_pack(order=packed, by=None)

    response = admin_client.post(
        LIST, {"ordre": [received.pk, packed.pk], "handling": "ship"}, follow=True
    )

    text = response.content.decode()
    assert f"Bestilling {received.number} kan ikke sendes nå" in text
    received.refresh_from_db()
    packed.refresh_from_db()
    assert (received.status, packed.status) == ("received", "shipped")


def test_approving_a_waiting_order_lets_it_be_packed(admin_client, material, settings):
    settings.MATERIALS_REVIEW_COPIES = 5
    order = place_order({material: 6})
    assert order.status == Order.Status.AWAITING_APPROVAL
    url = reverse("materials:fulfilment-detail", kwargs={"pk": order.pk})
    admin_client.post(url, {"handling": "pack"})
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_APPROVAL
    admin_client.post(url, {"handling": "approve"})
    admin_client.post(url, {"handling": "pack"})
    order.refresh_from_db()
    assert order.status == Order.Status.PACKED


def test_the_packing_slips_have_one_page_per_order_with_address_and_titles(admin_client, material):
    other = make_material("For pårørende", stock=100, low_stock_threshold=0)
    first = place_order({material: 2, other: 7}, staff=True)
    second = place_order(
        {material: 3},
        address=address("0182", name="Ola Nordmann", street_address="Karl Johans gate 1"),
        staff=True,
    )

    response = admin_client.post(LIST, {"ordre": [first.pk, second.pk], "handling": "slips"})

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    page_one, page_two = (page.extract_text() for page in reader.pages)
    assert first.number in page_one and "Siri Hansen" in page_one and "Storvegen 1" in page_one
    assert "For pårørende" in page_one and "7" in page_one
    assert second.number in page_two and "Karl Johans gate 1" in page_two and "0182" in page_two


def test_the_address_labels_fill_a_3_by_8_sheet_then_start_a_new_one(admin_client, material):
    orders = _orders(material, 25)

    response = admin_client.post(LIST, {"ordre": [o.pk for o in orders], "handling": "labels"})

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert [page.extract_text().count("Vei ") for page in reader.pages] == [24, 1]
    assert "Person 24" in reader.pages[1].extract_text()
    assert "Person 0" in reader.pages[0].extract_text()


@pytest.mark.parametrize("size", [10, 1000])
def test_the_list_makes_a_constant_number_of_queries(
    admin_client, material, size, django_assert_max_num_queries
):
    orders = Order.objects.bulk_create(
        Order(
            name=f"P{n}",
            street_address="Vei 1",
            postal_code_id="2660",
            county_id="34",
            email="p@example.test",
        )
        for n in range(size)
    )
    OrderLine.objects.bulk_create(OrderLine(order=o, material=material, quantity=1) for o in orders)
    with django_assert_max_num_queries(12):
        response = admin_client.get(LIST)
    assert len(response.context["page"].object_list) == min(size, 50)


def test_batch_print_of_100_orders_makes_a_constant_number_of_queries(
    admin_client, material, django_assert_max_num_queries
):
    orders = Order.objects.bulk_create(
        Order(
            name=f"P{n}",
            street_address="Vei 1",
            postal_code_id="2660",
            county_id="34",
            email="p@example.test",
        )
        for n in range(100)
    )
    OrderLine.objects.bulk_create(OrderLine(order=o, material=material, quantity=1) for o in orders)
    ids = [o.pk for o in orders]
    with django_assert_max_num_queries(12):
        response = admin_client.post(LIST, {"ordre": ids, "handling": "slips"})
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 100


def test_the_staff_home_shows_national_admins_what_waits_and_what_runs_low(
    admin_client, material, settings
):
    settings.MATERIALS_REVIEW_COPIES = 5
    low = make_material("Nesten tom", stock=30, low_stock_threshold=20)
    place_order({material: 6})
    place_order({low: 10}, address=address(street_address="Annen vei 1"), staff=True)

    text = admin_client.get(reverse("staff-home")).content.decode()

    assert "1 bestilling venter på godkjenning" in text
    assert "1 bestilling skal pakkes" in text
    assert "Lite igjen av «Nesten tom»: 20 ledige" not in text  # 20 is not under 20
    place_order({low: 1}, address=address(street_address="Tredje vei 1"), staff=True)
    text = admin_client.get(reverse("staff-home")).content.decode()
    assert "Lite igjen av «Nesten tom»: 19 ledige" in text
    assert reverse("materials:stock-restock", kwargs={"pk": low.pk}) in text


def test_the_staff_home_has_no_materials_panel_for_other_staff(db, cp_user):
    client = factories.logged_in_client(cp_user)
    assert "materials-heading" not in client.get(reverse("staff-home")).content.decode()
