"""The public group page at /grupper/<slug>/ and the "what is a self-help group" page."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from groups.models import Group

pytestmark = pytest.mark.django_db


def page(client, group):
    response = client.get(reverse("groups:group-detail", kwargs={"slug": group.slug}))
    return response, response.content.decode()


def test_it_shows_what_when_where_and_the_contact_point(client, make_group, contact_point):
    group = make_group(
        "Sorggruppe på Dombås",
        description="For deg som har mistet noen.",
        weekday=2,
        start_time=datetime.time(18, 0),
        frequency=Group.Frequency.BIWEEKLY,
        public_area="Dombås sentrum",
    )

    response, html = page(client, group)

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "For deg som har mistet noen." in html
    assert "Tirsdager kl. 18.00, annenhver uke" in html
    assert "Dombås sentrum, Dovre" in html
    assert contact_point.get_absolute_url() in html
    assert "Sist bekreftet" in html
    assert "Sorg" in html


def test_it_says_digitalt_for_a_digital_group(client, make_group):
    group = make_group("Digital", format="digital", municipality=None, public_area="")

    _, html = page(client, group)

    assert "Digitalt, på video" in html


@pytest.mark.parametrize(
    ("status", "is_open", "words"),
    [
        (Group.Status.RUNNING, True, "Gruppen har plass"),
        (Group.Status.RUNNING, False, "Gruppen er full: meld interesse, så får du beskjed"),
        (Group.Status.GATHERING, True, "Starter når nok har meldt seg"),
        (Group.Status.PLANNED, True, "Starter når nok har meldt seg"),
        (Group.Status.PAUSED, True, "Gruppen har pause nå"),
    ],
)
def test_it_states_the_status_in_plain_words(client, make_group, status, is_open, words):
    group = make_group("Gruppen", status=status, open_for_new_members=is_open)

    _, html = page(client, group)

    assert words in html


def test_it_shows_the_next_start_date_of_a_planned_group(client, make_group):
    group = make_group(
        "Ny gruppe", status=Group.Status.PLANNED, starts_on=datetime.date(2031, 3, 4)
    )

    _, html = page(client, group)

    assert "Neste oppstart 4. mars 2031" in html


@pytest.mark.parametrize(
    "extra", [{"is_published": False}, {"status": Group.Status.ENDED}], ids=["unpublished", "ended"]
)
def test_it_returns_404_for_groups_the_public_may_not_see(client, make_group, extra):
    group = make_group("Skjult", **extra)

    response, _ = page(client, group)

    assert response.status_code == 404


def test_it_never_shows_the_venue_address(client, make_group):
    group = make_group("Dovre-gruppen", venue_address="Hemmeligveien 1")

    _, html = page(client, group)

    assert "Hemmeligveien" not in html


def test_it_includes_the_interest_form(client, make_group):
    group = make_group("Dovre-gruppen")

    response, html = page(client, group)

    assert response.context["interest_form"].group == group
    assert 'method="post"' in html
    assert "Meld interesse" in html


def test_it_describes_the_group_for_search_engines_safely(client, make_group):
    group = make_group("Gruppen </script><script>alert(1)</script>", slug="farlig", weekday=3)

    _, html = page(client, group)

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    data = json.loads(block)
    assert data["name"] == group.name
    assert data["@type"] == "Event"
    assert data["eventSchedule"]["byDay"] == "https://schema.org/Wednesday"
    assert "Hemmeligveien" not in block
    assert "<script>alert" not in html


def test_it_links_to_what_a_self_help_group_is(client, make_group):
    group = make_group("Dovre-gruppen")

    _, html = page(client, group)

    assert reverse("groups:what-is-self-help") in html


def test_the_what_is_page_explains_the_essentials(client):
    response = client.get(reverse("groups:what-is-self-help"))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    for words in ("4 til 8 voksne", "gratis", "taushetsplikt", "igangsetter", "18 år"):
        assert words in html
    assert reverse("groups:group-search") in html
