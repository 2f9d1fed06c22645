"""The search's SQL (groups/services/search.py) finds what the readable ORM definition finds
(`Group.objects.published().matching(...)` with `near()` or the list orders), in the same order,
for every filter; and near a place it reads only the rings it needs."""

from __future__ import annotations

import datetime
import itertools
import math
import random
import re

import pytest
from django.db import connection
from django.urls import reverse

from groups.models import Group
from groups.services import search
from groups.topics import all_topics
from selvhjelp.geo import EARTH_RADIUS_KM, Place
from tests import factories
from tests.groups.conftest import explain, sent_searches

STALE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
DOMBAS = Place(name="Dombås", latitude=62.0747, longitude=9.1243, municipality_number="3431")


@pytest.fixture
def varied_groups(contact_point, sorg, angst):
    """150 groups of every kind around Dombås: formats, weekdays, states, topics, words, some
    at the very same point (ties), some without a start date or a weekday."""
    rng = random.Random(15)
    grief = factories.make_topic("Savn", name_en="Missing someone")
    statuses = [Group.Status.RUNNING, Group.Status.PLANNED, Group.Status.PAUSED, Group.Status.ENDED]
    words = ["sorg og savn", "angst i hverdagen", "for pårørende", "ensomhet", "gruppe"]
    groups = Group.objects.bulk_create(
        Group(
            name=f"Gruppe {n:03d}",
            slug=f"gruppe-{n:03d}",
            description=f"En gruppe om {rng.choice(words)}",
            contact_point=contact_point,
            municipality=contact_point.municipality,
            public_area="Dombås sentrum" if n % 5 else "",
            latitude=DOMBAS.latitude + (0 if n % 13 == 0 else rng.uniform(-0.9, 0.9)),
            longitude=DOMBAS.longitude + (0 if n % 13 == 0 else rng.uniform(-1.8, 1.8)),
            format=rng.choice(list(Group.Format.values)),
            status=rng.choice(statuses),
            weekday=rng.choice([None, 1, 2, 3, 4, 5, 6, 7]),
            start_time=rng.choice([None, datetime.time(18), datetime.time(10, 30)]),
            starts_on=rng.choice([None, datetime.date(2027, 1, 5), datetime.date(2026, 12, 1)]),
            open_for_new_members=rng.random() < 0.7,
            is_published=rng.random() < 0.9,
            stale_since=None if rng.random() < 0.95 else STALE,
        )
        for n in range(150)
    )  # fmt: skip
    topics = [sorg, angst, grief]
    Group.topics.through.objects.bulk_create(
        Group.topics.through(group_id=group.pk, topic_id=topic.pk)
        for n, group in enumerate(groups)
        for topic in topics[: 1 + n % 3][:: -1 if n % 2 else 1]
    )
    return {"sorg": sorg, "angst": angst, "savn": grief}


def _combinations(topics):
    texts = ["", "sorg", "savn", "missing", "pårørende", "an", "ikke-et-ord"]
    for text, topic, format, weekday, open_only in itertools.product(
        texts,
        [None, topics["sorg"], topics["savn"]],
        [None, *Group.Format.values],
        [None, 2],
        [False, True],
    ):
        yield {
            "text": text,
            "topic": topic,
            "format": format,
            "weekday": weekday,
            "open_only": open_only,
        }


# How a list with filters reads (groups/services/search.py, _window_or_matches): with the
# module's window every group here fits, so the ordered read decides; with a window of three
# groups the matching groups are read from the index of group_terms and sorted; with at most
# two of those as well, it reads on in order to the end. (A search near a place reads the same
# way with every one of them.)
READS = [(search.WINDOW, search.MATCHES), (3, search.MATCHES), (3, 2)]


def _read_with(monkeypatch, reads):
    window, matches = reads
    monkeypatch.setattr(search, "WINDOW", window)
    monkeypatch.setattr(search, "MATCHES", matches)


@pytest.mark.parametrize("reads", READS)
def test_near_a_place_it_finds_what_the_orm_finds_in_the_same_order(
    varied_groups, monkeypatch, reads
):
    _read_with(monkeypatch, reads)
    topics = all_topics()
    for filters, radius in itertools.product(_combinations(varied_groups), [5, 25, 100]):
        expected = list(
            Group.objects.published()
            .matching(**filters)
            .physical()
            .near(DOMBAS.latitude, DOMBAS.longitude, radius)
            .values_list("id", flat=True)[:201]
        )
        found = search.near(
            search.Filters(**filters), topics, origin=DOMBAS, radius_km=radius, limit=201
        )
        assert [row.id for row in found.results] == expected, (filters, radius)
        assert found.count == len(expected), (filters, radius)


