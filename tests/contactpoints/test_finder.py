"""The contact point finder at /kontaktpunkter/ and the contact point page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Group
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("contactpoints:contactpoint-search")


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def names(response) -> list[str]:
    return [cp.name for cp in response.context["contact_points"]]


def test_it_sorts_contact_points_by_distance_and_shows_the_distance(
    client, contact_point, other_contact_point
):
    factories.make_contact_point("Lesja frivilligsentral", postcode="2665")

    response, html = search(client, sted="2660", avstand="100")

    assert names(response) == ["Dombås frivilligsentral", "Lesja frivilligsentral"]
    assert "km" in html


def test_it_only_lists_contact_points_within_the_radius(client, contact_point, other_contact_point):
    response, _ = search(client, sted="Oslo", avstand="25")

    assert names(response) == ["LINK Oslo"]


def test_it_shows_the_nearest_contact_points_when_none_is_in_range(client, contact_point):
    response, html = search(client, sted="Tromsø", avstand="5")

    assert names(response) == []
    assert [cp.name for cp in response.context["nearest_contact_points"]] == [contact_point.name]
    assert contact_point.name in html


@pytest.mark.parametrize("typed", ["2660", "Dombaas", "Dovre"])
def test_it_understands_postcodes_and_ascii_spellings(client, contact_point, typed):
    response, _ = search(client, sted=typed)

    assert names(response) == [contact_point.name]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sted": "Xyzzy"}, "Vi finner ikke «Xyzzy»"),
        ({"sted": "2660", "avstand": "3"}, "Velg en avstand fra listen"),
        ({"lat": "x", "lon": "y"}, "Vi klarte ikke å lese posisjonen"),
        ({"lat": "91", "lon": "10"}, "Posisjonen din ser ikke riktig ut"),
    ],
)
def test_it_explains_bad_input_on_a_normal_page(client, contact_point, params, message):
    response, html = search(client, **params)

    assert response.context["form"].errors
    assert message in html


def test_it_keeps_what_was_typed(client):
    _, html = search(client, sted="Xyzzy")

    assert 'value="Xyzzy"' in html


def test_it_searches_from_the_browser_position(client, contact_point):
    response, _ = search(client, lat=str(contact_point.latitude), lon=str(contact_point.longitude))

    assert names(response) == [contact_point.name]


def test_it_hides_unpublished_contact_points(client, contact_point):
    factories.make_contact_point("Skjult sentral", postcode="2660", is_published=False)

    response, _ = search(client, sted="2660")

    assert names(response) == [contact_point.name]
    response = client.get(
        reverse("contactpoints:contactpoint-detail", kwargs={"slug": "skjult-sentral"})
    )
    assert response.status_code == 404


def test_the_page_shows_contact_details_host_and_public_groups(client, contact_point):
    contact_point.phone = "+47 61 24 00 00"
    contact_point.opening_hours = "Mandag–fredag 09–15"
    contact_point.save()
    topic = factories.make_topic("Sorg")
    factories.make_group(contact_point, name="Synlig gruppe", topics=[topic])
    factories.make_group(
        contact_point, name="Upublisert gruppe", topics=[topic], is_published=False
    )
    factories.make_group(
        contact_point, name="Avsluttet gruppe", topics=[topic], status=Group.Status.ENDED
    )

    response = client.get(contact_point.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "+47 61 24 00 00" in html and "Mandag–fredag 09–15" in html
    assert "Frivilligsentral" in html and contact_point.host_organisation in html
    assert "Synlig gruppe" in html
    assert "Upublisert gruppe" not in html and "Avsluttet gruppe" not in html
    assert "Hemmeligveien" not in html
    assert f"kontaktpunkt={contact_point.slug}" in html


def test_the_page_leaves_out_groups_hidden_as_unconfirmed(client, contact_point):
    topic = factories.make_topic("Sorg")
    factories.make_group(contact_point, name="Synlig gruppe", topics=[topic])
    factories.make_group(
        contact_point, name="Ubekreftet gruppe", topics=[topic], stale_since=timezone.now()
    )

    html = client.get(contact_point.get_absolute_url()).content.decode()

    assert "Synlig gruppe" in html
    assert "Ubekreftet gruppe" not in html


@pytest.mark.parametrize("size", [10, 220])
def test_it_uses_the_same_number_of_queries_for_few_and_many_groups(
    client, contact_point, django_assert_max_num_queries, size
):
    from tests.groups.conftest import bulk_groups

    bulk_groups(contact_point, factories.make_topic("Sorg"), size)
    for n in range(size // 10):
        factories.make_contact_point(f"Sentral {n}", postcode="2660")

    with django_assert_max_num_queries(4):
        assert client.get(URL, {"sted": "2660"}).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(contact_point.get_absolute_url()).status_code == 200
