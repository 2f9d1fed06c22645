"""Workflows around groups that touch more than one model."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactpoints.models import ContactPoint
from groups import services_workspace
from groups.consent import CONSENT_TEXTS
from groups.models import Group, Interest, InterestTally, Topic
from selvhjelp import emails
from selvhjelp.geo import within_km
from selvhjelp.models import DistrictOffice, Municipality, User

logger = logging.getLogger(__name__)

_WITHDRAW_SALT = "groups.interest.withdraw"


# Routing -------------------------------------------------------------------------------------


def interest_route(
    *,
    municipality: Municipality,
    latitude: float | None = None,
    longitude: float | None = None,
) -> tuple[ContactPoint | None, DistrictOffice | None]:
    """Where an interest for a topic and place goes: the nearest published contact point that
    serves the municipality (or lies in it), else the district office for its county."""
    # A subquery rather than a join keeps one row per contact point without DISTINCT.
    serving = ContactPoint.objects.published().filter(
        Q(pk__in=ContactPoint.objects.filter(municipalities_served=municipality).values("pk"))
        | Q(municipality=municipality)
    )
    latitude = municipality.latitude if latitude is None else latitude
    longitude = municipality.longitude if longitude is None else longitude
    nearest = within_km(serving, latitude, longitude, None).order_by("distance_km", "pk").first()
    if nearest is not None:
        return nearest, None

    office = DistrictOffice.objects.filter(
        counties__municipalities=municipality, is_active=True
    ).first()
    if office is None:
        raise ValidationError(
            _(
                "Vi fant ikke noe kontaktpunkt for denne kommunen. Ta gjerne kontakt med "
                "oss på telefon eller e-post."
            ),
            code="no_route",
        )
    return None, office


# Registering ---------------------------------------------------------------------------------


@transaction.atomic
def interest_register(
    *,
    topic: Topic,
    municipality: Municipality,
    name: str,
    email: str = "",
    phone: str = "",
    preferred_format: str = "",
    note: str = "",
    consent_text_version: str,
    consent_channel: str = Interest.Channel.WEB,
    consent_given_at: datetime | None = None,
    consent_recorded_by: User | None = None,
    group: Group | None = None,
    contact_point: ContactPoint | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    language: str | None = None,
) -> Interest:
    """Record a person's interest, routed to the group's contact point, a chosen contact point,
    or the nearest one serving the municipality (falling back to the district office), and
    queue a receipt to the person and, unless staff recorded it, a notification without personal
    data to the staff."""
    if consent_text_version not in CONSENT_TEXTS:
        raise ValidationError({"consent_text_version": "Unknown consent text version."})

    district_office = None
    if group is not None:
        contact_point = group.contact_point
    elif contact_point is None:
        contact_point, district_office = interest_route(
            municipality=municipality, latitude=latitude, longitude=longitude
        )

    interest = Interest(
        contact_point=contact_point,
        district_office=district_office,
        group=group,
        topic=topic,
        municipality=municipality,
        name=name,
        email=email,
        phone=phone,
        preferred_format=preferred_format,
        note=note,
        consent_text_version=consent_text_version,
        consent_given_at=consent_given_at or timezone.now(),
        consent_channel=consent_channel,
        consent_recorded_by=consent_recorded_by,
    )
    interest.full_clean()
    interest.save()

    if interest.email:
        _queue_receipt(interest, language=language or translation.get_language() or "nb")
    if consent_recorded_by is None:
        # Staff who typed the interest in know about it already.
        _queue_staff_notification(interest)
    services_workspace.demand_check(contact_point=interest.contact_point)
    logger.info("interest: registered %s", interest.pk)
    return interest


def _recipient_name(interest: Interest) -> str:
    if interest.contact_point_id:
        return interest.contact_point.name
    return interest.district_office.name


def _queue_receipt(interest: Interest, *, language: str) -> None:
    with translation.override(language):
        withdraw_url = settings.SITE_URL.rstrip("/") + reverse(
            "groups:interest-withdraw", kwargs={"token": interest_withdraw_token(interest)}
        )
    emails.queue(
        to=interest.email,
        name="interest-receipt",
        language=language,
        context={
            "topic": interest.topic.name,
            "group_name": interest.group.name if interest.group_id else "",
            "recipient_name": _recipient_name(interest),
            "withdraw_url": withdraw_url,
        },
    )


def _staff_emails(interest: Interest) -> list[str]:
    if interest.contact_point_id:
        owner = interest.contact_point
        members = User.objects.filter(contact_point_memberships__contact_point=owner)
    else:
        owner = interest.district_office
        members = User.objects.filter(district_office_memberships__district_office=owner)
    addresses = list(members.filter(is_active=True).values_list("email", flat=True).distinct())
    if not addresses and owner.email:
        addresses = [owner.email]
    return sorted(addresses)


def _staff_path(interest: Interest) -> str:
    """Where staff read the interest: the contact point's workspace, or the district office's
    own interest list."""
    if interest.contact_point_id:
        area, slug = "workspace", interest.contact_point.slug
    else:
        area, slug = "district", interest.district_office.slug
    return reverse(
        f"{area}:interest-detail", kwargs={"slug": slug, "public_id": interest.public_id}
    )


def _queue_staff_notification(interest: Interest) -> None:
    """Tell the staff there is a new interest, without the person's details: they read those
    after logging in."""
    addresses = _staff_emails(interest)
    if not addresses:
        logger.warning("interest: nobody to notify about %s", interest.pk)
        return
    context = {
        "topic": interest.topic.name,
        "municipality": interest.municipality.name,
        "group_name": interest.group.name if interest.group_id else "",
        "recipient_name": _recipient_name(interest),
        "staff_url": settings.SITE_URL.rstrip("/") + _staff_path(interest),
    }
    for address in addresses:
        emails.queue(to=address, name="interest-notification", context=context)


# Withdrawing ---------------------------------------------------------------------------------


def interest_withdraw_token(interest: Interest) -> str:
    """A signed token carrying only the interest's random public id."""
    return signing.dumps(str(interest.public_id), salt=_WITHDRAW_SALT)


def interest_from_withdraw_token(token: str) -> Interest | None:
    """The interest the token points to, or None if it is tampered with or already gone."""
    try:
        public_id = uuid.UUID(signing.loads(token, salt=_WITHDRAW_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Interest.objects.filter(public_id=public_id).select_related("topic").first()


@transaction.atomic
def interest_withdraw(*, interest: Interest) -> None:
    """Withdraw consent: the interest is deleted, not just marked, along the same path as
    erasure and retention (the receipt leaves the outbox, demand is rechecked, and only an
    anonymous count remains)."""
    interest_id = interest.pk
    services_workspace.interests_delete(
        interests=Interest.objects.filter(pk=interest_id), reason=InterestTally.Reason.WITHDRAWN
    )
    logger.info("interest: withdrawn and deleted %s", interest_id)