@pytest.mark.parametrize("reads", READS)
@pytest.mark.parametrize(
    ("digital", "order", "orm_order"),
    [(False, "municipality", ("municipality_id", "name")), (True, "start", ("starts_on", "name"))],
)
def test_the_lists_without_a_place_find_what_the_orm_finds(
    varied_groups, monkeypatch, digital, order, orm_order, reads
):
    _read_with(monkeypatch, reads)
    topics = all_topics()
    for filters in _combinations(varied_groups):
        published = Group.objects.published().matching(**filters)
        published = published.digital() if digital else published.physical()
        expected = list(published.order_by(*orm_order).values_list("id", flat=True))
        found = search.listed(
            search.Filters(**filters), topics, digital=digital, order=order, limit=201
        )
        assert [row.id for row in found.results] == expected, filters
        assert found.count == len(expected), filters
        first = search.listed(
            search.Filters(**filters), topics, digital=digital, order=order, limit=11, count=False
        )
        assert [row.id for row in first.results] == expected[:11], filters


def test_the_held_topics_are_every_topic_in_the_lists_order(varied_groups):
    from groups.models import Topic
    from groups.topics import _read_topics

    held = _read_topics()
    assert [(t.pk, t.name, t.name_en, t.slug, t.position) for t in held] == [
        (t.pk, t.name, t.name_en, t.slug, t.position) for t in Topic.objects.all()
    ]


def test_the_page_offset_and_the_count_agree_with_the_whole_list(varied_groups):
    topics = all_topics()
    whole = search.near(search.Filters(), topics, origin=DOMBAS, radius_km=100, limit=201)
    second = search.near(
        search.Filters(), topics, origin=DOMBAS, radius_km=100, offset=20, limit=20
    )

    assert [row.id for row in second.results] == [row.id for row in whole.results[20:40]]
    assert second.count == whole.count > 40


def test_rows_carry_what_a_result_row_shows(varied_groups, contact_point):
    [row] = search.near(
        search.Filters(text="Gruppe 000"), all_topics(), origin=DOMBAS, radius_km=5
    ).results[:1] or [None]
    group = Group.objects.get(pk=row.id)

    assert (row.name, row.slug, row.municipality_name, row.contact_point_name) == (
        group.name,
        group.slug,
        group.municipality.name,
        contact_point.name,
    )
    assert sorted(row.topic_ids) == sorted(group.topics.values_list("pk", flat=True))
    assert row.distance_km == pytest.approx(0, abs=1e-6)


def test_a_dense_place_reads_only_the_rings_it_needs(client, contact_point, sorg):
    """300 groups within 10 km of Dombås: the first three rings (to 10 km) hold over 200, so
    the rings to 25, 50 and 100 km are never read."""
    from tests.groups.conftest import bulk_groups

    bulk_groups(contact_point, sorg, 300)
    with sent_searches() as sent:
        response = client.get(reverse("groups:group-search"), {"sted": "2660", "avstand": "100"})
    assert response.context["page"].paginator.capped
    [statement] = [(sql, values) for sql, values in sent if "ring" in sql]

    plan = "\n".join(explain(statement, analyze=True))

    rings = re.search(r"Function Scan on ring \(actual rows=(\d+) loops=1\)", plan)
    assert rings, plan
    assert int(rings[1]) == 3, plan


def _groups_at(contact_point, topic, points: list[tuple[float, float]]) -> list[int]:
    """Published groups that meet in person, one at each (latitude, longitude)."""
    return [
        factories.make_group(
            contact_point,
            topics=[topic],
            latitude=latitude,
            longitude=longitude,
            format=Group.Format.PHYSICAL,
        ).pk
        for latitude, longitude in points
    ]


def _point_at(origin: Place, km: float, bearing_degrees: float) -> tuple[float, float]:
    """The point `km` from `origin` in the direction `bearing_degrees` (on the sphere)."""
    lat, lon = math.radians(origin.latitude), math.radians(origin.longitude)
    angle, bearing = km / EARTH_RADIUS_KM, math.radians(bearing_degrees)
    lat2 = math.asin(
        math.sin(lat) * math.cos(angle) + math.cos(lat) * math.sin(angle) * math.cos(bearing)
    )
    lon2 = lon + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat),
        math.cos(angle) - math.sin(lat) * math.sin(lat2),
    )
    return math.degrees(lat2), math.degrees(lon2)


