"""Scheduled jobs are isolated: one failing daily job is logged and the others still run."""

from __future__ import annotations

import logging

import pytest

from selvhjelp import jobs
from selvhjelp.models import County

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_these_jobs(monkeypatch):
    registry: dict = {}
    monkeypatch.setattr(jobs, "DAILY_JOBS", registry)
    return registry


def test_one_failing_job_is_logged_and_the_others_run(only_these_jobs, caplog):
    ran = []

    def first():
        ran.append("first")
        return 1

    def broken():
        raise RuntimeError("boom")

    def last():
        ran.append("last")
        return 3

    only_these_jobs.update(first=first, broken=broken, last=last)
    with caplog.at_level(logging.ERROR, logger="selvhjelp.jobs"):
        results = jobs.run_daily()

    assert ran == ["first", "last"]
    assert results == {"first": 1, "broken": jobs.FAILED, "last": 3}
    assert "daily job broken failed" in caplog.text


def test_a_job_that_fails_in_the_database_leaves_nothing_half_done(only_these_jobs):
    """The failing job's writes roll back (its own savepoint), and later jobs can still use the
    database."""
    county = County.objects.first()
    name = county.name

    def breaks_after_writing():
        County.objects.filter(pk=county.pk).update(name="Halvferdig")
        County.objects.create(number=county.number, name="duplikat")  # violates the primary key

    def reads():
        return County.objects.get(pk=county.pk).name

    only_these_jobs.update(breaks=breaks_after_writing, reads=reads)
    results = jobs.run_daily()

    assert results == {"breaks": jobs.FAILED, "reads": name}
