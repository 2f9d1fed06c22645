"""Sending an issue: one delivery row per recipient, then batches over one SMTP connection each.

Why not the generic outbox: the outbox sends one row per Celery task over a fresh connection,
which is right for a receipt and wrong for 6,700 copies (a connection per message, no rate
control, no pause). Here one worker at a time owns an issue (a conditional UPDATE on the issue
row, refreshed as a heartbeat), claims a batch of pending rows with FOR UPDATE SKIP LOCKED,
sends them over one connection at the configured rate and marks each row sent the moment the
relay accepted it. A worker that dies leaves its issue with an old heartbeat; the sweep (every
minute) hands it to another worker, which puts the dead worker's claimed rows back to pending
and goes on. The one message that may have been in flight when the worker died goes again with
the same Message-ID (derived from the delivery row), which receiving systems use to drop copies.
The shared suppression list is checked per batch, as the outbox does per email.
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Delivery, Issue, Subscriber
from newsletter.rendering import RenderedIssue, render_issue
from newsletter.services.subscriptions import manage_token
from selvhjelp.emails import absolute_url
from selvhjelp.models import SuppressedAddress, address_hash

logger = logging.getLogger(__name__)

# Pause on the error rate only after this many tries, so two early failures do not stop it.
MIN_TRIES_BEFORE_PAUSE = 20


def issue_audience(issue: Issue):
    return Subscriber.objects.audience(newsletter_list=issue.newsletter_list, region=issue.office)


def deliveries_create(*, issue: Issue) -> int:
    """One row per recipient in a single INSERT … SELECT: the database walks the subscribers, so
    memory in the worker does not grow with the list. Safe to run twice (ON CONFLICT)."""
    audience = issue_audience(issue).values("id", "email", "public_id")
    select_sql, params = audience.query.sql_with_params()
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Delivery._meta.db_table}
                (issue_id, subscriber_id, email, subscriber_public_id, status, message_id, error)
            SELECT %s, a.id, a.email, a.public_id, 'pending', '', ''
            FROM ({select_sql}) AS a
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 (the inner SQL is Django's, with parameters)
            [issue.pk, *params],
        )
        return cursor.rowcount


def _own(issue_id: int, runner: uuid.UUID) -> bool:
    """Refreshes the heartbeat; False when staff paused the issue or another worker has it."""
    return bool(
        Issue.objects.filter(pk=issue_id, runner=runner, status=Issue.Status.SENDING).update(
            heartbeat_at=timezone.now()
        )
    )


def _claim_batch(issue_id: int, size: int, after_id: int) -> list[tuple[int, str, uuid.UUID]]:
    """The next pending rows after `after_id`. The cursor matters at 100,000 rows: scanning
    from the start each time walks the index entries of every row already sent (measured with
    benchmark_newsletter: the rate fell to a third)."""
    table = Delivery._meta.db_table
    with transaction.atomic(), db_connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET status = 'claimed', claimed_at = now()
            WHERE id IN (
                SELECT id FROM {table}
                WHERE issue_id = %s AND status = 'pending' AND id > %s
                ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED
            )
            RETURNING id, email, subscriber_public_id
            """,  # noqa: S608 (table name from the model)
            [issue_id, after_id, size],
        )
        return sorted(cursor.fetchall())


def message_id_for(delivery_id: int) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "selvhjelp.invalid"
    return f"<newsletter-{delivery_id}@{domain}>"


