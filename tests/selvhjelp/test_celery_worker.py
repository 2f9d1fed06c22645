"""With a real Redis (REDIS_URL), a real Celery worker sends an email from the outbox."""

import os
import subprocess
import time

import pytest
from django.conf import settings
from django.db import transaction

from selvhjelp import emails
from selvhjelp.celery import app as celery_app
from selvhjelp.models import OutgoingEmail
from tests.factories import database_url, start_celery_worker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis)"),
]


@pytest.fixture
def worker(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    env.pop("EMAIL_HOST", None)
    process = start_celery_worker(
        env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process, tmp_path
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_email_after_commit(worker):
    process, mail_dir = worker
    celery_app.conf.task_always_eager = False  # the autouse fixture turns it back on
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL

    with transaction.atomic():
        email = emails.queue_rendered(
            kind="worker-test",
            to="mottaker@example.test",
            subject="Fra en ekte arbeider",
            body_text="Sendt av Celery",
        )

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == OutgoingEmail.Status.SENT:
            break
        assert process.poll() is None, process.stdout.read()
        time.sleep(0.5)
    assert email.status == OutgoingEmail.Status.SENT, "the worker did not send the email in time"
    sent = list(mail_dir.iterdir())
    assert len(sent) == 1
    assert "Fra en ekte arbeider" in sent[0].read_text()
