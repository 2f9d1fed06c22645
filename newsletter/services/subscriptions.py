"""Subscribing with double opt-in, preferences and leaving, through signed links."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from newsletter import emails
from newsletter.models import CONSENT_VERSION, NewsletterList, Subscriber
from selvhjelp.models import DistrictOffice, SuppressedAddress
from selvhjelp.privacy import normalise_email

_CONFIRM_SALT = "newsletter.confirm"
_MANAGE_SALT = "newsletter.manage"


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps(str(subscriber.public_id), salt=_CONFIRM_SALT)


def manage_token(public_id: uuid.UUID | str) -> str:
    """For the preferences page and unsubscribing: no expiry, it sits in every newsletter."""
    return signing.dumps(str(public_id), salt=_MANAGE_SALT)


def _load(token: str, *, salt: str, max_age: int | None = None) -> uuid.UUID | None:
    try:
        return uuid.UUID(signing.loads(token, salt=salt, max_age=max_age))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def subscriber_for_manage_token(token: str) -> tuple[uuid.UUID | None, Subscriber | None]:
    """The id in a valid link (or None), and the subscriber if they are still subscribed."""
    public_id = _load(token, salt=_MANAGE_SALT)
    if public_id is None:
        return None, None
    return public_id, Subscriber.objects.filter(public_id=public_id).first()


@transaction.atomic
def subscriber_subscribe(
    *, email: str, name: str, lists: list[str], region: DistrictOffice | None
) -> None:
    """Sends a confirmation link. The caller shows the same page whatever happened here, so the
    form never reveals whether an address is subscribed."""
    email = normalise_email(email)
    existing = Subscriber.objects.select_for_update().filter(email=email).first()
    if existing is not None and existing.confirmed_at is not None:
        # Someone else may have typed this address: change nothing, remind the owner instead.
        emails.already_subscribed(existing, manage_token=manage_token(existing.public_id))
        return
    if existing is None:
        existing = Subscriber(email=email)
    existing.name = name
    existing.lists = lists
    existing.region = region if NewsletterList.REGION in lists else None
    existing.consent_version = CONSENT_VERSION
    existing.created_at = timezone.now()  # the confirmation link's week starts again
    existing.full_clean()
    existing.save()
    emails.confirm_subscription(existing, token=confirm_token(existing))


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber | None:
    """None for a link that is expired, tampered with or whose sign-up was deleted. A second
    click on a valid link confirms nothing new and still answers with the subscriber."""
    max_age = settings.NEWSLETTER_CONFIRM_DAYS * 24 * 60 * 60
    public_id = _load(token, salt=_CONFIRM_SALT, max_age=max_age)
    if public_id is None:
        return None
    subscriber = Subscriber.objects.select_for_update().filter(public_id=public_id).first()
    if subscriber is not None and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
        # They asked for the newsletter again: an earlier "leave" no longer holds.
        SuppressedAddress.objects.for_email(subscriber.email).filter(
            reason=SuppressedAddress.Reason.UNSUBSCRIBED
        ).delete()
    return subscriber


@transaction.atomic
def subscriber_update(
    *, subscriber: Subscriber, lists: list[str], region: DistrictOffice | None
) -> Subscriber:
    subscriber.lists = lists
    subscriber.region = region if NewsletterList.REGION in lists else None
    subscriber.full_clean()
    subscriber.save(update_fields=["lists", "region"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, public_id: uuid.UUID) -> None:
    """Idempotent. The row goes; only a hash of the address stays, so a list import or a
    stale form cannot bring the person back without a new confirmation."""
    subscriber = Subscriber.objects.filter(public_id=public_id).first()
    if subscriber is None:
        return
    SuppressedAddress.suppress(subscriber.email, SuppressedAddress.Reason.UNSUBSCRIBED)
    subscriber.delete()


@transaction.atomic
def subscriber_subscribe_staff(*, user, lists: list[str], region: DistrictOffice | None) -> None:
    """One click from a logged-in staff member: their address is verified already, so the
    click is the confirmation (consent channel "staff")."""
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        email=normalise_email(user.email),
        defaults={"lists": [], "consent_version": CONSENT_VERSION, "consent_channel": "staff"},
    )
    subscriber.name = subscriber.name or user.name
    subscriber.lists = sorted(set(subscriber.lists) | set(lists))
    if region is not None and subscriber.region_id is None:
        subscriber.region = region
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.consent_channel = "staff"
        subscriber.consent_version = CONSENT_VERSION
    subscriber.full_clean()
    subscriber.save()
    SuppressedAddress.objects.for_email(subscriber.email).filter(
        reason=SuppressedAddress.Reason.UNSUBSCRIBED
    ).delete()
