"""The public group search in SQL: one statement per search, with its count.

The search is the portal's busiest page, so it is written in SQL rather than composed by the
ORM: composing and compiling the queryset, and building model objects, cost more than
PostgreSQL spent answering. `GroupQuerySet.published()` and `.matching()` remain the readable
definition of which groups a search finds; tests/groups/test_search_sql.py checks that the two
agree, filter by filter and in order.

Every statement reads at most COUNT_CAP + 1 matching groups and counts those ("over 200"), then
joins names and topics for the page's rows only.

Near a place, the groups are read ring by ring outwards (0-2 km, 2-5 km, … up to the radius),
each ring from the public point index (group_public_point_terms) with its own bounding box,
less a box inside the rings before it, sorted by exact distance. The rings are joined in
order in a nested loop under the LIMIT, so PostgreSQL stops after the ring that brings the
total past the cap: a dense city reads a few hundred rows, not every group within 100 km. The
result is exact: a ring holds exactly the groups whose distance falls in it, and rings come
nearest first.

A search with filters could read far more: when few groups meet them (a topic and a word that
no group has together), reading in order finds nothing until the end of the list or the
radius. group_terms() (groups/migrations/0011 and 0012) writes each group's words, topics,
format, weekday and "open" as one text-search document, so that one tsquery asks for every
filter at once:

- Near a place, the public point index holds that document beside the point, so a ring's scan
  checks the filters in the index and reads from the table only the groups that match.
- In a list, a search with filters reads at most WINDOW groups in order. When those hold a
  full page count, or are all there is, that is the answer. Otherwise the same statement reads
  the groups with the words and the topic from the index of group_terms (group_public_terms),
  keeps those that pass the other filters and sorts them, when there are at most MATCHES; with
  more, it reads on in order. Which way is decided while the statement runs, on what it has
  read, not on the planner's estimate: the planner counts a word and a topic as independent,
  and they seldom are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

from groups.models import Group, Topic
from selvhjelp.geo import EARTH_RADIUS_KM, Place, bounding_box

# Every search statement starts with this comment: it names them in pg_stat_statements and
# in the tests.
MARK = "/* group search */"

# Counts stop here: nobody pages through more than ten pages, and an exact count of a long list
# reads every row of it.
COUNT_CAP = 200

# The rows a statement reads at most: one more than it counts. Written into the statements.
CAP = COUNT_CAP + 1

# A list with filters reads at most this many groups in order before it reads the matching
# groups instead (see the module's docstring). At a million groups, reading 5,000 in order took
# 5-15 ms.
WINDOW = 5000

# ... and then the groups with the words and the topic from the index of group_terms, when
# there are at most this many (each one read from the table); more, and it reads on in order.
MATCHES = 10000

# ... unless the window held at least this many hits: then the page is a few windows further on
# (at a million groups, reading on cost 20-50 ms where asking the index cost 40-80 ms for a
# common overlap).
DENSE = 50

# Ring edges in km, nearest first; the last ring ends at the search radius. Close enough that
# one ring seldom holds many more groups than the rings before it: each ring is read whole.
RING_EDGES_KM = (2, 5, 10, 15, 20, 25, 35, 50, 70)

# A ring's box has a hole, a box HOLE × the inner edge from the centre to each side: its
# corners lie within 0.98 of the inner edge (0.68 × √2 = 0.96, plus the longitude's shrinking
# with latitude, at Norway's northern tip), so every group in it belongs to the rings before.
# The ring reads its box's four strips around the hole. Without it each ring read the groups
# of the rings before it again: twice the groups within the radius in all when nothing
# matched (at a million groups, Oslo within 100 km with a topic and a word no group shares:
# 77 ms, 41-48 ms with the holes, the index read from memory). Only from HOLE_FROM_KM out: a
# nearer ring re-reads little, and four scans cost more than one (at 10,000 groups a search
# within 25 km of Oslo took 2.1-2.7 ms as one box a ring, 2.8-3.3 ms as strips).
HOLE = 0.68
HOLE_FROM_KM = 25

# The public point index stores point(longitude * POINT_X_SCALE, latitude): about square
# kilometres in southern Norway, so that its boxes are compact. POINT and TERMS: keep in step
# with the indexes of groups/migrations/0012 (the planner matches the expressions as written).
POINT_X_SCALE = 0.5
POINT = f"point(g.longitude * {POINT_X_SCALE}, g.latitude)"
TERMS = (
    "group_terms(g.search_vector, g.topic_ids, g.format, g.weekday,"
    " g.open_for_new_members AND g.status <> 'pause')"
)
PUBLIC = "g.is_published AND g.stale_since IS NULL AND g.status <> {ended} AND {format_condition}"

# Haversine, as selvhjelp.geo.distance_km_expression writes it for the ORM.
DISTANCE_KM = (
    "2 * %(earth_radius)s * asin(sqrt(least("
    "power(sin((radians(g.latitude) - radians(%(lat)s)) / 2), 2)"
    " + cos(radians(%(lat)s)) * cos(radians(g.latitude))"
    " * power(sin((radians(g.longitude) - radians(%(lon)s)) / 2), 2), 1.0)))"
)

# What a result row shows (groups/views/search.py), read for the page's rows only.
ROW_COLUMNS = """
    g.id, g.name, g.slug, g.format, g.public_area, g.latitude, g.longitude, g.starts_on,
    g.weekday, g.start_time, g.frequency, g.status, g.open_for_new_members, g.municipality_id,
    m.name, cp.name,
    ARRAY(SELECT gt.topic_id FROM groups_group_topics gt WHERE gt.group_id = g.id)