def build_message(
    rendered: RenderedIssue,
    *,
    delivery_id: int | str,
    email: str,
    public_id: uuid.UUID | None = None,
    token: str | None = None,
) -> EmailMultiAlternatives:
    token = token or manage_token(public_id)
    unsubscribe_url = absolute_url(reverse("newsletter:unsubscribe", args=[token]))
    preferences_url = absolute_url(reverse("newsletter:preferences", args=[token]))
    body_html, body_text = rendered.for_recipient(
        preferences_url=preferences_url, unsubscribe_url=unsubscribe_url
    )
    mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={
            "Message-ID": message_id_for(delivery_id),
            # RFC 8058: newsletters only, never on transactional email.
            # The mailto's subject carries the same signed token: bounces_read_folder acts on
            # it, so a forged sender address cannot unsubscribe someone else.
            "List-Unsubscribe": (
                f"<{unsubscribe_url}>, <mailto:{mailto}?subject=unsubscribe-{token}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Selvhjelp nyhetsbrev <nyhetsbrev.selvhjelp>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(body_html, "text/html")
    return message


_TOKEN = "tokenplaceholderxyz"  # noqa: S105 (a placeholder, not a password)
_RCPT = "rcpt@placeholder.invalid"
_DELIVERY = "deliveryplaceholderxyz"


class _BatchTemplate:
    """The message as bytes, built once per batch with placeholders, filled in per recipient.

    Building a MIME message costs more than sending it to a nearby relay (measured with
    benchmark_newsletter: about half the rate). Django writes short-lined UTF-8 bodies as 8bit,
    so the placeholders (plain ASCII, no spaces, never folded) appear verbatim in the bytes; if
    one does not (an unusual encoding), `fill` answers None and the caller builds the message."""

    def __init__(self, rendered: RenderedIssue) -> None:
        message = build_message(rendered, delivery_id=_DELIVERY, email=_RCPT, token=_TOKEN)
        self.from_email = message.from_email
        self.raw = message.message().as_bytes(linesep="\r\n")
        self.usable = all(marker.encode() in self.raw for marker in (_TOKEN, _RCPT, _DELIVERY))

    def fill(self, *, delivery_id: int, email: str, public_id: uuid.UUID) -> bytes | None:
        if not self.usable or not email.isascii():
            return None
        token = manage_token(public_id)
        return (
            self.raw.replace(_TOKEN.encode(), token.encode())
            .replace(_RCPT.encode(), email.encode())
            .replace(_DELIVERY.encode(), str(delivery_id).encode())
        )


class _Pacer:
    """At most NEWSLETTER_RATE_PER_SECOND messages a second."""

    def __init__(self, per_second: int) -> None:
        self.interval = 1.0 / per_second
        self.next_at = time.monotonic()

    def wait(self) -> None:
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def _hourly_budget() -> int | None:
    cap = settings.NEWSLETTER_MAX_PER_HOUR
    if not cap:
        return None
    since = timezone.now() - timedelta(hours=1)
    return max(0, cap - Delivery.objects.filter(sent_at__gte=since).count())


def _send_batch(rendered, batch, pacer: _Pacer) -> tuple[int, int]:
    """Returns (tried, failed) at the relay; suppressed addresses are neither."""
    tried = failed = 0
    hashes = {row[0]: address_hash(row[1]) for row in batch}
    suppressed = set(
        SuppressedAddress.objects.blocking_all_mail()
        .filter(address_hash__in=hashes.values())
        .values_list("address_hash", flat=True)
    )
    smtp = get_connection(fail_silently=False)
    smtp.open()
    # The SMTP backend's smtplib connection takes the bytes as they are; other backends (files
    # in development, memory in tests) get a message object.
    smtp_connection = getattr(smtp, "connection", None)
    template = _BatchTemplate(rendered)
    table = Delivery._meta.db_table
    mark_sent = f"UPDATE {table} SET status = 'sent', sent_at = now() WHERE id = %s"  # noqa: S608
    try:
        for delivery_id, email, public_id in batch:
            rows = Delivery.objects.filter(pk=delivery_id)
            if hashes[delivery_id] in suppressed:
                rows.update(status=Delivery.Status.FAILED, error="suppressed")
                continue
            raw = template.fill(delivery_id=delivery_id, email=email, public_id=public_id)
            pacer.wait()
            tried += 1
            try:
                if raw is not None and smtp_connection is not None:
                    smtp_connection.sendmail(template.from_email, [email], raw)
                else:
                    message = build_message(
                        rendered, delivery_id=delivery_id, email=email, public_id=public_id
                    )
                    smtp.send_messages([message])
            except (smtplib.SMTPException, OSError) as exc:
                failed += 1
                rows.update(status=Delivery.Status.FAILED, error=f"{type(exc).__name__}"[:300])
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    smtp.close()
                    smtp.open()
                    smtp_connection = getattr(smtp, "connection", None)
                continue
            # At once, in its own commit: a worker killed after this line does not send it again.
            with db_connection.cursor() as cursor:
                cursor.execute(mark_sent, [delivery_id])
    finally:
        smtp.close()
    return tried, failed


def _release_stale_claims(issue_id: int, *, waiting: bool = False) -> bool:
    """Rows claimed by a worker that went quiet go back to pending (the one in flight when it
    died goes again, with the same Message-ID). Rows a live worker claimed recently are left to
    it. Returns whether fresh claims remain."""
    stale = timezone.now() - timedelta(seconds=settings.NEWSLETTER_STALE_SECONDS)
    claimed = Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.CLAIMED)
    claimed.filter(claimed_at__lt=stale).update(status=Delivery.Status.PENDING)
    return waiting and claimed.exists()


def issue_counts(issue: Issue) -> dict[str, int]:
    counts = issue.deliveries.aggregate(
        sent=Count("id", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("id", filter=Q(status=Delivery.Status.FAILED)),
        remaining=Count(
            "id", filter=Q(status__in=[Delivery.Status.PENDING, Delivery.Status.CLAIMED])
        ),
    )
    counts["sent"] += issue.archived_sent
    counts["failed"] += issue.archived_failed
    counts["total"] = counts["sent"] + counts["failed"] + counts["remaining"]
    return counts


def issue_send(*, issue_id: int) -> str:
    """Sends what is left of an issue. Safe to call any number of times, from any worker."""
    runner = uuid.uuid4()
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NEWSLETTER_STALE_SECONDS)
    taken = (
        Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING)
        .filter(Q(runner__isnull=True) | Q(heartbeat_at__lt=stale))
        .update(runner=runner, heartbeat_at=now)
    )
    if not taken:
        return "not-mine"
    issue = Issue.objects.get(pk=issue_id)
    if not issue.recipients_created:
        deliveries_create(issue=issue)
        Issue.objects.filter(pk=issue_id).update(recipients_created=True)
    _release_stale_claims(issue_id)
    rendered = render_issue(issue)
    pacer = _Pacer(settings.NEWSLETTER_RATE_PER_SECOND)
    with _fast_commits():
        return _send_loop(issue, runner, rendered, pacer)


