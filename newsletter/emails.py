"""The newsletter app's transactional emails (through the outbox). Newsletters themselves are
sent by newsletter/sending.py, in batches: see there why."""

from __future__ import annotations

from django.urls import reverse

from selvhjelp import emails
from selvhjelp.emails import absolute_url


def confirm_subscription(subscriber, *, token: str) -> None:
    emails.queue(
        to=subscriber.email,
        name="newsletter-confirm",
        context={
            "confirm_url": absolute_url(reverse("newsletter:confirm", args=[token])),
            "subscriber": subscriber,
        },
    )


def already_subscribed(subscriber, *, manage_token: str) -> None:
    emails.queue(
        to=subscriber.email,
        name="newsletter-already-subscribed",
        context={
            "preferences_url": absolute_url(reverse("newsletter:preferences", args=[manage_token]))
        },
    )


def test_issue(*, to: str, subject: str, body_text: str, body_html: str) -> None:
    """A test send to the writer's own address: the outbox, marked as a test in the subject."""
    emails.queue_rendered(
        kind="newsletter-test",
        to=to,
        subject=f"[TEST] {subject}",
        body_text=body_text,
        body_html=body_html,
    )