"""
ROW_JOINS = """
    LEFT JOIN groups_group g ON g.id = p.id
    LEFT JOIN selvhjelp_municipality m ON m.number = g.municipality_id
    LEFT JOIN contactpoints_contactpoint cp ON cp.id = g.contact_point_id
"""


@dataclass(frozen=True)
class Filters:
    """The search's filters, as the form cleaned them (GroupSearchForm.filters())."""

    text: str = ""
    topic: Topic | None = None
    format: str | None = None
    weekday: int | None = None
    open_only: bool = False


@dataclass
class Result:
    """One group as a result row shows it (no model instance: only what the row needs)."""

    id: int
    name: str
    slug: str
    format: str
    public_area: str
    latitude: float | None
    longitude: float | None
    starts_on: datetime.date | None
    weekday: int | None
    start_time: datetime.time | None
    frequency: str
    status: str
    open_for_new_members: bool
    municipality_id: str | None
    municipality_name: str | None
    contact_point_name: str
    topic_ids: list[int] = field(default_factory=list)
    distance_km: float | None = None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def is_digital(self) -> bool:
        return self.format == Group.Format.DIGITAL


@dataclass
class Found:
    results: list[Result]
    # At most COUNT_CAP + 1: more than COUNT_CAP means "over COUNT_CAP".
    count: int

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def text_topic_ids(text: str, topics: list[Topic]) -> list[int]:
    """Topics whose name in either language contains the search word (three letters or more):
    «grief» on the English page finds the groups about «Sorg». In memory, from the held list."""
    if len(text) < 3:
        return []
    needle = text.casefold()
    return [
        topic.pk
        for topic in topics
        if needle in topic.name.casefold() or needle in (topic.name_en or "").casefold()
    ]


def _literal(value: str) -> str:
    """One of our own choice values as an SQL literal. Written into the statement, not sent as
    a parameter: the partial indexes match their conditions only against literals, also in a
    prepared statement's generic plan."""
    if not value.isalpha() or not value.islower():
        raise ValueError(value)
    return f"'{value}'"


