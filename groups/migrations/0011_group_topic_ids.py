"""Each group's topic ids, held on the group's row (groups_group.topic_ids) and kept in step with
groups_group_topics by triggers; and one GIN index that answers every search filter at once.

Why: a search whose filters seldom meet (a topic and a word no group shares) must find their
overlap without reading every group of either. group_terms() writes a group's words, topics,
format, weekday, "open" and map cell as one text-search document, so one tsquery asks for all of
them and the index group_public_terms answers it; group_public_matches() reads it with a plan of
its own (groups/services/search.py). At 1,000,000 groups a topic and a word that never meet
cost 1.2-2.5 s before, and under 75 ms this way.

The column is not a model field: the ORM must never write it (a Group saved with topics read
before a change would write the old ones back). The triggers write it after every insert into
or delete from the join table, one UPDATE per statement, so a bulk insert stays one statement.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE groups_group ADD COLUMN topic_ids bigint[] NOT NULL DEFAULT '{}'",
    """
    UPDATE groups_group g
    SET topic_ids = ARRAY(
        SELECT t.topic_id FROM groups_group_topics t WHERE t.group_id = g.id ORDER BY t.topic_id
    )
    WHERE EXISTS (SELECT 1 FROM groups_group_topics t WHERE t.group_id = g.id)
    """,
    """
    CREATE FUNCTION groups_group_topic_ids_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE groups_group g
        SET topic_ids = ARRAY(
            SELECT t.topic_id FROM groups_group_topics t
            WHERE t.group_id = g.id ORDER BY t.topic_id
        )
        WHERE g.id IN (SELECT group_id FROM changed);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER groups_group_topics_inserted
    AFTER INSERT ON groups_group_topics REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION groups_group_topic_ids_refresh()
    """,
    """
    CREATE TRIGGER groups_group_topics_deleted
    AFTER DELETE ON groups_group_topics REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION groups_group_topic_ids_refresh()
    """,
]

# (Replaced in 0012, whose way back restores these.)
SEARCH_TERMS = [
    # What a search asks of a group, as one text-search document: its search_vector with a
    # lexeme per topic ("_t12"), one for its format ("_fdigital"), one for its weekday ("_w3"),
    # "_open" when it takes new members and is not paused, and one for the cell of half a
    # degree of latitude by one of longitude it meets in ("_c119_10", about 55 by 55 km in
    # southern Norway). Text never yields a lexeme that starts with "_". One tsquery then asks
    # for all of it, and one index answers it. (The cells: groups/services/search.py, cells.)
    """
    CREATE FUNCTION group_terms(
        words tsvector, topics bigint[], format text, weekday integer, open boolean,
        latitude double precision, longitude double precision
    ) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT words || array_to_tsvector(
            ARRAY(SELECT '_t' || t FROM unnest(topics) t)
            || ('_f' || format)
            || ('_w' || coalesce(weekday, 0))
            || CASE WHEN open THEN '_open' ELSE '_closed' END
            || coalesce(
                '_c' || floor(latitude * 2)::integer || '_' || floor(longitude)::integer,
                '_c'
            )
        )
    $$
    """,
    # Partial on what every public search asks (groups/services/search.py, PUBLIC).
    """
    CREATE INDEX group_public_terms ON groups_group
    USING gin (group_terms(
        search_vector, topic_ids, format, weekday, open_for_new_members AND status <> 'pause',
        latitude, longitude
    ))
    WHERE is_published AND stale_since IS NULL AND status <> 'avsluttet'
    """,
    # The public groups that match a tsquery of group_terms, at most `most` of them, always
    # from that index. A function with its own settings is planned on its own, for any query:
    # the planner never sees the words, so it cannot misjudge how many groups they and a topic
    # share (it takes them as independent) and read the table instead.
    """
    CREATE FUNCTION group_public_matches(terms tsquery, most integer) RETURNS SETOF bigint
    LANGUAGE sql STABLE PARALLEL SAFE ROWS 500 SET enable_seqscan = off AS $$
        SELECT id FROM groups_group
        WHERE group_terms(
            search_vector, topic_ids, format, weekday,
            open_for_new_members AND status <> 'pause', latitude, longitude
        ) @@ terms
          AND is_published AND stale_since IS NULL AND status <> 'avsluttet'
        LIMIT most
    $$
    """,
]

BACKWARD = [
    "DROP FUNCTION group_public_matches(tsquery, integer)",
    "DROP INDEX group_public_terms",
    (
        "DROP FUNCTION group_terms(tsvector, bigint[], text, integer, boolean,"
        " double precision, double precision)"
    ),
    "DROP TRIGGER groups_group_topics_deleted ON groups_group_topics",
    "DROP TRIGGER groups_group_topics_inserted ON groups_group_topics",
    "DROP FUNCTION groups_group_topic_ids_refresh()",
    "ALTER TABLE groups_group DROP COLUMN topic_ids",
]


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0010_drop_lat_lon_box_index"),
    ]

    operations = [migrations.RunSQL(sql=[*FORWARD, *SEARCH_TERMS], reverse_sql=BACKWARD)]
