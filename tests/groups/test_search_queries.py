"""The search reads only what a result row shows, and holds the place-independent parts in
memory per public data version (groups/topics.py)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Group
from tests.groups.conftest import search_statements

URL = reverse("groups:group-search")


def _names(response, key: str) -> list[str]:
    return [group.name for group in response.context[key]]


def test_the_page_query_leaves_out_staff_only_and_unshown_columns(client, make_group):
    make_group("Dovre-gruppen", venue_address="Hemmeligveien 1")

    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"sted": "2660"})

    assert _names(response, "groups") == ["Dovre-gruppen"]
    statements = search_statements(captured)
    assert statements
    for sql in statements:
        assert "venue_address" not in sql
        assert "description" not in sql
        if "), total AS" not in sql:
            continue  # the digital preview: the rows shown and nothing more
        finding, naming = sql.split("), total AS", 1)
        select_list = naming.split(" FROM ", 1)[0]
        assert "search_vector" not in select_list
        # Municipality and contact point are joined to the page's rows only, not to every row
        # the search reads.
        assert "selvhjelp_municipality" not in finding
        assert "contactpoints_contactpoint" not in finding
        assert "selvhjelp_municipality" in naming and "contactpoints_contactpoint" in naming


def test_a_radius_search_counts_inside_the_page_query(client, make_group):
    make_group("Dovre-gruppen")
    make_group("Dovre-gruppen 2")

    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"sted": "2660"})

    assert response.context["page"].paginator.count == 2
    assert not [q for q in captured if "COUNT(" in q["sql"].upper()
                and not q["sql"].startswith("/* group search */")]  # fmt: skip
    [statement] = [q for q in search_statements(captured) if "ring" in q]
    assert "count(*) AS n FROM hits" in statement


def test_a_page_past_the_end_of_a_radius_search_shows_the_last_page(client, make_group):
    make_group("Dovre-gruppen")

    response = client.get(URL, {"sted": "2660", "side": "9"})

    assert response.context["page"].number == 1
    assert _names(response, "groups") == ["Dovre-gruppen"]


def test_the_held_digital_preview_shows_a_new_group_at_once(client, make_group):
    make_group("Nettgruppe A", format=Group.Format.DIGITAL)
    assert _names(client.get(URL, {"sted": "0150"}), "digital_groups") == ["Nettgruppe A"]

    make_group("Nettgruppe B", format=Group.Format.DIGITAL)

    # Another place, so the page cache does not answer: the preview itself must be fresh.
    response = client.get(URL, {"sted": "2660"})
    assert sorted(_names(response, "digital_groups")) == ["Nettgruppe A", "Nettgruppe B"]


def test_a_renamed_topic_shows_at_once_in_rows_and_the_form(client, make_group, sorg):
    make_group("Dovre-gruppen")
    assert "Sorg" in client.get(URL, {"sted": "2660"}).content.decode()

    sorg.name = "Sorg og savn"
    sorg.save()

    html = client.get(URL, {"sted": "2660", "avstand": "50"}).content.decode()
    assert '<span class="topic-tag">Sorg og savn</span>' in html
    assert ">Sorg og savn</option>" in html


def test_rows_show_their_topics_in_the_lists_order(client, make_group, sorg, angst):
    sorg.position, angst.position = 2, 1
    sorg.save()
    angst.save()
    make_group("Dovre-gruppen", topics=[sorg, angst])

    html = client.get(URL, {"sted": "2660"}).content.decode()

    assert html.index('topic-tag">Angst<') < html.index('topic-tag">Sorg<')


def test_rows_built_in_python_keep_the_markup_and_escape_every_value(client, make_group):
    make_group(
        "<b>Dovre</b> & venner",
        public_area="Dombås <sentrum>",
        format=Group.Format.HYBRID,
    )

    html = client.get(URL, {"sted": "2660"}).content.decode()

    row = re.search(r'<li class="group-result">.*?</li>', html, re.S)[0]
    assert "<b>" not in row and "&lt;b&gt;Dovre&lt;/b&gt; &amp; venner" in row
    assert re.search(r"class=\"distance\">[^<]+</strong> · Dombås &lt;sentrum&gt;, Dovre · ", row)
    assert " · fysisk og digitalt" in row
    assert '<span class="badge badge-status">' in row
    assert '<span class="topic-tag">Sorg</span>' in row
    assert '<p class="mb-0 text-secondary-strong">Kontaktpunkt: ' in row
    assert re.search(r'<h3 class="h5 mb-1"><a href="/grupper/[\w-]+/\?fra=sted%3D2660">', row)
