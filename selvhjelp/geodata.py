"""Loads the reference geography shipped in `selvhjelp/data/` (see its README for sources and
licences): counties, municipalities, postal codes and the district offices' coverage.
Safe to run again: rows are updated in place."""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils.text import slugify

from selvhjelp.text import fold

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_geography(apps=None) -> None:
    get = apps.get_model if apps else _live_model
    County = get("selvhjelp", "County")
    Municipality = get("selvhjelp", "Municipality")
    PostalCode = get("selvhjelp", "PostalCode")
    DistrictOffice = get("selvhjelp", "DistrictOffice")

    County.objects.bulk_create(
        [County(number=r["fylkesnummer"], name=r["fylkesnavn"]) for r in _rows("counties.csv")],
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["name"],
    )
    Municipality.objects.bulk_create(
        [
            Municipality(
                number=r["kommunenummer"],
                name=r["kommunenavn"],
                county_id=r["fylkesnummer"],
                latitude=float(r["latitude"]),
                longitude=float(r["longitude"]),
                search_name=fold(r["kommunenavn"]),
            )
            for r in _rows("municipalities.csv")
        ],
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["name", "county", "latitude", "longitude", "search_name"],
    )
    PostalCode.objects.bulk_create(
        [
            PostalCode(
                code=r["postnummer"],
                place=r["poststed"],
                municipality_id=r["kommunenummer"],
                latitude=float(r["latitude"]),
                longitude=float(r["longitude"]),
                search_name=fold(r["poststed"]),
            )
            for r in _rows("postal_codes.csv")
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["place", "municipality", "latitude", "longitude", "search_name"],
        batch_size=1000,
    )
    for r in _rows("district_offices.csv"):
        if r["office_type"] != "distriktskontor":
            continue
        office, _ = DistrictOffice.objects.get_or_create(
            slug=slugify(r["name"]), defaults={"name": r["name"], "location": r["location"]}
        )
        County.objects.filter(number__in=r["fylkesnummer"].split(";")).update(
            district_office=office
        )


def _live_model(app_label: str, model_name: str):
    from django.apps import apps

    return apps.get_model(app_label, model_name)
