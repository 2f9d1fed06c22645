"""The search at scale: counts capped at 200 for lists without a place, and the list with no
place read in order from an index (at small scale, the planner's choice with fresh statistics)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.services import search
from tests.groups.conftest import bulk_groups, hits_plan, search_statements, sent_searches

URL = reverse("groups:group-search")
PHYSICAL_INDEX = "group_published_physical"


def _count_text(html: str) -> str:
    return " ".join(re.search(r'class="result-count">(.*?)</p>', html, re.S)[1].split())


def test_a_long_list_without_a_place_says_over_200(client, contact_point, sorg):
    bulk_groups(contact_point, sorg, 300)  # 270 physical

    response = client.get(URL)
    html = response.content.decode()

    assert _count_text(html).startswith("Over 200 grupper.")
    assert "Side 1 av 10" in html
    assert len(response.context["groups"]) == 20


def test_a_long_list_without_a_place_says_over_200_in_english(client, contact_point, sorg):
    bulk_groups(contact_point, sorg, 300)

    html = client.get("/en" + URL).content.decode()

    assert _count_text(html).startswith("More than 200 groups.")


def test_a_list_up_to_the_cap_counts_exactly(client, contact_point, sorg):
    bulk_groups(contact_point, sorg, 222)  # 199 physical (every tenth is digital)

    html = client.get(URL).content.decode()

    assert _count_text(html).startswith("199 grupper.")


@pytest.mark.parametrize("params", [{"format": "fysisk"}, {"sted": "2660", "avstand": "100"}])
def test_the_capped_count_reads_at_most_201_rows(client, contact_point, sorg, params):
    bulk_groups(contact_point, sorg, 300)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)

    [statement] = [sql for sql in search_statements(captured) if "LIMIT 11" not in sql]
    assert statement.count("LIMIT 201") >= 1, statement
    # Counted: only what a LIMIT has bounded (a search with filters counts the groups it read
    # in order, their hits and the matches it took from the index).
    counted = re.findall(r"COUNT\(\*\) FROM (\w+)", statement.upper().split("), TOTAL AS")[0])
    assert set(counted) <= {"ORDERED", "SCAN", "MATCHED"}, statement
    assert response.context["page"].paginator.capped


def test_the_list_with_no_place_is_grouped_by_municipality(client, make_group, lesja, oslo):
    make_group("B-gruppen", municipality=oslo, public_area="Grünerløkka")
    make_group("A-gruppen", municipality=lesja, public_area="Lesja sentrum")
    make_group("C-gruppen")  # Dovre

    response = client.get(URL)

    names = [group.name for group in response.context["groups"]]
    by_number = sorted(
        response.context["groups"], key=lambda group: (group.municipality_id, group.name)
    )
    assert names == [group.name for group in by_number]


def test_the_physical_list_index_exists(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'groups_group' AND indexname = %s",
            [PHYSICAL_INDEX],
        )
        row = cursor.fetchone()

    assert row, f"index {PHYSICAL_INDEX} is missing"
    assert "(municipality_id, name) WHERE" in row[0]


@pytest.mark.parametrize("params", [{}, {"format": "fysisk"}])
def test_the_list_with_no_place_is_read_in_order_from_the_index(
    client, contact_point, sorg, params, monkeypatch
):
    # A search with filters reads at most WINDOW groups in order first; a window smaller than
    # the list, as at full scale, so that the planner reads it from the index too.
    monkeypatch.setattr(search, "WINDOW", 300)
    bulk_groups(contact_point, sorg, 3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE groups_group")

    with sent_searches() as sent:
        client.get(URL, params)
    statements = [
        (sql, values)
        for sql, values in sent
        if "g.format <> 'digital'" in sql.split("), total AS", 1)[0]
    ]
    assert statements
    for statement in statements:
        plan = hits_plan(statement, analyze=True)
        assert f"Index Scan using {PHYSICAL_INDEX}" in plan, plan
        # The index gives the order: nothing is sorted (a search with filters has a sort for
        # the groups it would take from the index of group_terms, none here).
        sorts = [line for line in plan.splitlines() if re.match(r"\s*(->\s+)?Sort \(", line)]
        assert all(re.search(r"never executed|actual rows=0 ", line) for line in sorts), plan


def test_no_latitude_or_longitude_index_is_left_beside_the_public_point_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'groups_group'"
        )
        definitions = dict(cursor.fetchall())

    on_columns = [d for d in definitions.values() if re.search(r"\((latitude|longitude)[,)]", d)]
    assert on_columns == []
    assert (
        "USING gist (point((longitude * (0.5)::double precision), latitude), group_terms("
        in (definitions["group_public_point_terms"])
    )
    assert "group_public_point" not in definitions  # the same points, without the terms


def test_a_long_list_near_a_place_says_over_200_nearest_first(client, contact_point, sorg):
    bulk_groups(contact_point, sorg, 300)  # 270 physical within 10 km of Dombås

    response = client.get(URL, {"sted": "2660", "avstand": "25"})
    html = response.content.decode()

    assert _count_text(html).startswith(
        "Over 200 grupper innen 25 km fra 2660 Dombås. De nærmeste står først."
    )
    assert "Side 1 av 10" in html
    distances = [group.distance_km for group in response.context["groups"]]
    assert distances == sorted(distances) and len(distances) == 20

    english = client.get("/en" + URL, {"sted": "2660", "avstand": "25"}).content.decode()
    assert _count_text(english).startswith(
        "More than 200 groups within 25 km of 2660 Dombås. The nearest come first."
    )
