"""A contact point orders from its workspace, with its address filled in and the staff caps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from materials.models import Order
from selvhjelp.models import OutgoingEmail
from tests import factories
from tests.materials.factories import make_material, order_form_data, place_order


@pytest.fixture
def material(db):
    return make_material("Standardbrosjyre for kontaktpunkter", stock=1000, low_stock_threshold=0)


def test_the_order_form_has_the_contact_points_address_filled_in(cp_user, contact_point, material):
    contact_point.street_address = "Sentrumsvegen 3"
    contact_point.save()
    client = factories.logged_in_client(cp_user)
    url = reverse("workspace:material-order-create", kwargs={"slug": contact_point.slug})

    form = client.get(url).context["form"]

    assert form["street_address"].value() == "Sentrumsvegen 3"
    assert form["postcode"].value() == "2660"
    assert form["organisation"].value() == contact_point.name
    assert form.fields[f"antall_{material.pk}"].max_value == 200


def test_the_contact_point_orders_150_copies_and_sees_the_order_in_its_list(
    cp_user, contact_point, material
):
    client = factories.logged_in_client(cp_user)
    url = reverse("workspace:material-order-create", kwargs={"slug": contact_point.slug})

    response = client.post(url, order_form_data({material: 150}, email="post@dombas.example"))

    assert response.status_code == 302
    order = Order.objects.get()
    assert order.is_staff_order and order.contact_point == contact_point
    assert order.placed_by == cp_user
    assert order.status == Order.Status.RECEIVED
    assert OutgoingEmail.objects.filter(
        kind="materials-order-confirmation", to="post@dombas.example"
    ).exists()
    listing = client.get(response["Location"])
    assert order.number in listing.content.decode()
    assert "150 × Standardbrosjyre" in listing.content.decode()


def test_the_staff_cap_per_title_is_enforced(cp_user, contact_point, material):
    client = factories.logged_in_client(cp_user)
    url = reverse("workspace:material-order-create", kwargs={"slug": contact_point.slug})
    response = client.post(url, order_form_data({material: 201}))
    assert "høyst 200" in " ".join(response.context["form"].errors[f"antall_{material.pk}"])
    assert not Order.objects.exists()


def test_a_contact_point_does_not_see_another_contact_points_orders(
    cp_user, contact_point, other_contact_point, material
):
    place_order({material: 5}, staff=True, contact_point=other_contact_point)
    client = factories.logged_in_client(cp_user)
    own = client.get(reverse("workspace:material-orders", kwargs={"slug": contact_point.slug}))
    assert list(own.context["orders"]) == []
    other = reverse("workspace:material-orders", kwargs={"slug": other_contact_point.slug})
    assert client.get(other).status_code == 404
    assert (
        client.post(
            reverse("workspace:material-order-create", kwargs={"slug": other_contact_point.slug}),
            order_form_data({material: 5}),
        ).status_code
        == 404
    )
    assert Order.objects.count() == 1


def test_the_national_admin_pages_need_an_authenticator_app(db, national_admin):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=national_admin).delete()
    client = factories.logged_in_client(national_admin)
    for name in ["materials:fulfilment-list", "materials:stock-list", "materials:figures"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
