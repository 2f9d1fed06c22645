"""A group's own public point: the postcode of its public area, never the venue. Distances and
map pins are measured from it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from groups.models import Group
from selvhjelp.models import Municipality, PostalCode
from tests import factories
from tests.factories import plan_data
from tests.groups.lifecycle_data import ready_draft

pytestmark = pytest.mark.django_db
SEARCH = reverse("groups:group-search")


@pytest.fixture
def staff(client, cp_user):
    client.force_login(cp_user)
    return client


def _plan_url(contact_point) -> str:
    return reverse("workspace:group-create", kwargs={"slug": contact_point.slug})


def test_a_group_whose_area_is_in_2660_is_under_2_km_from_a_search_for_2660(client, make_group):
    make_group("Sorggruppe Dombås", public_area="Dombås sentrum", public_postcode="2660")
    dovre = Municipality.objects.get(name="Dovre")

    response = client.get(SEARCH, {"sted": "2660"})

    [group] = response.context["groups"]
    assert group.distance_km < 2
    assert "under 1 km" in response.content.decode()
    # The municipality's point, which every group used to share, is much further away.
    postal = PostalCode.objects.get(code="2660")
    assert (dovre.latitude, dovre.longitude) != (postal.latitude, postal.longitude)


def test_the_map_pin_sits_at_the_public_postcode(client, make_group):
    make_group("Sorggruppe Dombås", public_area="Dombås sentrum", public_postcode="2660")
    make_group("Sorggruppe Dovre", public_area="Dovre sentrum", public_postcode="2662")

    response = client.get(SEARCH, {"sted": "2660"})

    points = {(m["lat"], m["lon"]) for m in response.context["map_markers"]}
    expected = set(
        PostalCode.objects.filter(code__in=["2660", "2662"]).values_list("latitude", "longitude")
    )
    assert points == expected


def test_planning_a_group_works_out_the_postcode_from_the_public_area(staff, contact_point, sorg):
    response = staff.post(_plan_url(contact_point), plan_data(sorg))

    assert response.status_code == 302
    group = Group.objects.get()
    postal = PostalCode.objects.get(code=group.public_postcode)
    assert postal.place == "Dombås"
    assert (group.latitude, group.longitude) == (postal.latitude, postal.longitude)


def test_planning_a_group_takes_the_postcode_staff_give(staff, contact_point, sorg):
    response = staff.post(_plan_url(contact_point), plan_data(sorg, public_postcode="2661"))

    assert response.status_code == 302
    group = Group.objects.get()
    postal = PostalCode.objects.get(code="2661")
    assert (group.public_postcode, group.latitude, group.longitude) == (
        "2661",
        postal.latitude,
        postal.longitude,
    )


@pytest.mark.parametrize(
    "postcode, message",
    [
        ("0182", "Postnummeret 0182 hører til Oslo, ikke Dovre."),
        ("0000", "Vi finner ikke postnummeret «0000»."),
    ],
)
def test_a_postcode_outside_the_municipality_is_refused_next_to_the_field(
    staff, contact_point, sorg, postcode, message
):
    response = staff.post(_plan_url(contact_point), plan_data(sorg, public_postcode=postcode))

    assert response.status_code == 400
    [error] = response.context["form"].errors["public_postcode"]
    assert error.startswith(message)
    html = response.content.decode()
    assert 'value="Dombås sentrum"' in html and 'value="Hemmeligveien 1"' in html
    assert not Group.objects.exists()


def test_editing_a_draft_moves_its_point_to_the_new_postcode(cp_user, contact_point):
    group = ready_draft(contact_point, public_area="Dombås sentrum", public_postcode="2660")
    client = factories.logged_in_client(cp_user)
    data = {
        "name": group.name,
        "description": group.description,
        "topics": [t.pk for t in group.topics.all()],
        "audience": group.audience,
        "format": group.format,
        "weekday": group.weekday,
        "start_time": "18:00",
        "frequency": group.frequency,
        "starts_on": "",
        "municipality": group.municipality_id,
        "public_area": "Hjerkinn",
        "public_postcode": "2661",
        "venue_address": group.venue_address,
        "facilitators": [f.pk for f in group.facilitators.all()],
        "size_limit": 8,
    }

    response = client.post(
        reverse("workspace:group-edit", args=[group.contact_point.slug, group.pk]),
        data,
    )

    assert response.status_code == 302
    group.refresh_from_db()
    postal = PostalCode.objects.get(code="2661")
    assert (group.public_postcode, group.latitude, group.longitude) == (
        "2661",
        postal.latitude,
        postal.longitude,
    )


def test_the_backfill_gives_existing_groups_the_postcode_their_area_names(contact_point):
    dovre = Municipality.objects.get(name="Dovre")
    lesja = Municipality.objects.get(name="Lesja")
    at_dombas = factories.make_group(contact_point, public_area="Dombås sentrum")
    in_dovre = factories.make_group(contact_point, public_area="Dovre nord")
    unknown_area = factories.make_group(contact_point, municipality=lesja, public_area="Ved kirken")
    digital = factories.make_group(
        contact_point, format=Group.Format.DIGITAL, municipality=None, public_area=""
    )
    assert (at_dombas.latitude, at_dombas.longitude) == (dovre.latitude, dovre.longitude)

    migration = importlib.import_module("groups.migrations.0006_backfill_group_public_postcode")
    migration.backfill(django_apps, None)

    for group, place in ((at_dombas, "Dombås"), (in_dovre, "Dovre"), (unknown_area, "Lesja")):
        group.refresh_from_db()
        postal = PostalCode.objects.get(code=group.public_postcode)
        assert postal.place == place
        assert postal.municipality_id == group.municipality_id
        assert (group.latitude, group.longitude) == (postal.latitude, postal.longitude)
    digital.refresh_from_db()
    assert digital.public_postcode == "" and digital.latitude is None
