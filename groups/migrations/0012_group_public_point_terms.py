"""The public point index holds each group's search terms too, so that a search near a place reads
only the groups that match, nearest first; group_terms() loses its map cells.

Why: a search near a place with filters read the groups around the place in order, checking each
against the filters on the table, and when few matched it read the matching groups of the whole
country from group_public_terms and kept those within the radius (cells of half a degree helped
little: around Oslo they hold a fifth of all groups). At 1,000,000 groups a topic and a word that
no group near Oslo shares cost 120-150 ms that way. group_public_point_terms is a GiST index on
the group's point and its group_terms document: one scan of a ring's box checks both, in the
index, and reads from the table only the groups that match (the same search: 50-75 ms, and
2-10 ms where groups match). It replaces group_public_point, which a search without filters
reads just as well from the new index.

group_public_terms (GIN) still serves the lists without a place, which need no cells.
"""

from importlib import import_module

from django.db import migrations

PUBLIC = "is_published AND stale_since IS NULL AND status <> 'avsluttet'"
TERMS_OF_THE_ROW = (
    "group_terms(search_vector, topic_ids, format, weekday,"
    " open_for_new_members AND status <> 'pause')"
)

FORWARD = [
    "DROP FUNCTION group_public_matches(tsquery, integer)",
    "DROP INDEX group_public_terms",
    (
        "DROP FUNCTION group_terms(tsvector, bigint[], text, integer, boolean,"
        " double precision, double precision)"
    ),
    # What a search asks of a group, as one text-search document: its search_vector with a
    # lexeme per topic ("_t12"), one for its format ("_fdigital"), one for its weekday ("_w3")
    # and "_open" when it takes new members and is not paused ("_closed" if not). Text never
    # yields a lexeme that starts with "_". One tsquery then asks for all of it.
    """
    CREATE FUNCTION group_terms(
        words tsvector, topics bigint[], format text, weekday integer, open boolean
    ) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT words || array_to_tsvector(
            ARRAY(SELECT '_t' || t FROM unnest(topics) t)
            || ('_f' || format)
            || ('_w' || coalesce(weekday, 0))
            || CASE WHEN open THEN '_open' ELSE '_closed' END
        )
    $$
    """,
    # The lists without a place: partial on what every public search asks
    # (groups/services/search.py, PUBLIC).
    f"CREATE INDEX group_public_terms ON groups_group USING gin ({TERMS_OF_THE_ROW})"
    f" WHERE {PUBLIC}",
    # The public groups that match a tsquery of group_terms, at most `most` of them, always
    # from that index. A function with its own settings is planned on its own, for any query:
    # the planner never sees the words, so it cannot misjudge how many groups they and a topic
    # share (it takes them as independent) and read the table instead.
    f"""
    CREATE FUNCTION group_public_matches(terms tsquery, most integer) RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 500 SET enable_seqscan = off AS $$
        SELECT id FROM groups_group WHERE {TERMS_OF_THE_ROW} @@ terms AND {PUBLIC} LIMIT most
    $$
    """,  # noqa: S608 - our own constants
    # The searches near a place: the groups that meet in person, as points (longitude halved,
    # so that a box of kilometres is about square in southern Norway), with their terms.
    f"""
    CREATE INDEX group_public_point_terms ON groups_group
    USING gist (point(longitude * 0.5, latitude), {TERMS_OF_THE_ROW})
    WHERE {PUBLIC} AND format <> 'digital'
    """,
]

BACKWARD = [
    "DROP INDEX group_public_point_terms",
    "DROP FUNCTION group_public_matches(tsquery, integer)",
    "DROP INDEX group_public_terms",
    "DROP FUNCTION group_terms(tsvector, bigint[], text, integer, boolean)",
    # 0011's function (with the map cells), index and reader, as they were.
    *import_module("groups.migrations.0011_group_topic_ids").SEARCH_TERMS,
]


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0011_group_topic_ids"),
    ]

    operations = [
        migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD),
        migrations.RemoveIndex(model_name="group", name="group_public_point"),
    ]