@dataclass
class _Where:
    """A search's conditions: `public` (which groups are shown at all; the indexes' own
    condition) and `filters` (what the visitor asked for), with their parameters; `terms`: the
    filters as one tsquery of group_terms (groups/migrations/0012), "" without filters;
    `index_terms`: what the list asks that index for (all but a weekday and "open", if any)."""

    public: str
    filters: list[str]
    params: dict
    terms: str = ""
    index_terms: str = ""

    @property
    def all(self) -> str:
        return " AND ".join([self.public, *self.filters])

    @property
    def hit(self) -> str:
        return " AND ".join(self.filters) or "TRUE"


def _topic_term(*ids: int) -> str:
    """Topics as a tsquery of group_terms' topic lexemes ("'_t3' | '_t7'")."""
    return " | ".join(f"'_t{int(pk)}'" for pk in ids)


def _where(filters: Filters, topics: list[Topic], *, digital: bool | None) -> _Where:
    """The conditions for published groups matching the filters. `digital`: True for digital
    groups only, False for groups that meet in person (physical and hybrid), None for both.
    Topics are read from the group's own topic_ids (kept by triggers, groups/migrations/0011)."""
    if filters.format and filters.format not in Group.Format.values:
        raise ValueError(filters.format)
    ended, paused = _literal(Group.Status.ENDED), _literal(Group.Status.PAUSED)
    format_condition = {
        True: f"g.format = {_literal(Group.Format.DIGITAL)}",
        False: f"g.format <> {_literal(Group.Format.DIGITAL)}",
    }.get(digital, "TRUE")
    conditions = []
    params: dict = {}
    # Every filter also as a part of one tsquery of group_terms (groups/migrations/0012):
    # `selective` the words, the topic and the format; `broad` a weekday and "open".
    selective, broad = [], []
    if filters.text:
        ids = text_topic_ids(filters.text, topics)
        if filters.topic is None or filters.topic.pk not in ids:
            # (With the topic filter among those topics, every group it lets through matches.)
            params["text"] = filters.text
            query = "websearch_to_tsquery('norwegian'::regconfig, %(text)s)"
            words = f"g.search_vector @@ {query}"
            if ids:
                params["text_topics"] = ids
                params["text_topic_terms"] = _topic_term(*ids)
                words = f"({words} OR g.topic_ids && %(text_topics)s::bigint[])"
                query = f"({query} || %(text_topic_terms)s::tsquery)"
            conditions.append(words)
            selective.append(query)
    if filters.topic is not None:
        params["topic"] = filters.topic.pk
        params["topic_term"] = _topic_term(filters.topic.pk)
        conditions.append("g.topic_ids @> ARRAY[%(topic)s::bigint]")
        selective.append("%(topic_term)s::tsquery")
    if filters.format:
        conditions.append(f"g.format = {_literal(filters.format)}")
        if not digital:  # (in the digital list every group is digital)
            selective.append(f"'_f{filters.format}'::tsquery")
    if filters.weekday:
        params["weekday"] = filters.weekday
        conditions.append("g.weekday = %(weekday)s")
        broad.append(f"'_w{int(filters.weekday)}'::tsquery")
    if filters.open_only:
        conditions.append(f"g.open_for_new_members AND g.status NOT IN ({paused}, {ended})")
        broad.append("'_open'::tsquery")
    # The digital list's own condition, for the index to read too.
    own = [f"'_f{Group.Format.DIGITAL}'::tsquery"] if digital and (selective or broad) else []
    public = PUBLIC.format(ended=ended, format_condition=format_condition)
    # The GIN index is not asked for a weekday or "open" when there is more to ask for (the
    # words, the topic, the format): each holds a seventh or more of the groups, and ANDing
    # such long lists cost more than the rows they leave out (at a million groups a topic, a
    # word, Wednesday and open took 70 ms, the topic and the word 14 ms). The rows it reads
    # then pass every filter.
    terms = " && ".join(selective + broad + own)
    index_terms = " && ".join((selective or broad) + own)
    return _Where(public, conditions, params, terms, index_terms)


