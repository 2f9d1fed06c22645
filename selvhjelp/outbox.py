"""Sending the outbox: claim a row with a conditional update, send it, record the outcome."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.utils import timezone

from selvhjelp.models import OutgoingEmail, SuppressedAddress
from selvhjelp.smtp import DeliveryUncertain

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


def outbox_send(*, email_id: int) -> bool:
    """Send one email if it is still due. Returns True when this call sent it."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutgoingEmail.Status.SENDING, claimed_at=now)
    if claimed != 1:
        return False  # sent already, failed for good, not due yet, or another worker has it

    email = OutgoingEmail.objects.get(pk=email_id)
    # The shared suppression list: a bounced or complaining address gets no email at all.
    suppressed = SuppressedAddress.objects.blocking_all_mail().for_email(email.to).first()
    if suppressed is not None:
        email.status = OutgoingEmail.Status.SKIPPED
        email.skipped_reason = suppressed.reason
        email.save(update_fields=["status", "skipped_reason"])
        logger.info("outbox: skipped email %s (%s): address suppressed", email.pk, email.kind)
        return False

    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        # The same on every attempt: a receiving system can recognise a second copy.
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    try:
        message.send()
    except Exception as exc:  # SMTP refused, timed out, or the server is down
        _record_failure(email, exc)
        return False

    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.attempts += 1
    email.last_error = ""
    email.delivery_uncertain = False
    email.save(update_fields=["status", "sent_at", "attempts", "last_error", "delivery_uncertain"])
    logger.info("outbox: sent email %s (%s)", email.pk, email.kind)
    return True


def _record_failure(email: OutgoingEmail, exc: Exception) -> None:
    """A refusal or a failure before the message was handed over: retry with doubling waits.
    A timeout after the relay had the whole message (DeliveryUncertain): it may arrive anyway,
    so mark the row and wait OUTBOX_UNCERTAIN_RETRY_SECONDS before the next try, which carries
    the same Message-ID."""
    email.attempts += 1
    email.last_error = f"{type(exc).__name__}: {exc}"[:500]
    uncertain = isinstance(exc, DeliveryUncertain)
    email.delivery_uncertain = email.delivery_uncertain or uncertain
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        email.status = OutgoingEmail.Status.FAILED
        logger.error("outbox: email %s failed for good after %s tries", email.pk, email.attempts)
    else:
        email.status = OutgoingEmail.Status.PENDING
        if uncertain:
            delay = settings.OUTBOX_UNCERTAIN_RETRY_SECONDS
        else:
            delay = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (email.attempts - 1)
        email.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        logger.warning(
            "outbox: email %s %s (try %s), retry in %ss",
            email.pk,
            "may have been delivered" if uncertain else "failed",
            email.attempts,
            delay,
        )
    email.save(
        update_fields=[
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "delivery_uncertain",
        ]
    )


def outbox_due_ids(*, limit: int = 200) -> list[int]:
    """Pending emails that are due, and claims left behind by a worker that died."""
    now = timezone.now()
    OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=OutgoingEmail.Status.PENDING)
    return list(
        OutgoingEmail.objects.filter(
            Q(status=OutgoingEmail.Status.PENDING) & Q(next_attempt_at__lte=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_sweep() -> int:
    """Send every due email. Returns how many went out."""
    return sum(outbox_send(email_id=email_id) for email_id in outbox_due_ids())
