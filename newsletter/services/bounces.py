"""Bounces and complaints: RFC 3464 delivery status notifications and ARF (RFC 5965) complaint
reports, read from a folder (one message per file) or posted to the webhook.

A hard bounce (5.x.x) or a complaint suppresses the address at once; soft bounces (4.x.x) after
NEWSLETTER_SOFT_BOUNCE_LIMIT in a row. The suppression list is shared with every email the portal
sends (selvhjelp/outbox.py skips a suppressed address)."""

from __future__ import annotations

import email
import email.policy
import logging
from email.message import Message
from pathlib import Path

from django.conf import settings
from django.db import transaction

from newsletter.models import Subscriber
from selvhjelp.models import SuppressedAddress
from selvhjelp.privacy import normalise_email

logger = logging.getLogger(__name__)

HARD, SOFT, COMPLAINT, DELIVERED = "hard", "soft", "complaint", "delivered"


def parse_report(raw: bytes) -> list[tuple[str, str]]:
    """[(address, kind)] found in one message; empty for anything else."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.get_content_type() != "multipart/report":
        return []
    report_type = (message.get_param("report-type") or "").lower()
    found: list[tuple[str, str]] = []
    for part in message.walk():
        content_type = part.get_content_type()
        if report_type == "delivery-status" and content_type == "message/delivery-status":
            # The body is a list of header blocks: the message's, then one per recipient.
            for block in part.get_payload():
                action = (block.get("Action") or "").strip().lower()
                status = (block.get("Status") or "").strip()
                recipient = block.get("Final-Recipient") or block.get("Original-Recipient") or ""
                address = recipient.split(";", 1)[-1].strip()
                if not address:
                    continue
                if action in {"delivered", "relayed", "expanded"}:
                    found.append((address, DELIVERED))  # a success report ends a run of soft ones
                elif action in {"failed", "delayed"}:
                    found.append((address, HARD if status.startswith("5") else SOFT))
        elif report_type == "feedback-report" and content_type == "message/feedback-report":
            for block in part.get_payload():
                recipient = block.get("Original-Rcpt-To") or ""
                if recipient:
                    found.append((recipient.strip(), COMPLAINT))
        elif report_type == "feedback-report" and content_type in {
            "message/rfc822",
            "text/rfc822-headers",
        }:
            payload = part.get_payload()
            original = payload[0] if isinstance(payload, list) else None
            if isinstance(original, Message) and original.get("To") and not found:
                found.append((email.utils.parseaddr(original["To"])[1], COMPLAINT))
    return found


@transaction.atomic
def bounce_record(*, address: str, kind: str) -> bool:
    """Returns True when the address is now suppressed."""
    address = normalise_email(address)
    if kind == DELIVERED:
        bounce_delivered(address=address)
        return False
    subscriber = Subscriber.objects.select_for_update().filter(email=address).first()
    if kind == SOFT:
        if subscriber is None:
            return False
        subscriber.soft_bounces += 1
        if subscriber.soft_bounces < settings.NEWSLETTER_SOFT_BOUNCE_LIMIT:
            subscriber.save(update_fields=["soft_bounces"])
            return False
        reason = SuppressedAddress.Reason.SOFT_BOUNCE
    elif kind == HARD:
        reason = SuppressedAddress.Reason.HARD_BOUNCE
    elif kind == COMPLAINT:
        reason = SuppressedAddress.Reason.COMPLAINT
    else:
        raise ValueError(kind)
    SuppressedAddress.suppress(address, reason)
    if subscriber is not None:
        subscriber.delete()  # only the hash stays
    return True


def bounce_delivered(*, address: str) -> None:
    """A message arrived: soft bounces count "in a row", so the count starts again."""
    Subscriber.objects.filter(email=normalise_email(address), soft_bounces__gt=0).update(
        soft_bounces=0
    )


def _unsubscribe_by_mail(raw: bytes) -> bool:
    """The mailto in List-Unsubscribe: "unsubscribe-<signed token>" in the subject."""
    from newsletter.services.subscriptions import (
        subscriber_for_manage_token,
        subscriber_unsubscribe,
    )

    subject = email.message_from_bytes(raw, policy=email.policy.compat32).get("Subject") or ""
    subject = subject.strip()
    for prefix in ("Re: ", "RE: ", "Sv: ", "SV: "):
        subject = subject.removeprefix(prefix)
    if not subject.startswith("unsubscribe-"):
        return False
    public_id, _subscriber = subscriber_for_manage_token(subject.removeprefix("unsubscribe-"))
    if public_id is None:
        return False
    subscriber_unsubscribe(public_id=public_id)
    return True


def bounces_read_folder(folder: str | None = None) -> dict[str, int]:
    """Reads every file in the folder; a file that was read goes to `done/` under it."""
    path = Path(folder or settings.NEWSLETTER_BOUNCE_FOLDER)
    counts = {"files": 0, "suppressed": 0}
    if not path.is_dir():
        return counts
    done = path / "done"
    for file in sorted(p for p in path.iterdir() if p.is_file()):
        counts["files"] += 1
        raw = file.read_bytes()
        if _unsubscribe_by_mail(raw):
            counts["unsubscribed"] = counts.get("unsubscribed", 0) + 1
        for address, kind in parse_report(raw):
            counts["suppressed"] += bounce_record(address=address, kind=kind)
        done.mkdir(exist_ok=True)
        file.rename(done / file.name)
    logger.info("newsletter bounces: %s", counts)
    return counts
