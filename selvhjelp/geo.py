"""Places and distances without an external geocoder.

A postcode, a postal place or a municipality name maps to coordinates through the reference
tables; radius search is an indexed bounding box followed by the exact great-circle distance in
SQL (no PostGIS needed).
"""

from __future__ import annotations

import difflib
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from selvhjelp.models import Municipality, PostalCode
from selvhjelp.text import fold

EARTH_RADIUS_KM = 6371.0
_LABEL_WITH_COUNTY = re.compile(r"^(?P<name>.+?)\s*\((?P<county>[^)]+)\)\s*$")


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float
    municipality_number: str


def place_lookup(query: str) -> Place | None:
    """A postcode, a postal place or a municipality, matched exactly first, then ignoring case
    and accents ("2660", "Dombås", "dombaas", "Aalesund", "Herøy (Nordland)"). From the places
    held in memory (`_places`): every search starts here, and a query each time cost more than
    the search's own."""
    query = " ".join((query or "").split())
    if not query:
        return None
    places = _places()
    if re.fullmatch(r"\d{4}", query):
        postal = places.postal_by_code.get(query)
        return _from_postal(postal) if postal else None

    county = None
    if match := _LABEL_WITH_COUNTY.match(query):
        query, county = match["name"], match["county"].upper()

    key = fold(query)
    for municipalities, postal in (
        (places.municipalities_by_name.get(query.upper(), ()), places.postal_by_place),
        (places.municipalities_by_key.get(key, ()), places.postal_by_key),
    ):
        for municipality in municipalities:  # by name, then number
            if county is None or municipality.county_name == county:
                return Place(
                    name=municipality.name,
                    latitude=municipality.latitude,
                    longitude=municipality.longitude,
                    municipality_number=municipality.number,
                )
        found = postal.get(query.upper() if postal is places.postal_by_place else key)
        if found:
            return _from_postal(found, name=found.place)
    return None


@dataclass(frozen=True)
class _HeldMunicipality:
    number: str
    name: str
    county_name: str  # upper case, for "Herøy (Nordland)"
    latitude: float
    longitude: float


@dataclass(frozen=True)
class _Places:
    postal_by_code: dict[str, PostalCode]
    postal_by_place: dict[str, PostalCode]  # upper-case place -> the lowest postcode
    postal_by_key: dict[str, PostalCode]  # folded place -> the lowest postcode
    municipalities_by_name: dict[str, list[_HeldMunicipality]]  # upper-case name
    municipalities_by_key: dict[str, list[_HeldMunicipality]]  # folded name


# The reference tables change only when they are loaded again (selvhjelp/geodata.py, from a
# migration) or edited in the admin; a save in this process forgets them at once
# (selvhjelp/apps.py), other processes read them again after this many seconds.
PLACES_TTL = 300
_held_places: tuple[float, _Places] | None = None


def _places() -> _Places:
    global _held_places
    now = time.monotonic()
    if _held_places is not None and now - _held_places[0] < PLACES_TTL:
        return _held_places[1]
    postal_by_code, postal_by_place, postal_by_key = {}, {}, {}
    for postal in PostalCode.objects.order_by("code"):
        postal_by_code[postal.code] = postal
        postal_by_place.setdefault(postal.place.upper(), postal)
        postal_by_key.setdefault(postal.search_name, postal)
    by_name: dict[str, list[_HeldMunicipality]] = {}
    by_key: dict[str, list[_HeldMunicipality]] = {}
    for municipality in Municipality.objects.select_related("county").order_by("name", "number"):
        held = _HeldMunicipality(
            number=municipality.number,
            name=municipality.name,
            county_name=municipality.county.name.upper() if municipality.county else "",
            latitude=municipality.latitude,
            longitude=municipality.longitude,
        )
        by_name.setdefault(municipality.name.upper(), []).append(held)
        by_key.setdefault(municipality.search_name, []).append(held)
    places = _Places(postal_by_code, postal_by_place, postal_by_key, by_name, by_key)
    _held_places = (now, places)
    return places


def forget_places(**kwargs) -> None:
    """Drops the held places and names (a signal receiver: a reference table changed)."""
    global _held_places
    _held_places = None
    _known_names.cache_clear()