def _window_or_matches(
    where: _Where, in_order: str, columns: str, matches: str, rest: str, cap: int, window: int
) -> str:
    """The first `cap` hits of a search with filters, from the first of three reads that
    settles it:

    1. `in_order`: at most `window` public groups in the search's order, each with `hit`
       (whether it matches). Settled with `cap` hits among them, or when they were all there
       is.
    2. `matches`: the matching groups, sorted the same way, read from the index of
       group_terms (`{matched}` names them), when the window held fewer than DENSE hits and
       there are at most MATCHES groups.
    3. `rest`: reading on in order to the end, as a search without filters does (DENSE hits
       or more in the window, or more than MATCHES groups match: the page is further on).

    `{read}` is the condition that lets the second and third run. Every count is a subquery
    PostgreSQL runs only when asked, left to right: a common filter stops after a few hundred
    groups and never calls the index. (The hits of the first come in the order the groups
    were read: a CTE is read back in the order it was written.)"""
    page_full = f"(SELECT count(*) FROM ordered) >= {cap}"  # noqa: S608 - our own names
    all_read = f"(SELECT count(*) FROM scan) < {window}"  # noqa: S608 - our own names
    settled = f"({page_full} OR {all_read})"
    dense = f"(SELECT count(*) FROM ordered) >= {DENSE}"  # noqa: S608 - our own names
    few = f"(SELECT count(*) FROM matched) <= {MATCHES}"  # noqa: S608 - our own names
    matched = "g.id IN (SELECT id FROM matched)"
    return f"""
        WITH scan AS MATERIALIZED ({in_order}),
        ordered AS MATERIALIZED (SELECT {columns} FROM scan WHERE hit LIMIT {cap}),
        matched AS MATERIALIZED (
            SELECT m.id FROM group_public_matches({where.index_terms}, {MATCHES + 1}) m (id)
        )
        SELECT {columns} FROM ordered WHERE {settled}
        UNION ALL
        ({matches.format(matched=matched, read=f"NOT {settled} AND NOT {dense} AND {few}")})
        UNION ALL
        ({rest.format(read=f"NOT {settled} AND ({dense} OR NOT {few})")})
    """  # noqa: S608 - only our own fragments are formatted in


class _PreparingCursor(ServerBindingCursor):
    """Parameters bound by the server, and the statement prepared on the connection the first
    time it is sent: planning a search took longer than running it (0.4–0.6 ms against 0.1–2
    ms at 10,000 groups). A statement's text depends only on which filters are used, so a
    connection holds a few dozen of them at most. (Django leaves automatic preparing off for
    connection poolers; a pooler in transaction mode must support protocol-level prepared
    statements, as PgBouncer does from 1.21.)

    Not a search with words: it is planned for its words. (Measured before searches with
    filters read a window in order and then the index of group_terms: with the word hidden
    from the planner, a common word took 0.3-0.6 s at a million groups where a plan made for
    it took 1-3 ms. Not measured again since.)"""

    def execute(self, query, params=None, **kwargs):
        return super().execute(query, params, prepare=True, **kwargs)


class _LoggedCursor(CursorDebugWrapper):
    """Logs a search statement with its values written in, as a client-side cursor's are (a
    prepared statement's own text has $1-style placeholders)."""

    def execute(self, sql, params=None):
        logged = connection.ops.compose_sql(sql, params)
        with self.debug_sql(logged, params, use_last_executed_query=False):
            return CursorWrapper.execute(self, sql, params)


def _prepared_cursor():
    """A _PreparingCursor on Django's connection, wrapped as connection.cursor() wraps its
    own (execute wrappers; query logging in tests and DEBUG)."""
    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        return _LoggedCursor(cursor, connection)
    return connection.make_cursor(cursor)


def _counted(hits: str, order: str, *, distance: str) -> str:
    """The statement around `hits` (a query for at most CAP groups' ids and the columns of
    `order`): it counts them and names the page's rows only."""
    outer = ", ".join(f"p.{key}" for key in order.split(", "))
    return f"""{MARK}
        WITH hits AS MATERIALIZED ({hits}), total AS (SELECT count(*) AS n FROM hits)
        SELECT {ROW_COLUMNS}, {distance}, total.n
        FROM total LEFT JOIN LATERAL (
            SELECT * FROM hits ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s
        ) p ON TRUE
        {ROW_JOINS}
        ORDER BY {outer}
    """  # noqa: S608 - only our own fragments are formatted in; values are parameters