def test_groups_just_past_a_rings_edge_in_any_direction_are_found(contact_point, sorg):
    """Each ring leaves out a box inside the rings before it (its hole): the groups just
    inside and just outside every ring's edge, in eight directions (the diagonals reach
    furthest into the box), are all found, nearest first."""
    points = [
        _point_at(DOMBAS, edge + step, bearing)
        for edge in search.RING_EDGES_KM
        for step in (-0.05, 0.05)
        for bearing in range(0, 360, 45)
    ]
    ids = _groups_at(contact_point, sorg, points)
    expected = list(
        Group.objects.published()
        .physical()
        .near(DOMBAS.latitude, DOMBAS.longitude, 100)
        .values_list("id", flat=True)[:201]
    )
    assert sorted(expected) == sorted(ids)

    found = search.near(search.Filters(), all_topics(), origin=DOMBAS, radius_km=100, limit=201)

    assert [row.id for row in found.results] == expected
    assert found.count == len(ids)


def test_a_ring_does_not_read_the_groups_of_the_rings_before_it_again(contact_point, sorg):
    """50 groups within a kilometre, a search within 100 km: every ring is read (there are
    fewer than 201). The rings from HOLE_FROM_KM out leave the groups within it alone (their
    hole holds them); the rings before read them as one box each."""
    _groups_at(contact_point, sorg, [_point_at(DOMBAS, 0.02 * n, 7 * n) for n in range(50)])
    near_rings = 1 + sum(edge < search.HOLE_FROM_KM for edge in search.RING_EDGES_KM)
    assert 1 < near_rings < 1 + len(search.RING_EDGES_KM)

    def fetched() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = %s",
                [Group._meta.db_table],
            )
            return cursor.fetchone()[0]

    topics = all_topics()
    with connection.cursor() as cursor:
        # At test scale a sequential scan is cheaper; at scale the rings read the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
    before = fetched()
    found = search.near(search.Filters(), topics, origin=DOMBAS, radius_km=100)
    assert found.count == 50

    # Each near ring reads the 50, and the page's 20 rows are read once more for their names.
    # (Read again by each of the ten rings, it would be 10 × 50 + 20.)
    assert fetched() - before == near_rings * 50 + 20


@pytest.mark.parametrize(
    "filters", [{}, {"topic": "sorg"}, {"text": "sentrum", "weekday": 3, "open_only": True}]
)
def test_the_ring_search_reads_the_filters_in_the_public_point_index(contact_point, sorg, filters):
    """Each ring is read from group_public_point_terms, its box and (with filters) the terms of
    every filter in the index condition: only the groups that match are read from the table."""
    from tests.groups.conftest import bulk_groups

    bulk_groups(contact_point, sorg, 50)
    if filters.get("topic"):
        filters = {**filters, "topic": sorg}
    with sent_searches() as sent:
        found = search.near(search.Filters(**filters), all_topics(), origin=DOMBAS, radius_km=25)
    assert found.count
    [statement] = sent

    with connection.cursor() as cursor:
        # At test scale a sequential scan is cheaper; what matters is that the index fits.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = "\n".join(explain(statement))

    scan = re.search(
        r"(?:Index Scan using|Bitmap Index Scan on) group_public_point_terms\b.*\n"
        r"\s*Index Cond: (.*)",
        plan,
    )
    assert scan, plan
    assert ("group_terms(" in scan[1]) == bool(filters), plan


def test_the_search_statement_is_prepared_once_per_connection(client, contact_point, sorg):
    from tests.groups.conftest import bulk_groups

    bulk_groups(contact_point, sorg, 30)
    for place in ("2660", "Lesja", "Oslo", "Dovre"):
        client.get(reverse("groups:group-search"), {"sted": place})

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '/* group search */%%' AND statement LIKE '%%ring%%'"
        )
        [(runs,)] = cursor.fetchall()
    assert runs == 4  # one statement, sent four times


def test_a_search_with_words_is_planned_for_its_words(client, contact_point, sorg):
    """Not prepared: the plan depends on how common the word is, which a generic plan of a
    prepared statement cannot know."""
    for word in ("sorg", "angst", "gruppe", "sorg", "sorg", "sorg", "sorg"):
        client.get(reverse("groups:group-search"), {"sted": "2660", "q": word})

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%%websearch%%'"
        )
        [(prepared,)] = cursor.fetchall()
    assert prepared == 0