@contextmanager
def _fast_commits():
    """One commit per message would wait for the disk each time. With synchronous_commit off
    a commit returns before its WAL is flushed: a killed worker loses nothing (PostgreSQL has
    the commit); only a crash of PostgreSQL itself could forget the last fraction of a second
    of "sent" marks, and those few would go again with the same Message-ID. In a test's
    transaction (or any outer transaction) the setting is left alone."""
    if db_connection.in_atomic_block:
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_loop(issue: Issue, runner: uuid.UUID, rendered: RenderedIssue, pacer: _Pacer) -> str:
    issue_id = issue.pk
    after_id = 0
    tried = failed = 0  # in this run: the error rate is about the relay now
    while _own(issue_id, runner):
        size = settings.NEWSLETTER_BATCH_SIZE
        budget = _hourly_budget()
        if budget is not None:
            if budget == 0:
                # The relay's hourly cap: let go; the sweep starts it again within a minute.
                Issue.objects.filter(pk=issue_id, runner=runner).update(runner=None)
                return "hourly-cap"
            size = min(size, budget)
        batch = _claim_batch(issue_id, size, after_id)
        if not batch and after_id:
            # Rows released behind the cursor (a dead worker's claims) are picked up from the
            # start once more before the sending counts as done.
            after_id = 0
            continue
        if not batch and _release_stale_claims(issue_id, waiting=True):
            time.sleep(1)  # a paused-and-resumed worker is finishing its batch
            continue
        if not batch:
            Issue.objects.filter(pk=issue_id, runner=runner).update(
                status=Issue.Status.SENT, sent_at=timezone.now(), runner=None
            )
            logger.info("newsletter: issue %s sent", issue_id)
            return "sent"
        after_id = batch[-1][0]
        batch_tried, batch_failed = _send_batch(rendered, batch, pacer)
        tried += batch_tried
        failed += batch_failed
        if (
            tried >= MIN_TRIES_BEFORE_PAUSE
            and failed * 100 >= settings.NEWSLETTER_PAUSE_ERROR_RATE * tried
        ):
            Issue.objects.filter(pk=issue_id, runner=runner).update(
                status=Issue.Status.PAUSED,
                runner=None,
                paused_reason="error-rate",
            )
            logger.warning("newsletter: issue %s paused, %s of %s failed", issue_id, failed, tried)
            return "paused"
    return "stopped"


def issues_due_ids() -> list[int]:
    """Starts scheduled issues that are due; returns the issues a worker should (re)start:
    those no worker has, or whose worker went quiet."""
    now = timezone.now()
    Issue.objects.filter(status=Issue.Status.SCHEDULED, scheduled_at__lte=now).update(
        status=Issue.Status.SENDING, started_at=now
    )
    stale = now - timedelta(seconds=settings.NEWSLETTER_STALE_SECONDS)
    return list(
        Issue.objects.filter(status=Issue.Status.SENDING)
        .filter(Q(runner__isnull=True) | Q(heartbeat_at__lt=stale))
        .values_list("pk", flat=True)
    )
