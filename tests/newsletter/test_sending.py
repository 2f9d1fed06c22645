"""Sending: one delivery row per recipient, batches, resume, pause, suppression, headers."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Delivery, Issue, Subscriber
from newsletter.services import sending
from selvhjelp.models import SuppressedAddress
from tests.factories import logged_in_client
from tests.newsletter.conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 10_000
    settings.NEWSLETTER_BATCH_SIZE = 3
    settings.SITE_URL = "https://selvhjelp.example"


def _sending_issue(**extra) -> Issue:
    return make_issue(status=Issue.Status.SENDING, started_at=timezone.now(), **extra)


def test_every_recipient_gets_one_message_with_rfc8058_headers(mailoutbox):
    for i in range(7):
        make_subscriber(f"r{i}@example.test")
    make_subscriber("ubekreftet@example.test", confirmed=False)
    issue = _sending_issue()
    assert sending.issue_send(issue_id=issue.pk) == "sent"
    assert sorted(m.to[0] for m in mailoutbox) == [f"r{i}@example.test" for i in range(7)]
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 7
    message = mailoutbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://selvhjelp.example/nyhetsbrev/avmeld/")
    assert "mailto:post@selvhjelp.example?subject=unsubscribe-" in header
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Message-ID"].startswith("<newsletter-")
    # The link in the header unsubscribes this recipient with a bare POST.
    url = header[1:].split(">", 1)[0].removeprefix("https://selvhjelp.example")
    Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert not Subscriber.objects.filter(email=message.to[0]).exists()
    assert "Meld deg av:" in message.body and "/nyhetsbrev/innstillinger/" in message.body
    assert "nyhetsbrev/avmeld/" in message.alternatives[0][0]
    assert Issue.objects.get().status == Issue.Status.SENT
    # Running it again sends nothing more.
    assert sending.issue_send(issue_id=issue.pk) == "not-mine"
    assert len(mailoutbox) == 7


def test_a_second_run_after_a_crash_sends_only_what_is_left(mailoutbox, settings):
    for i in range(6):
        make_subscriber(f"r{i}@example.test")
    issue = _sending_issue()
    sending.deliveries_create(issue=issue)
    Issue.objects.filter(pk=issue.pk).update(recipients_created=True)
    rows = list(Delivery.objects.filter(issue=issue).order_by("pk"))
    # A worker died: two sent, one claimed (in flight), its heartbeat old.
    old = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(status="sent", sent_at=old)
    Delivery.objects.filter(pk=rows[2].pk).update(status="claimed", claimed_at=old)
    Issue.objects.filter(pk=issue.pk).update(
        runner="00000000-0000-0000-0000-000000000001", heartbeat_at=old
    )
    assert sending.issues_due_ids() == [issue.pk]
    assert sending.issue_send(issue_id=issue.pk) == "sent"
    assert sorted(m.to[0] for m in mailoutbox) == [r.email for r in rows[2:]]


def test_a_live_worker_is_not_overtaken():
    make_subscriber()
    issue = _sending_issue(
        runner="00000000-0000-0000-0000-000000000001", heartbeat_at=timezone.now()
    )
    assert sending.issues_due_ids() == []
    assert sending.issue_send(issue_id=issue.pk) == "not-mine"


def test_suppressed_addresses_are_skipped(mailoutbox):
    make_subscriber("ok@example.test")
    make_subscriber("retur@example.test")
    SuppressedAddress.suppress("Retur@Example.test ", SuppressedAddress.Reason.HARD_BOUNCE)
    issue = _sending_issue()
    sending.issue_send(issue_id=issue.pk)
    assert [m.to for m in mailoutbox] == [["ok@example.test"]]
    assert Delivery.objects.get(email="retur@example.test").error == "suppressed"


def test_it_pauses_itself_when_too_many_fail(monkeypatch, settings):
    settings.NEWSLETTER_BATCH_SIZE = 25
    for i in range(30):
        make_subscriber(f"r{i}@example.test")

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    issue = _sending_issue()
    assert sending.issue_send(issue_id=issue.pk) == "paused"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PAUSED and issue.paused_reason == "error-rate"
    assert Delivery.objects.filter(issue=issue, status="pending").count() == 5


def test_staff_pause_and_resume(national_admin, django_capture_on_commit_callbacks, mailoutbox):
    for i in range(4):
        make_subscriber(f"r{i}@example.test")
    issue = _sending_issue()
    client = logged_in_client(national_admin)
    client.post(reverse("newsletter:issue-pause", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PAUSED
    assert sending.issue_send(issue_id=issue.pk) == "not-mine"
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter:issue-resume", args=[issue.pk]))
    assert len(mailoutbox) == 4
    assert Issue.objects.get().status == Issue.Status.SENT


def test_the_hourly_cap_holds_the_rest_back(settings, mailoutbox):
    settings.NEWSLETTER_MAX_PER_HOUR = 4
    for i in range(6):
        make_subscriber(f"r{i}@example.test")
    issue = _sending_issue()
    assert sending.issue_send(issue_id=issue.pk) == "hourly-cap"
    assert len(mailoutbox) == 4
    assert Issue.objects.get().status == Issue.Status.SENDING
    assert sending.issues_due_ids() == [issue.pk]  # the sweep tries again later


def test_a_scheduled_issue_starts_when_due():
    due = make_issue(
        status=Issue.Status.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    later = make_issue(
        status=Issue.Status.SCHEDULED, scheduled_at=timezone.now() + timedelta(hours=1)
    )
    assert sending.issues_due_ids() == [due.pk]
    assert Issue.objects.get(pk=later.pk).status == Issue.Status.SCHEDULED


def test_the_progress_page_and_json(national_admin):
    for i in range(5):
        make_subscriber(f"r{i}@example.test")
    issue = _sending_issue()
    sending.deliveries_create(issue=issue)
    Delivery.objects.filter(pk__in=Delivery.objects.order_by("pk").values("pk")[:2]).update(
        status="sent"
    )
    Delivery.objects.filter(pk=Delivery.objects.order_by("pk").last().pk).update(status="failed")
    client = logged_in_client(national_admin)
    data = client.get(reverse("newsletter:issue-progress", args=[issue.pk])).json()
    assert {k: data[k] for k in ("status", "sent", "failed", "remaining", "total")} == {
        "status": "sending",
        "sent": 2,
        "failed": 1,
        "remaining": 2,
        "total": 5,
    }
    assert data["seconds_left"] >= 0
    page = client.get(reverse("newsletter:issue-detail", args=[issue.pk])).content.decode()
    assert '<progress max="5" value="3"' in page
    assert 'data-count="remaining">2<' in page
    assert "newsletter-progress.js" in page


def test_old_deliveries_are_reduced_to_counts():
    from newsletter.jobs import reduce_old_deliveries

    make_subscriber("a@example.test")
    make_subscriber("b@example.test")
    old = _sending_issue()
    sending.issue_send(issue_id=old.pk)
    Issue.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=400))
    recent = _sending_issue()
    sending.issue_send(issue_id=recent.pk)
    assert reduce_old_deliveries() == 2
    old.refresh_from_db()
    assert old.archived_sent == 2 and not old.deliveries.exists()
    assert recent.deliveries.count() == 2
    assert sending.issue_counts(old)["sent"] == 2


def test_memory_use_does_not_depend_on_a_python_list_of_recipients(django_assert_max_num_queries):
    """Creating the rows is one statement, whatever the number of subscribers."""
    for size in (3, 30):
        Subscriber.objects.all().delete()
        Subscriber.objects.bulk_create(
            [
                Subscriber(
                    email=f"s{size}-{i}@example.test",
                    lists=["general"],
                    consent_version="x",
                    confirmed_at=timezone.now(),
                )
                for i in range(size)
            ]
        )
        issue = _sending_issue()
        with django_assert_max_num_queries(1):
            assert sending.deliveries_create(issue=issue) == size
    mail.outbox = []


def test_over_smtp_each_recipient_gets_their_own_headers_and_links(settings):
    """The SMTP path fills a per-batch template (sending._BatchTemplate): check what a real
    relay receives."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    from tests.newsletter.test_worker_crash import Sink, free_port

    handler = Sink()
    handler.raw = []

    async def keep(server, session, envelope):
        handler.raw.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"

    handler.handle_DATA = keep
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "selvhjelp.smtp.SMTPBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        people = [make_subscriber(f"p{i}@example.test") for i in range(4)]
        issue = _sending_issue(subject="Høst på Dombås")
        assert sending.issue_send(issue_id=issue.pk) == "sent"
    finally:
        controller.stop()
    assert sorted(rcpts[0] for rcpts, _raw in handler.raw) == sorted(p.email for p in people)
    ids = set()
    for rcpts, raw in handler.raw:
        message = message_from_bytes(raw, policy=policy.default)
        assert message["To"] == rcpts[0]
        assert message["Subject"] == "Høst på Dombås"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        ids.add(message["Message-ID"])
        url = str(message["List-Unsubscribe"]).split("<", 1)[1].split(">", 1)[0]
        path = url.removeprefix("https://selvhjelp.example")
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert path in html and path in text
        Client(enforce_csrf_checks=True).post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert not Subscriber.objects.filter(email=rcpts[0]).exists()  # their own link
    assert len(ids) == 4
