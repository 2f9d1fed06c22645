"""The public group search at /grupper/ ("Finn en gruppe nær meg")."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.urls import reverse

from groups.models import Group
from tests import factories
from tests.groups.conftest import bulk_groups, hits_plan, sent_searches

pytestmark = pytest.mark.django_db
URL = reverse("groups:group-search")


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def listed_names(response) -> list[str]:
    return [group.name for group in response.context["groups"]]


def test_it_sorts_groups_by_distance_and_shows_the_distance(client, make_group, lesja, oslo):
    make_group("Lesja-gruppen", municipality=lesja, public_area="Lesja sentrum")
    make_group("Dovre-gruppen")
    make_group("Oslo-gruppen", municipality=oslo, public_area="Oslo sentrum")

    response, html = search(client, sted="2660", avstand="100")

    assert listed_names(response) == ["Dovre-gruppen", "Lesja-gruppen"]
    distances = [round(group.distance_km) for group in response.context["groups"]]
    assert distances == sorted(distances)
    assert f"{distances[0]} km" in html


def test_it_sorts_groups_at_the_same_distance_by_start(client, make_group):
    later = datetime.date.today() + datetime.timedelta(days=60)
    sooner = datetime.date.today() + datetime.timedelta(days=10)
    make_group("Starter senere", starts_on=later)
    make_group("Starter snart", starts_on=sooner)

    response, _ = search(client, sted="Dombås")

    assert listed_names(response) == ["Starter snart", "Starter senere"]


def test_it_only_lists_groups_within_the_radius(client, make_group, lesja):
    make_group("Dovre-gruppen")
    make_group("Lesja-gruppen", municipality=lesja)

    near, _ = search(client, sted="Dovre", avstand="5")
    wide, _ = search(client, sted="Dovre", avstand="100")

    assert listed_names(near) == ["Dovre-gruppen"]
    assert set(listed_names(wide)) == {"Dovre-gruppen", "Lesja-gruppen"}


def test_it_uses_25_km_when_no_radius_is_given(client, make_group):
    make_group("Dovre-gruppen")

    response, html = search(client, sted="2660")

    assert response.context["radius"] == 25
    assert "innen 25 km" in html
    assert re.search(r'<option value="25" selected>25 km</option>', html)
    assert not re.search(r'<option value="5" selected>', html)


def test_it_keeps_the_chosen_radius_selected(client):
    _, html = search(client, sted="2660", avstand="50")

    assert re.search(r'<option value="50" selected>50 km</option>', html)
    assert len(re.findall(r"<option value=\"\d+\" selected>", html)) == 1


def test_it_filters_on_topic(client, make_group, sorg, angst):
    make_group("Sorggruppen", topics=[sorg])
    make_group("Angstgruppen", topics=[angst])

    response, _ = search(client, sted="2660", tema="angst")

    assert listed_names(response) == ["Angstgruppen"]


@pytest.mark.parametrize("chosen", ["fysisk", "hybrid"])
def test_it_filters_on_format(client, make_group, chosen):
    make_group("Fysisk gruppe", format="fysisk")
    make_group("Hybrid gruppe", format="hybrid")

    response, _ = search(client, sted="2660", format=chosen)

    assert listed_names(response) == [f"{chosen.capitalize()} gruppe"]


def test_it_lists_only_digital_groups_when_digital_is_chosen(client, make_group):
    make_group("Fysisk gruppe")
    make_group("Digital gruppe", format="digital", municipality=None, public_area="")

    response, html = search(client, format="digital")

    assert listed_names(response) == ["Digital gruppe"]
    assert "1 digital gruppe" in html


def test_it_filters_on_weekday(client, make_group):
    make_group("Mandagsgruppen", weekday=1)
    make_group("Torsdagsgruppen", weekday=4)

    response, _ = search(client, sted="2660", ukedag="4")

    assert listed_names(response) == ["Torsdagsgruppen"]


def test_it_shows_only_groups_with_room_when_asked(client, make_group):
    make_group("Har plass", open_for_new_members=True)
    make_group("Full", open_for_new_members=False)
    make_group("Pause", status=Group.Status.PAUSED)

    response, _ = search(client, sted="2660", apen="1")

    assert listed_names(response) == ["Har plass"]


def test_it_finds_groups_by_free_text(client, make_group):
    make_group("Etter tapet", description="For deg som har mistet et barn.")
    make_group("Annen gruppe", description="For deg som sliter med søvn.")

    response, _ = search(client, sted="2660", q="barn")

    assert listed_names(response) == ["Etter tapet"]


def test_it_understands_web_search_syntax_without_failing(client, make_group):
    make_group("Etter tapet", description="For deg som har mistet et barn.")

    response, _ = search(client, q='"mistet et" -søvn OR (((')

    assert response.status_code == 200


def test_it_lists_digital_groups_in_their_own_section_regardless_of_distance(
    client, make_group, other_contact_point
):
    make_group("Dovre-gruppen")
    make_group(
        "Digital fra Oslo",
        format="digital",
        municipality=None,
        public_area="",
        contact_point=other_contact_point,
    )

    response, html = search(client, sted="2660", avstand="25")

    assert listed_names(response) == ["Dovre-gruppen"]
    assert [group.name for group in response.context["digital_groups"]] == ["Digital fra Oslo"]
    assert 'id="digital-heading"' in html


def test_it_paginates_twenty_groups_per_page(client, contact_point, sorg):
    bulk_groups(contact_point, sorg, 50)  # 45 physical, 5 digital

    first, html = search(client, sted="2660")
    second, _ = search(client, sted="2660", side="3")

    assert len(first.context["groups"]) == 20
    assert len(second.context["groups"]) == 5
    assert "side=2" in html
    assert "sted=2660" in html


def test_it_announces_the_result_count_to_screen_readers(client, make_group):
    make_group("Dovre-gruppen")
    make_group("Dovre-gruppen 2")

    _, html = search(client, sted="2660")

    status = re.search(r'<p role="status" class="result-count">(.*?)</p>', html, re.S)
    assert status and "2 grupper innen 25 km fra 2660 Dombås" in " ".join(status[1].split())


def test_it_shows_nearest_contact_points_digital_groups_and_interest_when_nothing_is_near(
    client, make_group, contact_point, other_contact_point, sorg
):
    make_group(
        "Digital sorggruppe",
        format="digital",
        municipality=None,
        public_area="",
        contact_point=other_contact_point,
    )

    response, html = search(client, sted="Tromsø", tema="sorg")

    assert listed_names(response) == []
    nearest = response.context["nearest_contact_points"]
    assert nearest and nearest[0].distance_km <= nearest[-1].distance_km
    assert contact_point.name in html and " km" in html
    assert "Digital sorggruppe" in html
    assert "tema=sorg" in html and "sted=Troms" in html
    assert "Meld interesse" in html


def test_it_searches_from_the_browser_position(client, make_group, contact_point):
    make_group("Dovre-gruppen")

    response, html = search(
        client, lat=str(contact_point.latitude), lon=str(contact_point.longitude)
    )

    assert listed_names(response) == ["Dovre-gruppen"]
    assert "din posisjon" in html


def test_it_offers_the_position_button_only_to_javascript(client):
    _, html = search(client)

    assert re.search(r"data-geolocate\s+hidden", html)
    assert "js/search.js" in html


@pytest.mark.parametrize("typed", ["2660", "Dombås", "Dombaas", "dombås", "Dovre"])
def test_it_understands_postcodes_and_ascii_spellings(client, make_group, typed):
    make_group("Dovre-gruppen")

    response, _ = search(client, sted=typed)

    assert listed_names(response) == ["Dovre-gruppen"]


def test_it_understands_aalesund(client, make_group):
    aalesund_cp = factories.make_contact_point("Ålesund frivilligsentral", postcode="6003")
    make_group("Ålesund-gruppen", contact_point=aalesund_cp, municipality=aalesund_cp.municipality)

    response, _ = search(client, sted="Aalesund")

    assert listed_names(response) == ["Ålesund-gruppen"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"sted": "Xyzzy"}, "sted", "Vi finner ikke «Xyzzy»"),
        ({"sted": "0000"}, "sted", "Vi finner ikke postnummeret"),
        ({"sted": "2660", "avstand": "7"}, "avstand", "Velg en avstand fra listen"),
        ({"sted": "2660", "avstand": "mye"}, "avstand", "Velg en avstand fra listen"),
        ({"ukedag": "9"}, "ukedag", "Velg en ukedag fra listen"),
        ({"ukedag": "fredag"}, "ukedag", "Velg en ukedag fra listen"),
        ({"tema": "finnes-ikke"}, "tema", "Vi kjenner ikke det temaet"),
        ({"format": "brev"}, "format", "Velg fysisk, digital eller hybrid"),
        ({"lat": "abc", "lon": "10"}, "lat", "Vi klarte ikke å lese posisjonen"),
        ({"lat": "200", "lon": "10"}, "lat", "Posisjonen din ser ikke riktig ut"),
        ({"lat": "60", "lon": "-500"}, "lon", "Posisjonen din ser ikke riktig ut"),
        ({"lat": "nan", "lon": "10"}, "lat", "Vi klarte ikke å lese posisjonen"),
        ({"lat": "60"}, "lat", "Posisjonen din mangler en del"),
    ],
)
def test_it_explains_bad_input_on_a_normal_page(client, params, field, message):
    response, html = search(client, **params)

    assert field in response.context["form"].errors
    assert message in html
    assert "Noe i søket må rettes" in html


def test_it_keeps_what_was_typed_and_suggests_places_for_an_unknown_place(client):
    response, html = search(client, sted="Dombos", tema="")

    assert 'value="Dombos"' in html
    assert "Mente du:" in html
    assert "sted=Domb%C3%A5s" in html


def test_it_hides_unpublished_and_ended_groups(client, make_group):
    make_group("Synlig")
    make_group("Upublisert", is_published=False)
    make_group("Avsluttet", status=Group.Status.ENDED)

    response, html = search(client, sted="2660")

    assert listed_names(response) == ["Synlig"]
    assert "Upublisert" not in html and "Avsluttet" not in html


def test_it_never_shows_the_venue_address(client, make_group):
    make_group("Dovre-gruppen", venue_address="Hemmeligveien 1")
    make_group("Digital", format="digital", municipality=None, venue_address="Hemmeligveien 1")

    for params in ({}, {"sted": "2660"}, {"format": "digital"}):
        _, html = search(client, **params)
        assert "Hemmeligveien" not in html


def test_it_puts_map_markers_at_the_public_area_point(client, make_group, contact_point):
    group = make_group("Dovre-gruppen")

    _, html = search(client, sted="2660")

    markers = json.loads(re.search(r'<script id="map-markers"[^>]*>(.*?)</script>', html, re.S)[1])
    assert markers == [
        {
            "name": "Dovre-gruppen",
            "area": group.public_area,
            "url": f"{group.get_absolute_url()}?fra=sted%3D2660",
            "lat": contact_point.municipality.latitude,
            "lon": contact_point.municipality.longitude,
        }
    ]
    assert 'id="results-map"' in html and "hidden" in html
    # Leaflet and the tiles load only when the person asks for the map.
    assert re.search(r"<(script|link)[^>]+leaflet", html) is None
    assert "<script>" not in html  # no inline scripts: the CSP forbids them


def test_it_links_to_what_a_self_help_group_is(client):
    _, html = search(client)

    assert reverse("groups:what-is-self-help") in html


@pytest.mark.parametrize("size", [10, 10_000])
@pytest.mark.parametrize(
    "params", [{}, {"sted": "2660"}, {"sted": "2660", "tema": "sorg", "q": "massegruppe"}]
)
def test_it_uses_the_same_number_of_queries_for_few_and_many_groups(
    client, contact_point, sorg, django_assert_max_num_queries, size, params
):
    bulk_groups(contact_point, sorg, size)
    # The place-independent parts (topics, digital preview) are held in memory after the first
    # search with these filters; another page of the same search is another cache entry.
    search(client, **params, side="2")

    with django_assert_max_num_queries(3):
        response = client.get(URL, params)

    assert response.status_code == 200
    assert response.context["groups"]


DIGITAL_INDEX = "group_published_digital"


def _digital_list_plans(client, params: dict) -> list[str]:
    """EXPLAIN of the digital-list query exactly as the search view sends it (with its values)."""
    with sent_searches() as sent:
        search(client, **params)
    statements = [
        (sql, values)
        for sql, values in sent
        if "g.format = 'digital'" in sql.split("), total AS", 1)[0]
    ]
    assert statements, "the search view no longer reads the digital list the way this test expects"
    return [hits_plan(statement) for statement in statements]


def test_the_partial_index_for_the_digital_list_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'groups_group' AND indexname = %s",
            [DIGITAL_INDEX],
        )
        row = cursor.fetchone()

    assert row, f"index {DIGITAL_INDEX} is missing"
    definition = row[0]
    assert "(starts_on, name) WHERE" in definition
    for part in ("= 'digital'", "is_published", "stale_since IS NULL", "'avsluttet'"):
        assert part in definition, definition


@pytest.mark.parametrize("params", [{}, {"sted": "0182"}, {"format": "digital"}])
def test_the_digital_list_is_read_in_order_from_the_partial_index(
    client, contact_point, sorg, params
):
    bulk_groups(contact_point, sorg, 3000)  # 300 digital
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE groups_group")

    for plan in _digital_list_plans(client, params):
        assert f"Index Scan using {DIGITAL_INDEX}" in plan, plan
        # The index gives the order too: a sort means the query and the index drifted apart.
        assert "Sort Key" not in plan, plan


# Issue 8: keeping the search, places named like groups' areas, "Mente du" once, the map -------


def test_result_links_carry_the_search_without_the_browser_position(client, make_group):
    make_group("Dovre-gruppen")

    response, _ = search(
        client, sted="2660", avstand="50", tema="sorg", q="sorg", lat="62.1", lon="9.1"
    )

    [group] = response.context["groups"]
    assert group.url == "/grupper/dovre-gruppen/?fra=" + (
        "sted%3D2660%26avstand%3D50%26tema%3Dsorg%26q%3Dsorg"
    )


def test_it_finds_a_place_named_like_a_groups_public_area(client, make_group):
    make_group("Sorggruppe Dombås", public_area="Dombås sentrum", public_postcode="2660")

    response, html = search(client, sted="dombås  Sentrum")

    assert not response.context["form"].errors
    assert response.context["origin"].name == "Dombås sentrum"
    [group] = response.context["groups"]
    assert group.distance_km < 0.01
    assert "fra Dombås sentrum" in html


def test_an_unpublished_groups_area_is_not_a_place(client, make_group):
    make_group("Skjult", public_area="Hemmelig grend", is_published=False)

    response, _ = search(client, sted="Hemmelig grend")

    assert "sted" in response.context["form"].errors


def test_it_offers_did_you_mean_once(client):
    _, html = search(client, sted="Dombos")

    assert html.count("Mente du") == 1
    assert "sted=Domb%C3%A5s" in html


def test_the_map_waits_for_the_person_and_says_where_tiles_come_from(client, make_group, settings):
    settings.MAP_TILE_URL = "https://kart.example.no/{z}/{x}/{y}.png"
    make_group("Dovre-gruppen")

    response, html = search(client, sted="2660")

    assert "Vis kart" in html
    assert "Kartet hentes fra kart.example.no" in html
    assert 'data-tile-url="https://kart.example.no/{z}/{x}/{y}.png"' in html
    origin = json.loads(re.search(r'<script id="map-origin"[^>]*>(.*?)</script>', html, re.S)[1])
    assert origin["label"] == "Du søkte fra 2660 Dombås"
    assert (origin["lat"], origin["lon"]) == (62.0755, 9.1279)


def test_the_hint_in_english_suggests_a_word_that_finds_groups(client, make_group, sorg):
    sorg.name_en = "Grief"
    sorg.save()
    make_group("Sorggruppe", topics=[sorg], description="For deg som har mistet noen.")

    response = client.get("/en" + URL, {"q": "grief"})

    html = response.content.decode()
    assert "“grief”" in html
    assert listed_names(response) == ["Sorggruppe"]
    assert '<span class="topic-tag">Grief</span>' in html
