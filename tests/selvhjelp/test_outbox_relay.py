"""Email once, even through a relay that answers late: a stable Message-ID on every attempt,
and a timeout after the message was handed over is not retried fast (selvhjelp/smtp.py,
selvhjelp/outbox.py). The relay is a small SMTP server on 127.0.0.1."""

from __future__ import annotations

import socketserver
import threading
import time
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.utils import timezone

from selvhjelp import emails, outbox
from selvhjelp.models import OutgoingEmail

pytestmark = pytest.mark.django_db

TIMEOUT = 1  # seconds, EMAIL_TIMEOUT for these tests


class Relay(socketserver.ThreadingTCPServer):
    """Speaks just enough SMTP. Stores every message it receives; then waits `delay` seconds
    before the final reply (past the client's timeout, for the late relay) or refuses."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RelayHandler)
        self.stored: list[bytes] = []
        self.delays: list[float] = []  # one per message, in order; 0 when the list runs out
        self.refuse_data = False

    @property
    def port(self) -> int:
        return self.server_address[1]


class _RelayHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        relay: Relay = self.server
        self.reply("220 relay.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 relay.test")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                if relay.refuse_data:
                    self.reply("554 5.7.1 refused")
                    continue
                relay.stored.append(data)  # stored first, as a real relay would
                time.sleep(relay.delays.pop(0) if relay.delays else 0)
                self.reply("250 2.0.0 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")


@pytest.fixture
def relay(settings):
    server = Relay()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "selvhjelp.smtp.SMTPBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = TIMEOUT
    yield server
    server.shutdown()
    server.server_close()


def _queue() -> OutgoingEmail:
    return emails.queue_rendered(
        kind="test", to="mottaker@example.test", subject="Hei", body_text="Tekst"
    )


def _make_due(email: OutgoingEmail) -> None:
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())


def test_a_late_relay_gets_the_same_message_id_on_every_attempt(relay, settings):
    relay.delays = [TIMEOUT + 1]  # the first answer comes after the client gave up
    email = _queue()

    assert outbox.outbox_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.delivery_uncertain is True
    assert "DeliveryUncertain" in email.last_error
    # Not a fast retry: the relay may deliver what it stored.
    wait = email.next_attempt_at - timezone.now()
    assert wait > timedelta(seconds=settings.OUTBOX_UNCERTAIN_RETRY_SECONDS - 60)
    assert outbox.outbox_due_ids() == []

    _make_due(email)
    assert outbox.outbox_send(email_id=email.pk) is True

    copies = [message_from_bytes(data) for data in relay.stored]
    assert len(copies) == 2
    assert {copy["Message-ID"] for copy in copies} == {email.message_id}
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


def test_a_refusal_is_retried_on_the_usual_schedule_and_is_not_uncertain(relay, settings):
    relay.refuse_data = True
    email = _queue()

    assert outbox.outbox_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.delivery_uncertain is False
    assert "SMTPDataError" in email.last_error
    wait = email.next_attempt_at - timezone.now()
    assert wait <= timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS)
    assert relay.stored == []


def test_a_relay_that_is_down_is_not_uncertain(settings):
    settings.EMAIL_BACKEND = "selvhjelp.smtp.SMTPBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens there
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = TIMEOUT
    email = _queue()

    assert outbox.outbox_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.delivery_uncertain is False
    assert email.next_attempt_at - timezone.now() <= timedelta(
        seconds=settings.OUTBOX_RETRY_BASE_SECONDS
    )


def test_every_outbox_row_has_its_own_message_id_in_the_sender_domain():
    first, second = _queue(), _queue()

    assert first.message_id != second.message_id
    assert first.message_id.startswith("<")
    assert first.message_id.endswith("@selvhjelp.example>")


def test_the_sent_email_carries_the_rows_message_id():
    email = _queue()

    outbox.outbox_send(email_id=email.pk)

    assert mail.outbox[0].message()["Message-ID"] == email.message_id
