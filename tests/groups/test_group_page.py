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
        (Group.Status.PLANNED, True, "Oppstart er planlagt: meld interesse for å bli med"),
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


# Issue 8: back to the search, status that agrees with the facts, the sign-up form ------------


def test_back_to_the_search_keeps_the_search(client, make_group):
    group = make_group("Dovre-gruppen")
    search = client.get(reverse("groups:group-search"), {"sted": "2660", "tema": "sorg"})
    [row] = search.context["groups"]

    html = client.get(row.url).content.decode()

    assert '<a href="/grupper/?sted=2660&amp;tema=sorg">Tilbake til søket</a>' in html
    assert group.get_absolute_url() in row.url


@pytest.mark.parametrize(
    "carried",
    ["//evil.example/x", "https://evil.example/", "sted=2660&next=//evil.example&lat=62.1"],
)
def test_back_to_the_search_never_leaves_the_site_or_carries_a_position(
    client, make_group, carried
):
    group = make_group("Dovre-gruppen")

    response = client.get(group.get_absolute_url(), {"fra": carried})

    back = response.context["back_url"]
    assert back.startswith("/grupper/")
    assert "evil" not in back and "lat" not in back and "next" not in back


def test_a_planned_group_with_a_date_says_it_is_planned_and_prints_the_date_once(
    client, make_group
):
    group = make_group(
        "Ny gruppe", status=Group.Status.PLANNED, starts_on=datetime.date(2031, 3, 4)
    )

    _, html = page(client, group)
    results = client.get(reverse("groups:group-search"), {"sted": "2660"}).content.decode()

    for text in (html, results):
        assert "Starter når nok har meldt seg" not in text
        assert "Oppstart er planlagt" in text
        assert text.count("4. mars 2031") == 1


def test_a_group_gathering_interest_shows_no_start_date_that_contradicts_it(client, make_group):
    group = make_group("Samler", status=Group.Status.GATHERING, starts_on=datetime.date(2031, 3, 4))

    _, html = page(client, group)

    assert "Starter når nok har meldt seg" in html
    assert "4. mars 2031" not in html


def test_the_sign_up_form_links_to_privacy_and_asks_no_topic_or_place(client, make_group):
    group = make_group("Dovre-gruppen")

    _, html = page(client, group)

    assert reverse("privacy") in html
    assert 'name="topic"' not in html and 'name="place"' not in html


def test_topics_show_their_english_name_on_english_pages(client, make_group, sorg):
    sorg.name_en = "Grief"
    sorg.save()
    group = make_group("Sorggruppe", topics=[sorg])

    norwegian = client.get(group.get_absolute_url()).content.decode()
    english = client.get("/en" + group.get_absolute_url()).content.decode()

    assert "<dd>Grief</dd>" in english
    assert "<dd>Sorg</dd>" in norwegian


# Cost: one query, and the sign-up form without a template per field or widget ----------------


def test_the_anonymous_group_page_takes_one_query_however_many_topics(
    client, make_group, sorg, angst, django_assert_num_queries
):
    one = make_group("Sorggruppe", topics=[sorg])
    two = make_group("Sorg og angst", topics=[sorg, angst])
    client.get(make_group("Lesja-gruppen").get_absolute_url())  # the topic list is now held

    for group in (one, two):
        with django_assert_num_queries(1):
            response = client.get(group.get_absolute_url())
        assert response.status_code == 200
    assert "<dd>Angst, Sorg</dd>" in response.content.decode()


def test_the_group_page_draws_the_sign_up_form_without_crispy_or_widget_templates(
    client, make_group
):
    group = make_group("Dovre-gruppen")

    response = client.get(group.get_absolute_url())

    names = {template.name for template in response.templates}
    assert "selvhjelp/includes/_form_fields.html" in names
    assert not {name for name in names if name.startswith(("bootstrap5/", "django/forms/"))}
