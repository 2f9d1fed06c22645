"""Bounces and complaints suppress addresses for every email the portal sends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from newsletter.models import Subscriber
from newsletter.services import bounces
from selvhjelp import emails, outbox
from selvhjelp.models import OutgoingEmail, SuppressedAddress
from tests.newsletter.conftest import make_subscriber

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_it_reads_a_hard_bounce_a_soft_bounce_and_a_complaint():
    assert bounces.parse_report((DATA / "dsn-hard.eml").read_bytes()) == [
        ("Borte@Example.test", "hard")
    ]
    assert bounces.parse_report((DATA / "dsn-soft.eml").read_bytes()) == [
        ("full@example.test", "soft")
    ]
    assert bounces.parse_report((DATA / "arf-complaint.eml").read_bytes()) == [
        ("klager@example.test", "complaint")
    ]
    assert bounces.parse_report(b"From: a@b\r\nSubject: hei\r\n\r\nvanlig e-post") == []
    assert bounces.parse_report(b"\x00\xff garbage") == []


def test_the_command_reads_a_folder_and_a_bounce_stops_an_event_reminder(
    tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    make_subscriber("borte@example.test")
    for name in ("dsn-hard.eml", "arf-complaint.eml"):
        shutil.copy(DATA / name, tmp_path / name)
    call_command("read_bounces", str(tmp_path))
    assert not Subscriber.objects.filter(email="borte@example.test").exists()
    assert SuppressedAddress.objects.for_email("borte@example.test").get().reason == "hard_bounce"
    assert SuppressedAddress.objects.for_email("klager@example.test").get().reason == "complaint"
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == [
        "arf-complaint.eml",
        "dsn-hard.eml",
    ]

    # Any other email to that address (an event reminder, say) is skipped, and the row says why.
    with django_capture_on_commit_callbacks(execute=True):
        reminder = emails.queue_rendered(
            kind="event-reminder", to="borte@example.test", subject="Påminnelse", body_text="x"
        )
        other = emails.queue_rendered(
            kind="event-reminder", to="annen@example.test", subject="Påminnelse", body_text="x"
        )
    reminder.refresh_from_db()
    other.refresh_from_db()
    assert reminder.status == OutgoingEmail.Status.SKIPPED
    assert reminder.skipped_reason == "hard_bounce"
    assert other.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mailoutbox] == [["annen@example.test"]]
    assert outbox.outbox_sweep() == 0  # a skipped row is not retried


def test_soft_bounces_suppress_after_several_in_a_row(settings):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
    make_subscriber("full@example.test")
    assert not bounces.bounce_record(address="full@example.test", kind="soft")
    assert not bounces.bounce_record(address="full@example.test", kind="soft")
    delivered = (
        (DATA / "dsn-soft.eml").read_bytes().replace(b"Action: delayed", b"Action: delivered")
    )
    assert bounces.parse_report(delivered) == [("full@example.test", "delivered")]
    bounces.bounce_record(address="full@example.test", kind="delivered")  # not in a row any more
    assert not bounces.bounce_record(address="full@example.test", kind="soft")
    assert not bounces.bounce_record(address="full@example.test", kind="soft")
    assert bounces.bounce_record(address="full@example.test", kind="soft")
    assert SuppressedAddress.objects.for_email("full@example.test").get().reason == "soft_bounce"


def test_an_unsubscribe_does_not_block_transactional_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    SuppressedAddress.suppress("leser@example.test", SuppressedAddress.Reason.UNSUBSCRIBED)
    with django_capture_on_commit_callbacks(execute=True):
        emails.queue_rendered(
            kind="order-confirmation", to="leser@example.test", subject="Ordre", body_text="x"
        )
    assert len(mailoutbox) == 1


def test_a_complaint_upgrades_an_unsubscribe():
    SuppressedAddress.suppress("leser@example.test", SuppressedAddress.Reason.UNSUBSCRIBED)
    SuppressedAddress.suppress("leser@example.test", SuppressedAddress.Reason.COMPLAINT)
    assert SuppressedAddress.objects.get().reason == "complaint"


URL = reverse("newsletter:bounce-webhook")


def test_the_webhook_needs_the_shared_secret(client, settings):
    settings.NEWSLETTER_WEBHOOK_SECRET = ""
    assert client.post(URL, "{}", content_type="application/json").status_code == 404
    settings.NEWSLETTER_WEBHOOK_SECRET = "hemmelig-123"
    body = json.dumps({"email": "borte@example.test", "type": "hard"})
    assert client.post(URL, body, content_type="application/json").status_code == 403
    assert (
        client.post(
            URL, body, content_type="application/json", HTTP_X_WEBHOOK_SECRET="feil"
        ).status_code
        == 403
    )
    assert not SuppressedAddress.objects.exists()
    response = client.post(
        URL, body, content_type="application/json", HTTP_X_WEBHOOK_SECRET="hemmelig-123"
    )
    assert response.json() == {"received": 1, "suppressed": 1}
    assert SuppressedAddress.objects.for_email("borte@example.test").exists()


@pytest.mark.parametrize(
    "body", ["not json", '{"email": "a@b.test"}', '{"email": "a@b.test", "type": "spam"}', "[1]"]
)
def test_the_webhook_refuses_bad_payloads(client, settings, body):
    settings.NEWSLETTER_WEBHOOK_SECRET = "hemmelig-123"
    response = client.post(
        URL, body, content_type="application/json", HTTP_X_WEBHOOK_SECRET="hemmelig-123"
    )
    assert response.status_code == 400
    assert not SuppressedAddress.objects.exists()


def test_the_mailto_unsubscribe_needs_the_signed_token(tmp_path):
    from newsletter.services.subscriptions import manage_token

    subscriber = make_subscriber("leser@example.test")
    other = make_subscriber("annen@example.test")
    forged = b"From: annen@example.test\r\nSubject: unsubscribe-forged\r\n\r\n"
    real = (
        f"From: someone@example.test\r\nSubject: unsubscribe-{manage_token(subscriber.public_id)}"
        "\r\n\r\n"
    ).encode()
    (tmp_path / "1.eml").write_bytes(forged)
    (tmp_path / "2.eml").write_bytes(real)
    counts = bounces.bounces_read_folder(str(tmp_path))
    assert counts["unsubscribed"] == 1
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert Subscriber.objects.filter(pk=other.pk).exists()
