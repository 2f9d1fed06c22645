"""The demo data (groups/demo.py) uses the same rules as real data."""

from __future__ import annotations

import pytest

from groups.demo import create_demo_groups, create_topics
from groups.models import Group, Topic
from selvhjelp.models import PostalCode

pytestmark = pytest.mark.django_db


def test_demo_groups_sit_at_a_real_postcode_of_their_municipality(contact_point):
    create_topics()
    create_demo_groups([contact_point])

    physical = Group.objects.exclude(format=Group.Format.DIGITAL)
    assert physical.exists()
    postcodes = {
        p.code: p for p in PostalCode.objects.filter(code__in=physical.values("public_postcode"))
    }
    for group in physical:
        postal = postcodes[group.public_postcode]
        assert postal.municipality_id == group.municipality_id
        assert (group.latitude, group.longitude) == (postal.latitude, postal.longitude)
    # Not every group on one pin any more.
    assert physical.values("latitude", "longitude").distinct().count() > 1


def test_demo_topics_have_english_names():
    create_topics()

    assert not Topic.objects.filter(name_en="").exists()
    assert Topic.objects.get(slug="sorg").name_en == "Grief"
