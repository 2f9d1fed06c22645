"""Signed links in emails: see or cancel a registration, accept or decline an offer. The link
holds the registration's public id and what it is for; a changed link fails the signature."""

from __future__ import annotations

from django.core import signing

from events.models import Registration

SALT = "events.registration"


def make_token(registration: Registration, purpose: str) -> str:
    return signing.dumps({"r": str(registration.public_id), "p": purpose}, salt=SALT)


def registration_from_token(token: str, purpose: str) -> Registration | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    return Registration.objects.select_related("event").filter(public_id=data.get("r")).first()