def _page(sql: str, params: dict, offset: int, limit: int) -> Found:
    params = {**params, "offset": offset, "limit": limit}
    with connection.cursor() if "text" in params else _prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return Found([], 0)
    results = [Result(*row[:17], distance_km=row[17]) for row in rows if row[0] is not None]
    return Found(results, rows[0][18])


def listed(
    filters: Filters,
    topics: list[Topic],
    *,
    digital: bool | None,
    order: str,
    offset: int = 0,
    limit: int = 20,
    count: bool = True,
) -> Found:
    """A page of the list without a place, in `order` ("municipality": municipality by
    municipality, each by name, from the index group_published_physical; "start": by start
    date, then name, from group_published_digital). `count=False`: only the rows shown (the
    digital preview)."""
    where = _where(filters, topics, digital=digital)
    sort = {"municipality": ("municipality_id", "name"), "start": ("starts_on", "name")}[order]
    keys = ", ".join(f"g.{column}" for column in sort)
    # The same order as an expression no index holds: the matching groups are read from the
    # word and topic indexes and sorted, never read in order (which is what they avoid).
    unindexed = {
        "municipality": "g.municipality_id || '', g.name",
        "start": "g.starts_on + 0, g.name",
    }[order]
    cap = CAP if count else offset + limit
    if where.terms:
        hits = _window_or_matches(
            where,
            f"SELECT g.id, {keys}, {where.hit} AS hit FROM groups_group g"  # noqa: S608
            f" WHERE {where.public} ORDER BY {keys} LIMIT {WINDOW}",
            f"id, {', '.join(sort)}",
            f"SELECT g.id, {keys} FROM groups_group g"  # noqa: S608
            f" WHERE {where.all} AND {{matched}} AND {{read}} ORDER BY {unindexed} LIMIT {cap}",
            f"SELECT g.id, {keys} FROM groups_group g"  # noqa: S608
            f" WHERE {where.all} AND {{read}} ORDER BY {keys} LIMIT {cap}",
            cap,
            WINDOW,
        )
    else:
        hits = f"SELECT g.id, {keys} FROM groups_group g WHERE {where.all}"  # noqa: S608
        hits += f" ORDER BY {keys} LIMIT {cap}"
    if not count:
        outer = ", ".join(f"p.{column}" for column in sort)
        sql = f"""{MARK}
            SELECT {ROW_COLUMNS}, NULL::float8, NULL::bigint
            FROM (SELECT * FROM ({hits}) h ORDER BY {", ".join(sort)} OFFSET {int(offset)}) p
            {ROW_JOINS}
            ORDER BY {outer}
        """  # noqa: S608 - only our own fragments are formatted in; values are parameters
        found = _page(sql, where.params, offset, limit)
        return Found(found.results, len(found.results))
    return _page(
        _counted(hits, ", ".join(sort), distance="NULL::float8"), where.params, offset, limit
    )


def _box_arrays(prefix: str, boxes: list[tuple[float, float, float, float]]) -> dict:
    """Boxes (south, north, west, east) as four arrays of their sides, in the point index's
    coordinates, named `{prefix}west` and so on."""
    south, north, west, east = zip(*boxes, strict=True)
    return {
        f"{prefix}west": [value * POINT_X_SCALE for value in west],
        f"{prefix}south": list(south),
        f"{prefix}east": [value * POINT_X_SCALE for value in east],
        f"{prefix}north": list(north),
    }


