"""A group's status and "when" read the same in the search results and on the group page: both
come from groups/wording.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from groups.models import Group
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "open_for_new_members", "text"),
    [
        (Group.Status.RUNNING, False, "Gruppen er full: meld interesse, så får du beskjed"),
        (Group.Status.PAUSED, True, "Gruppen har pause nå: meld interesse, så får du beskjed"),
        (Group.Status.PLANNED, True, "Oppstart er planlagt: meld interesse for å bli med"),
    ],
)
def test_the_search_row_and_the_group_page_word_the_status_alike(
    client, contact_point, status, open_for_new_members, text
):
    group = factories.make_group(
        contact_point,
        name="Sorggruppe Dombås",
        status=status,
        open_for_new_members=open_for_new_members,
        weekday=2,
        start_time=datetime.time(18, 0),
        starts_on=datetime.date(2027, 1, 12),
    )
    search = client.get(reverse("groups:group-search"), {"q": "Sorggruppe"})
    row = next(g for g in search.context["groups"] if g.pk == group.pk)
    page = client.get(group.get_absolute_url()).content.decode()
    assert row.status_label == text
    assert text in page
    assert row.when_label.startswith("Tirsdager kl. 18.00, ")
    assert row.when_label in page


def test_the_wording_follows_the_readers_language(client, contact_point):
    group = factories.make_group(contact_point, name="Sorg", status=Group.Status.GATHERING)
    with translation.override("en"):
        page = client.get("/en" + group.get_absolute_url()).content.decode()
    assert "Starter når nok har meldt seg" not in page
