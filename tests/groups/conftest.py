"""Places and groups for the group finder tests. Dombås (postcode 2660, Dovre) is the home of the
`contact_point` fixture; Lesja is the next municipality west; Oslo is about 250 km away."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from groups.models import Group, Topic
from selvhjelp.models import Municipality
from tests import factories


@pytest.fixture
def sorg(db) -> Topic:
    return factories.make_topic("Sorg")


@pytest.fixture
def angst(db) -> Topic:
    return factories.make_topic("Angst")


@pytest.fixture
def lesja(db) -> Municipality:
    return Municipality.objects.get(name="Lesja")


@pytest.fixture
def oslo(db) -> Municipality:
    return Municipality.objects.get(name="Oslo")


@pytest.fixture
def make_group(contact_point, sorg):
    """A published, running group at the Dombås contact point unless told otherwise."""

    def make(name: str, *, topics: list[Topic] | None = None, **extra) -> Group:
        cp = extra.pop("contact_point", contact_point)
        return factories.make_group(cp, name=name, topics=topics or [sorg], **extra)

    return make


def bulk_groups(contact_point, topic: Topic, count: int) -> None:
    """Many published groups around the contact point, made in a few queries."""
    municipality = contact_point.municipality
    groups = Group.objects.bulk_create(
        Group(
            name=f"Massegruppe {n}",
            slug=f"massegruppe-{n}",
            contact_point=contact_point,
            municipality=municipality,
            public_area=f"{municipality.name} sentrum",
            latitude=municipality.latitude + (n % 10) * 0.01,
            longitude=municipality.longitude,
            format=Group.Format.DIGITAL if n % 10 == 0 else Group.Format.PHYSICAL,
            status=Group.Status.RUNNING,
            weekday=n % 7 + 1,
            is_published=True,
            venue_address="Hemmeligveien 1",
        )
        for n in range(count)
    )
    Group.topics.through.objects.bulk_create(
        Group.topics.through(group_id=group.pk, topic_id=topic.pk) for group in groups
    )


@pytest.fixture
def staff(client, cp_user):
    client.force_login(cp_user)
    return client


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the outbox's after-commit callbacks, so queued emails reach mail.outbox."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def search_statements(captured) -> list[str]:
    """The search statements (groups/services/search.py) among captured queries."""
    return [q["sql"] for q in captured if q["sql"].startswith("/* group search */")]


def hits_plan(statement: tuple[str, dict], *, analyze: bool = False) -> str:
    """EXPLAIN of a search statement (from `sent_searches`), only the part that finds the
    groups (the CTE `hits`): what comes after it sorts and names the page's rows only."""
    lines = explain(statement, analyze=analyze)
    if not any(line.strip() == "CTE hits" for line in lines):
        return "\n".join(lines)  # a list without a count: the whole statement is the page
    start = next(i for i, line in enumerate(lines) if line.strip() == "CTE hits")
    depth = len(lines[start]) - len(lines[start].lstrip())
    part = [lines[start]]
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= depth:
            break
        part.append(line)
    return "\n".join(part)


@contextmanager
def sent_searches():
    """The search statements sent while inside, as (sql, params): a prepared statement's text
    has $1-style placeholders, so EXPLAIN needs its parameters (`explain`)."""
    from django.db import connection

    sent = []

    def record(execute, sql, params, many, context):
        if sql.startswith("/* group search */"):
            sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def explain(statement: tuple[str, dict], *, analyze: bool = False) -> list[str]:
    from django.db import connection

    sql, params = statement
    options = "(ANALYZE, COSTS OFF, TIMING OFF) " if analyze else ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {options}{sql}", params)
        return [row[0] for row in cursor.fetchall()]
