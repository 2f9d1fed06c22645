import pytest

from selvhjelp.geo import forget_places, place_lookup, place_suggestions, within_km
from selvhjelp.models import County, DistrictOffice, Municipality, PostalCode

pytestmark = pytest.mark.django_db


def test_the_reference_data_is_loaded():
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert PostalCode.objects.count() == 5113


def test_every_county_belongs_to_exactly_one_district_office():
    assert not County.objects.filter(district_office__isnull=True).exists()
    assert DistrictOffice.objects.count() == 7
    assert County.objects.get(number="34").district_office.slug == "innlandet"


@pytest.mark.parametrize(
    ("query", "municipality"),
    [
        ("2660", "3431"),  # postcode
        ("Dombås", "3431"),  # postal place, exact
        ("dombaas", "3431"),  # ASCII spelling of å
        ("DOMBÅS", "3431"),
        ("Aalesund", "1508"),
        ("ålesund", "1508"),
        ("Tromsoe", "5501"),
        ("  Oslo  ", "0301"),
        ("Herøy (Nordland)", "1818"),  # two municipalities share the name
        ("Herøy (Møre og Romsdal)", "1515"),
    ],
)
def test_place_lookup_finds_postcodes_places_and_municipalities(query, municipality):
    place = place_lookup(query)
    assert place is not None
    assert place.municipality_number == municipality


@pytest.mark.parametrize("query", ["Xyzzy", "9999", "", "   ", "12345"])
def test_place_lookup_returns_nothing_for_unknown_places(query):
    assert place_lookup(query) is None


def test_place_lookup_reads_the_places_once_per_process(django_assert_num_queries):
    place_lookup("Dombås")  # may read the reference tables

    with django_assert_num_queries(0):
        assert place_lookup("2660").name == "2660 Dombås"
        assert place_lookup("Lesja").municipality_number == "3432"
        assert place_lookup("Herøy (Nordland)").municipality_number == "1818"


@pytest.fixture
def forget_places_after():
    """The held places outlive the test's rolled-back transaction: forget them after it."""
    yield
    forget_places()


def test_a_changed_place_is_found_at_once(db, forget_places_after):
    place_lookup("Oslo")  # held
    postal = PostalCode.objects.get(code="2660")
    postal.place = "Dombås stasjon"
    postal.save()

    assert place_lookup("Dombås stasjon").municipality_number == "3431"
    assert place_lookup("2660").name == "2660 Dombås stasjon"


def test_suggestions_offer_close_names():
    assert "Tromsø" in place_suggestions("Tromso")
    assert "Lillehammer" in place_suggestions("Lilehammer")
    assert place_suggestions("Xyzzy") == []


def test_within_km_measures_great_circle_distance():
    oslo = place_lookup("Oslo")
    nearby = within_km(Municipality.objects.all(), oslo.latitude, oslo.longitude, 30)
    names = {m.name: m.distance_km for m in nearby}
    assert names["Oslo"] == pytest.approx(0, abs=0.01)
    assert "Bærum" in names
    assert "Bergen" not in names
    bergen = Municipality.objects.get(name="Bergen")
    far = within_km(Municipality.objects.filter(pk=bergen.pk), oslo.latitude, oslo.longitude, None)
    assert far.get().distance_km == pytest.approx(305, abs=10)  # Oslo–Bergen as the crow flies
