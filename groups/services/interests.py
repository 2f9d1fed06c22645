"""An interest (interessemelding): routing, registering (one service whatever the channel: the
public form or staff by hand), status, notes and withdrawal."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactpoints.models import ContactPoint
from groups import emails as group_emails
from groups.consent import CONSENT_TEXTS
from groups.models import (
    Group,
    Interest,
    Topic,
)
from groups.services.demand import demand_check
from selvhjelp.audit import audit_log
from selvhjelp.geo import within_km
from selvhjelp.models import AuditEntry, DistrictOffice, Municipality, User

logger = logging.getLogger(__name__)


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

    office = DistrictOffice.objects.active().for_municipality(municipality)
    if office is None:
        raise ValidationError(
            _(
                "Vi fant ikke noe kontaktpunkt for denne kommunen. Ta gjerne kontakt med "
                "oss på telefon eller e-post."
            ),
            code="no_route",
        )
    return None, office


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
    data to the staff.

    One service for every channel: the public form (`consent_channel` web), or staff by hand
    (`consent_recorded_by` set: someone phoned, walked in or spoke to staff at an event and gave
    consent orally; the staff member who heard it is recorded and audited)."""
    if consent_text_version not in CONSENT_TEXTS:
        raise ValidationError({"consent_text_version": "Unknown consent text version."})
    if consent_recorded_by is not None and consent_channel not in HAND_CHANNELS:
        raise ValidationError({"consent_channel": _("Velg hvordan samtykket ble gitt.")})

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
        group_emails.interest_receipt(
            interest,
            withdraw_token=interest_withdraw_token(interest),
            language=language or translation.get_language() or "nb",
        )
    if consent_recorded_by is None:
        # Staff who typed the interest in know about it already.
        group_emails.interest_notification(interest)
    else:
        interest_audit(
            actor=consent_recorded_by,
            action=AuditEntry.Action.CREATE,
            interest=interest,
            detail=f"channel={consent_channel}",
        )
    demand_check(contact_point=interest.contact_point)
    logger.info("interest: registered %s", interest.pk)
    return interest


_WITHDRAW_SALT = "groups.interest.withdraw"


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


HAND_CHANNELS = (Interest.Channel.PHONE, Interest.Channel.IN_PERSON, Interest.Channel.EVENT)


class StaleVersionError(ValidationError):
    """Someone else saved the interest after this form was opened."""


# Whose interest list it is: a contact point's, or a district office's for the places no
# contact point serves.
Owner = ContactPoint | DistrictOffice


def interest_audit(*, actor: User, action: str, interest: Interest, detail: str = "") -> None:
    """One audit row about one interest: its id and owner, never the person's details."""
    if not interest.contact_point_id:
        detail = f"office={interest.district_office_id} {detail}".strip()
    audit_log(
        actor=actor,
        action=action,
        object_type="interest",
        object_id=interest.pk,
        contact_point_id=interest.contact_point_id,
        detail=detail,
    )


def owner_audit_list(*, actor: User, owner: Owner, detail: str) -> None:
    """An audit row for reading a list of people at `owner`. Audit rows have a contact point
    column; a district office's list names the office in the detail."""
    is_office = isinstance(owner, DistrictOffice)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.LIST,
        object_type="interest",
        contact_point_id=None if is_office else owner.pk,
        detail=f"office={owner.pk} {detail}" if is_office else detail,
    )


@transaction.atomic
def interest_update(
    *,
    interest: Interest,
    version: int,
    actor: User,
    status: str,
) -> Interest:
    """Change an interest's status, but only if nobody saved it since `version` was read: a
    conditional UPDATE, so two staff members cannot overwrite each other."""
    if status not in Interest.Status.values:
        raise ValidationError({"status": _("Velg en gyldig status.")})
    now = timezone.now()
    changes: dict[str, Any] = {"status": status, "version": F("version") + 1, "updated_at": now}
    if status == Interest.Status.CONTACTED and interest.contacted_at is None:
        changes["contacted_at"] = now
    if status != Interest.Status.PLACED:
        changes["group"] = None
    updated = Interest.objects.filter(pk=interest.pk, version=version).update(**changes)
    if not updated:
        raise StaleVersionError(
            _(
                "Noen andre har endret denne interessemeldingen mens du hadde den oppe. "
                "Vi har ikke lagret endringen din. Se over det som står nå, og prøv igjen."
            ),
            code="stale",
        )
    interest_audit(
        actor=actor, action=AuditEntry.Action.UPDATE, interest=interest, detail=f"status={status}"
    )
    interest.refresh_from_db()
    demand_check(contact_point=interest.contact_point)
    return interest


@transaction.atomic
def interest_note_add(*, interest: Interest, author: User, text: str) -> None:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Skriv et kort notat.")})
    note = interest.notes.create(author=author, text=text[:500])
    # A note is a change: it restarts the retention clock.
    Interest.objects.filter(pk=interest.pk).update(updated_at=timezone.now())
    interest_audit(
        actor=author, action=AuditEntry.Action.UPDATE, interest=interest, detail=f"note={note.pk}"
    )
