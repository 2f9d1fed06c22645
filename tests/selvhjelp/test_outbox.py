import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time
from kombu.exceptions import OperationalError

from selvhjelp import emails, outbox, tasks
from selvhjelp.models import OutgoingEmail

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP refused")


def _queue() -> OutgoingEmail:
    return emails.queue_rendered(
        kind="test",
        to="mottaker@example.test",
        subject="Hei",
        body_text="Tekst",
        body_html="<p>HTML</p>",
    )


def test_it_sends_an_email_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = _queue()
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["mottaker@example.test"]
    assert sent.subject == "Hei"
    assert sent.body == "Tekst"
    assert sent.alternatives[0][0] == "<p>HTML</p>"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None


def test_it_sends_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue()
        raise RuntimeError("the business change failed")
    assert len(mail.outbox) == 0
    assert OutgoingEmail.objects.count() == 0


def test_it_sends_once_when_the_task_runs_twice():
    email = _queue()
    tasks.send_email(email.pk)
    tasks.send_email(email.pk)
    assert len(mail.outbox) == 1


def test_a_second_claim_on_the_same_row_does_nothing():
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.SENDING)
    assert outbox.outbox_send(email_id=email.pk) is False
    assert len(mail.outbox) == 0


def test_the_sweep_sends_what_the_broker_never_got(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(emails, "_broker_down_until", 0.0)  # and back after the test
    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING  # committed, not lost
    assert len(mail.outbox) == 0

    tasks.outbox_sweep()
    assert len(mail.outbox) == 1
    tasks.outbox_sweep()
    assert len(mail.outbox) == 1


def test_it_retries_with_backoff_then_marks_the_email_failed(settings):
    settings.EMAIL_BACKEND = "tests.selvhjelp.test_outbox.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    with freeze_time("2026-11-23 10:00:00") as clock:
        email = _queue()
        outbox.outbox_sweep()
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
        assert email.next_attempt_at == timezone.now() + timezone.timedelta(seconds=60)
        assert "SMTP refused" in email.last_error

        outbox.outbox_sweep()  # not due yet: no new attempt
        email.refresh_from_db()
        assert email.attempts == 1

        clock.tick(61)
        outbox.outbox_sweep()
        email.refresh_from_db()
        assert email.attempts == 2
        assert email.next_attempt_at == timezone.now() + timezone.timedelta(seconds=120)

        clock.tick(121)
        outbox.outbox_sweep()
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 3)

        clock.tick(3600)
        outbox.outbox_sweep()
        email.refresh_from_db()
        assert email.attempts == 3  # failed for good: no more tries


def test_a_claim_left_by_a_dead_worker_is_sent_by_the_sweep():
    with freeze_time("2026-11-23 10:00:00") as clock:
        email = _queue()
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now()
        )
        clock.tick(11 * 60)
        outbox.outbox_sweep()
    assert len(mail.outbox) == 1


def test_failed_emails_are_listed_in_the_admin(persona_client, national_admin):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, last_error="ConnectionRefusedError: SMTP refused"
    )
    response = persona_client("national_admin").get(
        "/admin/selvhjelp/outgoingemail/?status__exact=failed"
    )
    assert response.status_code == 200
    assert "SMTP refused" in response.content.decode()


def test_make_message_renders_the_template_triple(tmp_path, settings):
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "hello-subject.txt").write_text("Hei {{ name }}\n")
    (tmp_path / "emails" / "hello-body.txt").write_text("Tekst til {{ name }}")
    (tmp_path / "emails" / "hello-body.html").write_text("<p>{{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert emails.make_message("hello", {"name": "Åse"}) == (
        "Hei Åse",
        "Tekst til Åse",
        "<p>Åse</p>",
    )


def test_after_the_broker_failed_it_is_left_alone_for_a_few_seconds(
    monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(emails, "_broker_down_until", 0.0)
    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            _queue()

    assert len(attempts) == 1  # each request would otherwise wait for the broker's timeout
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).count() == 3

    now = emails.time.monotonic()
    monkeypatch.setattr(emails.time, "monotonic", lambda: now + emails.BROKER_RETRY_AFTER + 1)
    with django_capture_on_commit_callbacks(execute=True):
        _queue()
    assert len(attempts) == 2


def test_attachments_are_stored_with_the_row_and_sent_on_every_try(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.selvhjelp.test_outbox.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        email = emails.queue_rendered(
            kind="test",
            to="mottaker@example.test",
            subject="Hei",
            body_text="Tekst",
            attachments=[("arrangement.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n")],
        )
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING  # refused: kept for the retry
    assert email.attachments.get().filename == "arrangement.ics"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with freeze_time(timezone.now() + timezone.timedelta(hours=1)):
        assert outbox.outbox_send(email_id=email.pk)

    (filename, content, mimetype) = mail.outbox[0].attachments[0]
    assert (filename, mimetype) == ("arrangement.ics", "text/calendar")
    assert content == "BEGIN:VCALENDAR\r\n"