def municipalities_lookup(queries: list[str]) -> tuple[list[Municipality], list[str]]:
    """The municipalities for a list of numbers, postcodes, municipality names or postal places,
    each read as `place_lookup` reads it, in two queries however long the list is (a public form
    must not cost a query per item). Returns the municipalities found (in the order given,
    without repeats) and the queries that matched nothing."""
    municipalities = list(Municipality.objects.select_related("county").order_by("name", "number"))
    by_number = {m.number: m for m in municipalities}
    by_name: dict[str, list[Municipality]] = {}
    by_key: dict[str, list[Municipality]] = {}
    for municipality in municipalities:
        by_name.setdefault(municipality.name.lower(), []).append(municipality)
        by_key.setdefault(municipality.search_name, []).append(municipality)

    parsed = []
    for query in queries:
        query = " ".join((query or "").split())
        county = None
        if not re.fullmatch(r"\d{4}", query) and (match := _LABEL_WITH_COUNTY.match(query)):
            query, county = match["name"], match["county"].lower()
        parsed.append((query, county))
    codes = {query for query, _ in parsed if re.fullmatch(r"\d{4}", query)}
    keys = {fold(query) for query, _ in parsed if query not in codes}
    postal_codes = list(
        PostalCode.objects.filter(Q(code__in=codes) | Q(search_name__in=keys)).order_by("code")
    )
    postal_by_code = {postal.code: postal for postal in postal_codes}

    def first(candidates, county):
        for municipality in candidates:
            if county is None or municipality.county.name.lower() == county:
                return municipality
        return None

    def postal_municipality(*, place: str | None = None, key: str | None = None):
        for postal in postal_codes:  # by postcode, as place_lookup takes the lowest
            if postal.place.lower() == place or postal.search_name == key:
                return by_number.get(postal.municipality_id)
        return None

    found: dict[str, Municipality] = {}
    unknown = []
    for (query, county), original in zip(parsed, queries, strict=True):
        if query in codes:
            municipality = by_number.get(query)
            if municipality is None and (postal := postal_by_code.get(query)):
                municipality = by_number.get(postal.municipality_id)
        else:
            key = fold(query)
            municipality = (
                first(by_name.get(query.lower(), []), county)
                or postal_municipality(place=query.lower())
                or first(by_key.get(key, []), county)
                or postal_municipality(key=key)
            )
        if municipality is None:
            unknown.append(original)
        else:
            found.setdefault(municipality.number, municipality)
    return list(found.values()), unknown


def _from_postal(postal: PostalCode, name: str | None = None) -> Place:
    return Place(
        name=name or f"{postal.code} {postal.place}",
        latitude=postal.latitude,
        longitude=postal.longitude,
        municipality_number=postal.municipality_id,
    )


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """Folded name -> display name, for every municipality and postal place."""
    names: dict[str, str] = {}
    for place in PostalCode.objects.values_list("place", flat=True).distinct():
        names.setdefault(fold(place), place.title() if place.isupper() else place)
    for name in Municipality.objects.values_list("name", flat=True):
        names[fold(name)] = name
    return names


def place_suggestions(query: str, limit: int = 5) -> list[str]:
    """Known place names that look like what was typed, best first."""
    key = fold(query or "")
    if not key:
        return []
    names = _known_names()
    starts = sorted(name for folded, name in names.items() if folded.startswith(key))
    close = [names[k] for k in difflib.get_close_matches(key, names.keys(), n=limit, cutoff=0.7)]
    return list(dict.fromkeys(close + starts))[:limit]


def bounding_box(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float]:
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    dlon = math.degrees(km / EARTH_RADIUS_KM / max(math.cos(math.radians(latitude)), 0.01))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def distance_km_expression(latitude: float, longitude: float, lat_field: str, lon_field: str):
    """Haversine distance from a point to the row's coordinates, in kilometres, in SQL."""
    lat0 = Radians(Value(latitude, output_field=FloatField()))
    lon0 = Radians(Value(longitude, output_field=FloatField()))
    lat1 = Radians(F(lat_field))
    lon1 = Radians(F(lon_field))
    a = Power(Sin((lat1 - lat0) / 2), 2) + Cos(lat0) * Cos(lat1) * Power(Sin((lon1 - lon0) / 2), 2)
    # Least() keeps rounding from pushing the argument of asin above 1.
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(Least(a, Value(1.0))), output_field=FloatField())


def within_km(
    queryset: QuerySet,
    latitude: float,
    longitude: float,
    km: float | None,
    *,
    lat_field: str = "latitude",
    lon_field: str = "longitude",
) -> QuerySet:
    """Rows within `km` of the point (all rows if km is None), annotated with `distance_km`."""
    queryset = queryset.annotate(
        distance_km=distance_km_expression(latitude, longitude, lat_field, lon_field)
    )
    if km is None:
        return queryset
    south, north, west, east = bounding_box(latitude, longitude, km)
    return queryset.filter(
        **{
            f"{lat_field}__range": (south, north),
            f"{lon_field}__range": (west, east),
            "distance_km__lte": km,
        }
    )


def best_postcode(text: str, postcodes):
    """The postcode whose postal place the text names ("Dombås sentrum" -> 2660 Dombås), the
    longest place name first, then the lowest code; None when the text names none of them.

    Pure, so the data migration that backfills groups can use it on historical models."""
    key = f" {fold(text or '')} "
    if not key.strip():
        return None
    named = [postal for postal in postcodes if f" {fold(postal.place)} " in key]
    if not named:
        return None
    return min(named, key=lambda postal: (-len(postal.place), postal.code))


def postcode_for_area(
    area: str, municipality_number: str, *, fallback: str = ""
) -> PostalCode | None:
    """The postcode of a public area in a municipality, or of the `fallback` place name (the
    municipality's own name), or None."""
    postcodes = list(PostalCode.objects.filter(municipality_id=municipality_number))
    return best_postcode(area, postcodes) or best_postcode(fallback, postcodes)