def near(
    filters: Filters,
    topics: list[Topic],
    *,
    origin: Place,
    radius_km: float,
    offset: int = 0,
    limit: int = 20,
) -> Found:
    """A page of the groups that meet in person within `radius_km` of `origin`, nearest first,
    then by start date, weekday, time and name."""
    where = _where(filters, topics, digital=False)
    params = {
        **where.params,
        "earth_radius": EARTH_RADIUS_KM,
        "lat": origin.latitude,
        "lon": origin.longitude,
        "radius": float(radius_km),
    }
    # The rings as arrays (one parameter each, not six per ring); unnest() WITH ORDINALITY
    # yields them in order, nearest first.
    edges = [*(edge for edge in RING_EDGES_KM if edge < radius_km), radius_km]
    boxes = [bounding_box(origin.latitude, origin.longitude, edge) for edge in edges]
    # Each ring's hole (see HOLE). A ring nearer than HOLE_FROM_KM has none: it is read as one
    # box, its "hole" the box's north edge, so that its first strip is the whole box.
    holes = [
        bounding_box(origin.latitude, origin.longitude, lower * HOLE)
        if lower >= HOLE_FROM_KM
        else (north, north, west, west)
        for lower, (_, north, west, _) in zip([0.0, *edges[:-1]], boxes, strict=True)
    ]
    params.update(
        # The first ring includes distance 0 (a group at the searched place itself).
        lower=[-1.0, *map(float, edges[:-1])],
        upper=[float(edge) for edge in edges],
        **_box_arrays("", boxes),
        **_box_arrays("hole_", holes),
    )
    sort = "d.km, g.starts_on ASC NULLS LAST, g.weekday, g.start_time, g.name, g.id"
    condition = where.all
    if where.terms:
        # The filters as terms too, read in the index beside the point: only the groups that
        # match are read from the table. (The filters stay, as the test they pass there.)
        condition += f" AND {TERMS} @@ ({where.terms})"
    hits = f"""
        SELECT ring_rows.* FROM unnest(
            %(lower)s::float8[], %(upper)s::float8[], %(west)s::float8[],
            %(south)s::float8[], %(east)s::float8[], %(north)s::float8[],
            %(hole_west)s::float8[], %(hole_south)s::float8[], %(hole_east)s::float8[],
            %(hole_north)s::float8[]
        ) WITH ORDINALITY AS ring (
            lower_km, upper_km, west, south, east, north,
            hole_west, hole_south, hole_east, hole_north, i
        )
        CROSS JOIN LATERAL (
            SELECT g.id, ring.i AS ring, d.km, g.starts_on, g.weekday, g.start_time, g.name
            FROM (VALUES
                (box(point(ring.west, ring.south), point(ring.east, ring.hole_south)), 1),
                (box(point(ring.west, ring.hole_north), point(ring.east, ring.north)), 2),
                (box(point(ring.west, ring.hole_south), point(ring.hole_west, ring.hole_north)), 3),
                (box(point(ring.hole_east, ring.hole_south), point(ring.east, ring.hole_north)), 4)
            ) strip (area, side)
            -- Each strip's own scan of the index (OFFSET 0 keeps the planner from merging
            -- it into one scan of the terms alone); the side strips leave out the edges
            -- they share with the south and north strips.
            CROSS JOIN LATERAL (
                SELECT g.* FROM groups_group g
                WHERE {condition} AND {POINT} <@ strip.area
                  AND (strip.side < 3
                       OR g.latitude > ring.hole_south AND g.latitude < ring.hole_north)
                OFFSET 0
            ) g
            CROSS JOIN LATERAL (SELECT {DISTANCE_KM} AS km) d
            WHERE d.km > ring.lower_km AND d.km <= ring.upper_km
              AND (strip.side = 1 OR ring.hole_north < ring.north)
            ORDER BY {sort}
            LIMIT {CAP}
        ) ring_rows
        LIMIT {CAP}
    """  # noqa: S608 - only our own fragments are formatted in; values are parameters
    order = "ring, km, starts_on ASC NULLS LAST, weekday, start_time, name, id"
    return _page(_counted(hits, order, distance="p.km"), params, offset, limit)
