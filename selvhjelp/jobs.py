"""Scheduled jobs. Celery beat runs them in production; without a broker,
`manage.py run_scheduled_jobs` runs them once (cron can call it).

Apps register their daily jobs in DAILY_JOBS through `register_daily`; each job must be safe
to run twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from selvhjelp import outbox

logger = logging.getLogger(__name__)

DAILY_JOBS: dict[str, Callable[[], object]] = {}


def register_daily(name: str):
    def decorator(func: Callable[[], object]) -> Callable[[], object]:
        DAILY_JOBS[name] = func
        return func

    return decorator


FAILED = "failed"


def run_daily() -> dict[str, object]:
    """Run every daily job. Each runs in its own savepoint and a failure is logged (by the job's
    name only) and marked FAILED in the results: one broken job must not stop retention, the
    reminders or the demand notices that come after it."""
    results: dict[str, object] = {}
    for name, job in DAILY_JOBS.items():
        try:
            with transaction.atomic():
                results[name] = job()
        except Exception:
            logger.exception("daily job %s failed; the other jobs still run", name)
            results[name] = FAILED
            continue
        logger.info("daily job %s: %s", name, results[name])
    return results


def run_all() -> dict[str, object]:
    results = run_daily()
    results["outbox_sweep"] = outbox.outbox_sweep()
    return results