def _ran_matching_groups(found_with, filters):
    """Whether the search's statement read the matching groups from their index (the
    group_public_matches branch ran) rather than settling on the groups read in order."""
    with sent_searches() as sent:
        found_with(search.Filters(**filters))
    [statement] = sent
    plan = "\n".join(explain(statement, analyze=True))
    scan = re.search(r"Function Scan on group_public_matches.*", plan)
    assert scan, plan
    return "never executed" not in scan[0]


def test_filters_that_seldom_meet_are_read_from_their_index(contact_point, sorg, monkeypatch):
    """Over WINDOW groups in order without a page full of hits: the rest of the list is read
    from the index of group_terms, not group by group to its end."""
    from tests.groups.conftest import bulk_groups

    bulk_groups(contact_point, sorg, 260)  # 234 meet in person, all within 10 km
    monkeypatch.setattr(search, "WINDOW", 220)
    topics = all_topics()

    def found_with(filters):
        return search.listed(filters, topics, digital=False, order="municipality")

    assert _ran_matching_groups(found_with, {"text": "ikke-et-ord", "topic": sorg})
    # A word every group has fills the page from the groups read in order.
    assert not _ran_matching_groups(found_with, {"text": "sentrum", "topic": sorg})
    # One weekday: about 30 of the 220 groups read in order. Below DENSE the rest come from
    # the index; from DENSE on the page is a few windows further, and the list reads on.
    wednesday = {"weekday": 3, "topic": sorg}
    assert _ran_matching_groups(found_with, wednesday)
    monkeypatch.setattr(search, "DENSE", 20)
    assert not _ran_matching_groups(found_with, wednesday)
    found = found_with(search.Filters(**wednesday))
    expected = (
        Group.objects.published()
        .matching(**wednesday)
        .physical()
        .order_by("municipality_id", "name")
        .values_list("id", flat=True)
    )
    assert [row.id for row in found.results] == list(expected[:20])
    assert found.count == len(expected)


@pytest.mark.parametrize(
    ("digital", "filters", "asked"),
    [
        (False, {"text": "ikke-et-ord", "weekday": 3, "open_only": True}, ["ikke"]),
        (False, {"topic": "sorg", "weekday": 3, "format": "fysisk"}, ["'_t", "_ffysisk"]),
        (False, {"weekday": 3, "open_only": True}, ["_w3", "_open"]),
        (True, {"text": "ikke-et-ord", "weekday": 3}, ["ikke", "_fdigital"]),
        (True, {"weekday": 3, "open_only": True}, ["_w3", "_open", "_fdigital"]),
    ],
)
def test_the_list_asks_the_index_for_all_but_weekday_and_open(
    contact_point, sorg, digital, filters, asked
):
    """The list asks the index of group_terms for the words, the topic and the format (the
    digital list's own too), and for a weekday and "open" only when there is nothing else:
    each holds too many groups to be worth reading there, and is checked on the rows read."""
    if filters.get("topic"):
        filters = {**filters, "topic": sorg}
    order = "start" if digital else "municipality"
    with sent_searches() as sent:
        search.listed(search.Filters(**filters), all_topics(), digital=digital, order=order)
    [(sql, values)] = sent
    call = re.search(r"group_public_matches\((.*?), \d+\) m \(id\)", sql, re.DOTALL)
    assert call, sql
    query = connection.ops.compose_sql(call[1], values)

    for term in ["_w3", "_open", "_ffysisk", "_fdigital", "ikke", "'_t"]:
        assert (term in query) == (term in asked), (term, query)


def test_a_groups_topic_ids_follow_its_topics(contact_point, sorg, angst):
    """groups_group.topic_ids (triggers, groups/migrations/0011) as the join table has them,
    after every way Django changes a group's topics or deletes a topic."""
    group = factories.make_group(contact_point)
    other = factories.make_group(contact_point)

    def topic_ids(of):
        with connection.cursor() as cursor:
            cursor.execute("SELECT topic_ids FROM groups_group WHERE id = %s", [of.pk])
            return cursor.fetchone()[0]

    group.topics.set([sorg, angst])
    other.topics.set([angst])
    assert topic_ids(group) == sorted([sorg.pk, angst.pk])
    group.topics.remove(sorg)
    assert topic_ids(group) == [angst.pk]
    group.name = "Nytt navn"
    group.save()  # the ORM never writes the column
    assert topic_ids(group) == [angst.pk]
    angst.delete()
    assert topic_ids(group) == topic_ids(other) == []
    group.topics.add(sorg)
    group.topics.clear()
    assert topic_ids(group) == []
