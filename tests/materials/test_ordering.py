"""Ordering without an account: the basket, the address, the caps and every refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from materials.models import Material, Order
from selvhjelp.models import OutgoingEmail
from tests import factories
from tests.materials.factories import make_material, order_form_data

URL = reverse("materials:order-create")


@pytest.fixture
def pocket(db):
    return make_material("Hva er en selvhjelpsgruppe", stock=100)


@pytest.fixture
def relatives(db):
    return make_material("For pårørende", stock=100, audience=Material.Audience.RELATIVES)


def test_a_person_orders_two_titles_and_gets_a_confirmation_with_a_status_link(
    client, pocket, relatives
):
    response = client.post(URL, order_form_data({pocket: 2, relatives: 3}))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/materiell/bestilling/")
    assert order.status == Order.Status.RECEIVED
    assert order.postal_code_id == "2660" and order.county.name == "Innlandet"
    assert {(line.material, line.quantity) for line in order.lines.all()} == {
        (pocket, 2),
        (relatives, 3),
    }
    pocket.refresh_from_db()
    assert (pocket.stock, pocket.reserved) == (100, 2)
    email = OutgoingEmail.objects.get(kind="materials-order-confirmation")
    assert email.to == "siri@example.test"
    assert order.number in email.subject
    assert "2 × Hva er en selvhjelpsgruppe" in email.body_text
    assert f"2660 {order.postal_code.place}" in email.body_text
    status_path = response["Location"].split("?")[0]
    assert status_path in email.body_text and status_path in email.body_html
    page = client.get(response["Location"])
    assert "Takk!" in page.content.decode()


def test_the_title_page_link_puts_one_copy_in_the_basket(client, pocket):
    response = client.get(URL + f"?tittel={pocket.slug}")
    assert response.context["form"][f"antall_{pocket.pk}"].value() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Antallet kan ikke være mindre enn 0."),
        ("tre", "Skriv antallet som et helt tall"),
        ("11", "Du kan bestille høyst 10 av denne."),
    ],
)
def test_a_bad_quantity_is_refused_next_to_its_title_and_the_rest_is_kept(
    client, pocket, relatives, value, message
):
    data = order_form_data({relatives: 1}, **{f"antall_{pocket.pk}": value})

    response = client.post(URL, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[f"antall_{pocket.pk}"])
    assert form["street_address"].value() == "Storvegen 1"
    assert form[f"antall_{relatives.pk}"].value() == "1"
    assert not Order.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_empty_basket_is_refused(client, pocket):
    response = client.post(URL, order_form_data({pocket: 0}))
    assert "Handlekurven er tom" in " ".join(response.context["form"].non_field_errors())
    assert not Order.objects.exists()


def test_an_unknown_postcode_is_refused_next_to_the_field(client, pocket):
    response = client.post(URL, order_form_data({pocket: 1}, postcode="0000"))
    errors = response.context["form"].errors["postcode"]
    assert "Vi finner ikke postnummeret «0000»" in errors[0]
    assert not Order.objects.exists()


def test_more_than_is_left_is_refused_for_that_line_and_nothing_is_saved(client, pocket):
    scarce = make_material("Arbeidshefte", stock=3)

    response = client.post(URL, order_form_data({pocket: 2, scarce: 5}))

    errors = response.context["form"].errors
    assert errors[f"antall_{scarce.pk}"] == ["Vi har bare 3 eksemplarer igjen."]
    assert not Order.objects.exists()
    pocket.refresh_from_db()
    assert pocket.reserved == 0


def test_a_title_that_has_run_out_says_so(client, pocket):
    empty = make_material("Tom", stock=0)
    response = client.post(URL, order_form_data({empty: 1}))
    assert response.context["form"].errors[f"antall_{empty.pk}"] == [
        "Denne er dessverre tom på lager."
    ]


def test_a_title_that_cannot_be_ordered_is_not_in_the_form_and_is_refused_by_the_service(
    client, pocket
):
    pdf_only = make_material("Bare PDF", is_orderable=False)
    response = client.get(URL)
    assert f"antall_{pdf_only.pk}" not in response.context["form"].fields

    from django.core.exceptions import ValidationError

    from tests.materials.factories import place_order

    with pytest.raises(ValidationError) as refused:
        place_order({pdf_only: 1})
    assert "kan ikke bestilles" in str(refused.value.message_dict)
    assert not Order.objects.exists()


def test_the_public_order_cap_is_enforced(db, client, settings):
    settings.MATERIALS_ORDER_CAP_PUBLIC = 15
    titles = [make_material(f"Tittel {n}", stock=100) for n in range(2)]
    response = client.post(URL, order_form_data({titles[0]: 10, titles[1]: 8}))
    assert "høyst 15 eksemplarer til sammen" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert not Order.objects.exists()


def test_staff_get_the_higher_caps(pocket, district_user):
    pocket.stock = 1000
    pocket.save()
    client = factories.logged_in_client(district_user)

    response = client.post(URL, order_form_data({pocket: 150}))

    assert response.status_code == 302
    assert Order.objects.get().is_staff_order


def test_a_large_public_order_waits_for_approval(db, client, settings):
    settings.MATERIALS_REVIEW_COPIES = 15
    titles = [make_material(f"Tittel {n}", stock=100) for n in range(2)]
    client.post(URL, order_form_data({titles[0]: 10, titles[1]: 5}))
    order = Order.objects.get()
    assert order.status == Order.Status.AWAITING_APPROVAL
    assert order.review_reason == "large"


def test_many_orders_to_one_address_wait_for_approval_and_then_hit_the_monthly_cap(
    client, pocket, settings
):
    settings.MATERIALS_REVIEW_ORDERS_PER_ADDRESS = 2
    settings.MATERIALS_ADDRESS_MONTHLY_CAP = 25
    settings.RATE_LIMIT_ORDER_PER_EMAIL = 100
    for n in range(2):
        client.post(URL, order_form_data({pocket: 10}, email=f"person{n}@example.test"))
    first, second = Order.objects.order_by("pk")
    assert first.status == Order.Status.RECEIVED
    assert second.status == Order.Status.AWAITING_APPROVAL
    assert second.review_reason == "same_address"

    response = client.post(URL, order_form_data({pocket: 10}, email="person3@example.test"))

    assert "bestilt mye den siste måneden" in " ".join(response.context["form"].non_field_errors())
    assert Order.objects.count() == 2


def test_a_filled_honeypot_saves_nothing(client, pocket):
    response = client.post(URL, order_form_data({pocket: 1}, website="http://spam.example"))
    assert response.status_code == 302
    assert not Order.objects.exists()


def test_the_rate_limit_per_ip_refuses_with_429_and_keeps_the_input(client, pocket, settings):
    settings.RATE_LIMIT_ORDER_PER_IP = 1
    client.post(URL, order_form_data({pocket: 1}))
    response = client.post(URL, order_form_data({pocket: 1}, email="annen@example.test"))
    assert response.status_code == 429
    assert response.context["form"]["email"].value() == "annen@example.test"
    assert Order.objects.count() == 1


def test_the_rate_limit_fails_open_when_the_cache_is_down(client, pocket, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.post(URL, order_form_data({pocket: 1}))
    assert response.status_code == 302
    assert Order.objects.count() == 1
