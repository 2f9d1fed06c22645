"""What anyone can send is bounded and checked before it costs anything: rate limits before
validation, capped lists and bodies, lists looked up in a fixed number of queries, and control
characters refused with a clear message."""

from __future__ import annotations

import pytest

from contactpoints.models import ContactPointApplication
from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import Interest
from selvhjelp.geo import municipalities_lookup, place_lookup
from tests import factories
from tests.factories import application_data

pytestmark = pytest.mark.django_db

APPLY_URL = "/bli-kontaktpunkt/"
INTEREST_URL = "/grupper/meld-interesse/"
NAMES = ["Dovre", "Lesja", "dombaas", "3431", "2660", "Aalesund", "Herøy (Nordland)", "Oslo"]


def _interest(topic, **overrides) -> dict:
    data = {
        "name": "Kari",
        "email": "kari@example.test",
        "phone": "",
        "topic": topic.pk,
        "place": "2660",
        "preferred_format": "",
        "note": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
        "website": "",
    }
    return {**data, **overrides}


def _apply(client, data, ip="203.0.113.9"):
    return client.post(APPLY_URL, data, REMOTE_ADDR=ip)


# Item 7: limits before work, caps, one lookup -------------------------------------------------


def test_over_the_limit_a_long_list_is_refused_before_anything_is_looked_up(
    client, django_assert_max_num_queries
):
    for n in range(5):
        _apply(client, application_data(organisation=f"Org {n}"))
    long_list = ", ".join(["Dovre", "Lesja", "Atlantis"] * 20)

    with django_assert_max_num_queries(2):  # the session and nothing from the form
        response = _apply(client, application_data(municipalities=long_list))

    assert response.status_code == 429
    html = response.content.decode()
    assert "Vent en time" in html
    assert 'value="Storgata 1"' in html  # what they typed is kept
    assert ContactPointApplication.objects.count() == 5


def test_a_list_longer_than_the_cap_is_refused_next_to_the_field(client):
    response = _apply(client, application_data(municipalities=", ".join(["Dovre"] * 61)))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv høyst 60 kommuner" in html
    assert 'id="error_1_id_municipalities"' in html
    assert not ContactPointApplication.objects.exists()


def test_a_huge_list_is_refused_by_its_length_before_it_is_split(client):
    response = _apply(client, application_data(municipalities="Dovre, " * 4000))

    assert response.status_code == 200
    assert 'id="error_1_id_municipalities"' in response.content.decode()
    assert not ContactPointApplication.objects.exists()


@pytest.mark.parametrize("count", [2, 40])
def test_the_list_is_looked_up_in_the_same_number_of_queries_however_long(
    count, django_assert_max_num_queries
):
    names = (NAMES * 5)[:count]
    with django_assert_max_num_queries(2):
        found, unknown = municipalities_lookup(names)
    assert found and unknown == []


def test_the_list_reads_each_name_as_the_place_search_does():
    names = [name for name in NAMES if not name.isdigit()]
    found, unknown = municipalities_lookup([*names, "Atlantis"])

    expected = []
    for name in names:
        number = place_lookup(name).municipality_number
        if number not in expected:
            expected.append(number)
    assert [m.number for m in found] == expected
    assert unknown == ["Atlantis"]


def test_four_digits_are_a_municipality_number_first_then_a_postcode():
    found, unknown = municipalities_lookup(["3432", "2660", "9999"])

    assert [m.name for m in found] == ["Lesja", "Dovre"]
    assert unknown == ["9999"]


def test_a_request_body_over_the_cap_is_refused(client):
    response = _apply(client, application_data(message="x" * (300 * 1024)))

    assert response.status_code == 400
    assert not ContactPointApplication.objects.exists()


def test_a_request_with_too_many_fields_is_refused(client):
    data = application_data()
    data.update({f"f{n}": "x" for n in range(600)})

    assert _apply(client, data).status_code == 400


def test_over_the_limit_the_interest_form_is_refused_before_validation(
    client, settings, contact_point, django_assert_max_num_queries
):
    settings.RATE_LIMIT_INTEREST_PER_IP = 0
    topic = factories.make_topic("Sorg")

    with django_assert_max_num_queries(4):  # the page's own lookups, not the form's
        response = client.post(INTEREST_URL, _interest(topic, place="Atlantis"))

    assert response.status_code == 429
    assert "Vent en time" in response.content.decode()
    assert not Interest.objects.exists()


# Item 9: control characters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/grupper/meld-interesse/?tema=%00",
        "/grupper/?sted=%00",
        "/grupper/?tema=sorg%01",
        "/kontaktpunkter/?sted=Oslo%1b",
        "/?sted%00=2660",
    ],
)
def test_a_control_character_in_a_query_parameter_gets_a_clear_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "Vi kunne ikke lese adressen" in response.content.decode()


def test_ordinary_parameters_still_work(client):
    assert client.get("/grupper/?sted=Domb%C3%A5s&tema=sorg").status_code == 200


@pytest.mark.parametrize(("field", "value"), [("name", "Kari\x00"), ("note", "hei\x07")])
def test_a_control_character_in_the_interest_form_is_explained_next_to_the_field(
    client, contact_point, field, value
):
    topic = factories.make_topic("Sorg")

    response = client.post(INTEREST_URL, _interest(topic, **{field: value}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Feltet inneholder tegn vi ikke kan lese" in html
    assert f'id="error_1_id_{field}"' in html
    assert 'value="kari@example.test"' in html
    assert not Interest.objects.exists()


def test_a_control_character_in_the_application_is_explained_next_to_the_field(client):
    response = _apply(
        client, application_data(organisation="Lesja\x00", municipalities="Dovre\x00")
    )

    html = response.content.decode()
    assert 'id="error_1_id_organisation"' in html
    assert 'id="error_1_id_municipalities"' in html
    assert "Feltet inneholder tegn vi ikke kan lese" in html
    assert not ContactPointApplication.objects.exists()


def test_line_breaks_in_a_text_area_are_fine(client):
    response = _apply(client, application_data(message="Vi har lokaler.\r\nOg frivillige."))

    assert response.status_code == 302
    assert ContactPointApplication.objects.get().message.startswith("Vi har lokaler.")


def test_bidirectional_controls_are_taken_out_of_names(client, contact_point):
    topic = factories.make_topic("Sorg")

    response = client.post(INTEREST_URL, _interest(topic, name="Kari\u202enessetseT\u202c"))

    assert response.status_code == 302
    assert Interest.objects.get().name == "KarinessetseT"


def test_bidirectional_controls_are_taken_out_of_an_application(client):
    _apply(client, application_data(contact_name="Sara\u2067 Søker\u2069"))

    assert ContactPointApplication.objects.get().contact_name == "Sara Søker"
