"""Every email the portal sends is built here, from a template triple per message:
`templates/emails/<name>-subject.txt`, `<name>-body.txt` and `<name>-body.html`.

`queue()` writes the email to the outbox in the caller's transaction and asks Celery to send it
once that transaction commits. Each app has an `emails.py` with one small function per message
that calls `queue()`; links in them are made with `absolute_url()`, recipients among staff with
`staff_addresses()`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from selvhjelp.models import OutgoingEmail, OutgoingEmailAttachment

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """The full address of a path on this site, for emails: `SITE_URL` may end in a slash or not."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def staff_addresses(*places) -> list[str]:
    """Where to write to the staff of contact points or district offices: the active staff
    accounts of each place, or the place's own address when it has none. Sorted, each once."""
    addresses: set[str] = set()
    for place in places:
        if place is None:
            continue
        staff = set(
            place.memberships.filter(user__is_active=True).values_list("user__email", flat=True)
        )
        addresses |= staff or ({place.email} if place.email else set())
    return sorted(addresses)


def make_message(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    subject = _render_plain_text(f"emails/{name}-subject.txt", context)
    subject = " ".join(subject.split())
    text = _render_plain_text(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    return subject, text, html


def _render_plain_text(template_name: str, context: dict[str, Any]) -> str:
    """Subjects and plain-text bodies are not HTML: escaping would print "Mat &amp; helse".
    The HTML body keeps Django's autoescaping.

    The result is a plain str, not the SafeString a template returns: a page that shows the
    text (the "group starts" preview) must escape the names in it."""
    template = get_template(template_name).template
    return str.__str__(template.render(Context(context, autoescape=False)))


# (filename, content type, content), e.g. ("arrangement.ics", "text/calendar", b"...").
Attachment = tuple[str, str, bytes]


def queue(
    *,
    to: str,
    name: str,
    context: dict[str, Any],
    language: str = "nb",
    attachments: list[Attachment] = (),
) -> OutgoingEmail:
    with translation.override(language):
        subject, text, html = make_message(name, context)
    return queue_rendered(
        kind=name, to=to, subject=subject, body_text=text, body_html=html, attachments=attachments
    )


def queue_rendered(
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: list[Attachment] = (),
) -> OutgoingEmail:
    email = OutgoingEmail.objects.create(
        kind=kind, to=to, subject=subject, body_text=body_text, body_html=body_html
    )
    OutgoingEmailAttachment.objects.bulk_create(
        OutgoingEmailAttachment(email=email, filename=f, content_type=t, content=c)
        for f, t, c in attachments
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


# After the broker failed, this process leaves it alone for a few seconds: every email is in the
# outbox anyway, and a request must not wait for a broker that is down.
BROKER_RETRY_AFTER = 10.0
_broker_down_until = 0.0  # time.monotonic(); process-local


def _enqueue(email_id: int) -> None:
    global _broker_down_until
    from selvhjelp.tasks import send_email

    if time.monotonic() < _broker_down_until:
        return  # the periodic sweep sends it
    try:
        send_email.delay(email_id)
    except Exception:  # broker down or unreachable: the periodic sweep sends it later
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning("outbox: could not enqueue email %s, left for the sweep", email_id)
