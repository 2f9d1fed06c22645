"""A real Celery worker is killed in the middle of sending to a local SMTP sink (aiosmtpd) and a
new one started: every subscriber gets the newsletter exactly once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from newsletter.models import Delivery, Issue, Subscriber
from newsletter.services import sending
from newsletter.tasks import send_issue
from selvhjelp.celery import app as celery_app
from tests.factories import database_url, start_celery_worker

RECIPIENTS = 150

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis)"),
]


class Sink:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, message["Message-ID"]))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sink():
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _start_worker(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "NEWSLETTER_RATE_PER_SECOND": "40",
        "NEWSLETTER_BATCH_SIZE": "10",
        "NEWSLETTER_STALE_SECONDS": "2",
    }
    return start_celery_worker(
        env,
        loglevel="WARNING",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_resumed_with_no_duplicates_and_none_missed(sink, settings):
    handler, port = sink
    settings.NEWSLETTER_STALE_SECONDS = 2
    celery_app.conf.task_always_eager = False  # the autouse fixture turns it back on
    celery_app.control.purge()
    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"leser{i}@example.test",
            lists=["general"],
            consent_version="t",
            confirmed_at=timezone.now(),
        )  # fmt: skip
        for i in range(RECIPIENTS)
    )
    issue = Issue.objects.create(
        subject="Krasj", body_markdown="Hei", status=Issue.Status.SENDING, started_at=timezone.now()
    )
    first = _start_worker(port)
    second = None
    try:
        send_issue.delay(issue.pk)
        _wait(lambda: len(handler.received) >= 40, 90, "the first messages")
        os.kill(first.pid, signal.SIGKILL)  # no clean shutdown: the worker just dies
        first.wait(timeout=10)
        killed_at = len(handler.received)
        assert killed_at < RECIPIENTS, "the worker finished before it was killed"
        assert Delivery.objects.filter(issue=issue, status="pending").exists()

        second = _start_worker(port)
        time.sleep(2.5)  # the first worker's heartbeat goes stale
        # What the sweep (celery beat, every minute) does.
        ids = sending.issues_due_ids()
        assert ids == [issue.pk]
        for issue_id in ids:
            send_issue.delay(issue_id)
        _wait(lambda: Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT, 120, "the rest")
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()

    # A newsletter is one Message-ID per recipient (derived from the delivery row).
    newsletters = {(rcpt, mid) for rcpt, mid in handler.received}
    per_recipient = Counter(rcpt for rcpt, _mid in newsletters)
    duplicates = {rcpt: n for rcpt, n in per_recipient.items() if n > 1}
    missed = {f"leser{i}@example.test" for i in range(RECIPIENTS)} - per_recipient.keys()
    assert duplicates == {}, f"killed after {killed_at}"
    assert missed == set()
    assert Delivery.objects.filter(issue=issue, status="sent").count() == RECIPIENTS
    # The one message that can be on the wire when the worker dies (the relay has it, the row
    # is not yet marked) goes again, with the same Message-ID, which receiving systems use to
    # drop the copy. Nothing else is sent twice.
    transmissions = len(handler.received) - RECIPIENTS
    assert transmissions in (0, 1), f"{transmissions} messages went over the wire twice"
