"""Places and distances without an external geocoder.

A postcode, a postal place or a municipality name maps to coordinates through the reference
tables; radius search is an indexed bounding box followed by the exact great-circle distance in
SQL (no PostGIS needed).
"""

from __future__ import annotations

import difflib
import math
import re
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
    and accents ("2660", "Dombås", "dombaas", "Aalesund", "Herøy (Nordland)")."""
    query = " ".join((query or "").split())
    if not query:
        return None
    if re.fullmatch(r"\d{4}", query):
        postal = PostalCode.objects.filter(code=query).first()
        return _from_postal(postal) if postal else None

    county = None
    if match := _LABEL_WITH_COUNTY.match(query):
        query, county = match["name"], match["county"]
    municipalities = Municipality.objects.all()
    if county:
        municipalities = municipalities.filter(county__name__iexact=county)

    key = fold(query)
    for by_municipality, by_postal in (
        ({"name__iexact": query}, {"place__iexact": query}),
        ({"search_name": key}, {"search_name": key}),
    ):
        municipality = municipalities.filter(**by_municipality).first()
        if municipality:
            return Place(
                name=municipality.name,
                latitude=municipality.latitude,
                longitude=municipality.longitude,
                municipality_number=municipality.number,
            )
        postal = PostalCode.objects.filter(**by_postal).order_by("code").first()
        if postal:
            return _from_postal(postal, name=postal.place)
    return None


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
