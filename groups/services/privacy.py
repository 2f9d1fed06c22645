"""A person's rights over their interests: search, export (innsyn), erasure, and the retention
job. Erasure and retention keep only anonymous tallies."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from contactpoints.models import ContactPoint
from groups.models import (
    Interest,
    InterestNote,
    InterestTally,
)
from groups.services.demand import demand_check
from groups.services.interests import Owner, interest_audit, owner_audit_list
from selvhjelp.models import AuditEntry, OutgoingEmail, User

logger = logging.getLogger(__name__)


# Outbox rows that carry a person's email address (not staff addresses).
PERSONAL_EMAIL_KINDS = ("interest-receipt", "workspace-group-starts")


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    # +47 912 34 567 and 91234567 are the same number.
    return digits[2:] if digits.startswith("47") and len(digits) == 10 else digits


def interests_matching(*, owner: Owner, email: str = "", phone: str = "") -> list[Interest]:
    """Interests on this list with this email (any case) or this phone number (digits
    compared, so "+47 912 34 567" finds "91234567")."""
    email, wanted = email.strip().lower(), _digits(phone)
    if not email and not wanted:
        return []
    query = Q(email__iexact=email) if email else Q(pk__in=[])
    if wanted:
        query |= ~Q(phone="")
    rows = Interest.objects.at(owner).filter(query).select_related("topic", "municipality", "group")
    return [
        row
        for row in rows.order_by("-created_at", "-pk")
        if (email and row.email.lower() == email) or (wanted and _digits(row.phone) == wanted)
    ]


def person_interests(*, owner: Owner, interest: Interest) -> list[Interest]:
    """Every interest on this list with the same email or phone as `interest`."""
    rows = interests_matching(owner=owner, email=interest.email, phone=interest.phone)
    return rows if any(row.pk == interest.pk for row in rows) else [interest, *rows]


def person_search(*, owner: Owner, actor: User, email: str = "", phone: str = "") -> list[Interest]:
    """Find a person's interests for an access or erasure request. The search terms come in a
    POST and are never logged; the audit row holds the number of matches only."""
    rows = interests_matching(owner=owner, email=email, phone=phone)
    owner_audit_list(actor=actor, owner=owner, detail=f"person-search matches={len(rows)}")
    return rows


def interest_export(*, owner: Owner, actor: User, interest: Interest) -> dict:
    """Everything stored about the person on this list (GDPR Art. 15 and 20)."""
    rows = person_interests(owner=owner, interest=interest)
    notes: dict[int, list] = {}
    for note in InterestNote.objects.filter(interest__in=rows).order_by("created_at"):
        notes.setdefault(note.interest_id, []).append(
            {"text": note.text, "created_at": note.created_at.isoformat()}
        )
    data = {
        "contact_point": owner.name,
        "exported_at": timezone.now().isoformat(),
        "interests": [
            {
                "id": str(row.public_id),
                "name": row.name,
                "email": row.email,
                "phone": row.phone,
                "topic": row.topic.name,
                "municipality": row.municipality.name,
                "preferred_format": row.preferred_format,
                "note": row.note,
                "status": row.status,
                "group": row.group.name if row.group_id else None,
                "contacted_at": row.contacted_at.isoformat() if row.contacted_at else None,
                "consent_text_version": row.consent_text_version,
                "consent_given_at": row.consent_given_at.isoformat(),
                "consent_channel": row.consent_channel,
                "created_at": row.created_at.isoformat(),
                "updated_at": row.updated_at.isoformat(),
                "staff_notes": notes.get(row.pk, []),
            }
            for row in rows
        ],
    }
    interest_audit(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        interest=interest,
        detail=f"interests={len(rows)}",
    )
    return data


def _tally(rows: QuerySet[Interest], reason: str) -> None:
    """Add anonymous counts by month (of registration), topic and municipality."""
    grouped = (
        rows.annotate(month=TruncMonth("created_at"))
        .values("month", "topic", "municipality")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        tally, _created = InterestTally.objects.select_for_update().get_or_create(
            month=month,
            topic_id=row["topic"],
            municipality_id=row["municipality"],
            reason=reason,
        )
        InterestTally.objects.filter(pk=tally.pk).update(count=F("count") + row["n"])


def _finished_personal_emails() -> QuerySet[OutgoingEmail]:
    """Outbox rows addressed to people. Pending rows are left to go out: they may be a receipt
    the person is waiting for."""
    return OutgoingEmail.objects.filter(kind__in=PERSONAL_EMAIL_KINDS).exclude(
        status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING]
    )


def _delete_personal_outbox(addresses: set[str]) -> None:
    if not addresses:
        return
    query = Q()
    for address in addresses:
        query |= Q(to__iexact=address)
    _finished_personal_emails().filter(query).delete()


@transaction.atomic
def interests_delete(*, interests: QuerySet[Interest], reason: str) -> int:
    """The one way an interest is deleted (withdrawal, erasure, retention): leave anonymous
    counts, delete the row with its notes, delete the emails sent to the person, and recheck
    demand where the list got shorter. Returns the number of interests deleted."""
    rows = list(
        interests.select_for_update(of=("self",)).values_list("pk", "email", "contact_point")
    )
    if not rows:
        return 0
    queryset = Interest.objects.filter(pk__in=[pk for pk, _email, _cp in rows])
    _tally(queryset, reason)
    queryset.delete()
    _delete_personal_outbox({email for _pk, email, _cp in rows if email})
    for contact_point in ContactPoint.objects.filter(pk__in={cp for _pk, _e, cp in rows if cp}):
        demand_check(contact_point=contact_point)
    return len(rows)


@transaction.atomic
def interest_erase(*, owner: Owner, actor: User, interest: Interest) -> int:
    """Erase the person's interests on this list (GDPR Art. 17), their notes and the emails
    sent to them; keep only anonymous counts. Returns the number of interests erased."""
    rows = person_interests(owner=owner, interest=interest)
    erased = interests_delete(
        interests=Interest.objects.filter(pk__in=[row.pk for row in rows]),
        reason=InterestTally.Reason.ERASED,
    )
    interest_audit(
        actor=actor,
        action=AuditEntry.Action.ERASE,
        interest=interest,
        detail=f"interests={erased}",
    )
    return erased


def expired_interests(now: datetime | None = None) -> QuerySet[Interest]:
    """Entries past their retention period. An entry is kept while it is being worked on: it
    goes a set time after its last change, or a shorter time after *this person* was placed
    in a group that has started. Registering for a group that started long ago is neither
    (the entry is new and not placed), so it stays on the list."""
    now = now or timezone.now()
    last_change = now - timedelta(days=settings.INTEREST_RETENTION_DAYS)
    after_start = timedelta(days=settings.INTEREST_RETENTION_AFTER_GROUP_START_DAYS)
    # Placing sets updated_at, so "placed before the cut-off" is updated_at before it.
    placed_and_started = Q(
        status=Interest.Status.PLACED,
        group__starts_on__lte=timezone.localdate(now) - after_start,
        updated_at__lt=now - after_start,
    )
    return Interest.objects.filter(Q(updated_at__lt=last_change) | placed_and_started)


@transaction.atomic
def retention_run(now: datetime | None = None) -> dict[str, int]:
    """Delete interest entries past their retention period, leaving anonymous counts, and the
    sent emails addressed to people that are older than the same period. Safe to run twice:
    a second run finds nothing left to delete."""
    now = now or timezone.now()
    deleted = interests_delete(
        interests=expired_interests(now), reason=InterestTally.Reason.RETENTION
    )
    outbox_deleted = (
        _finished_personal_emails()
        .filter(created_at__lt=now - timedelta(days=settings.INTEREST_RETENTION_DAYS))
        .delete()[0]
    )
    logger.info("retention: %s interests, %s emails deleted", deleted, outbox_deleted)
    return {"interests": deleted, "emails": outbox_deleted}


# Withdrawing consent: the link in the receipt.


@transaction.atomic
def interest_withdraw(*, interest: Interest) -> None:
    """Withdraw consent: the interest is deleted, not just marked, along the same path as
    erasure and retention (the receipt leaves the outbox, demand is rechecked, and only an
    anonymous count remains)."""
    interest_id = interest.pk
    interests_delete(
        interests=Interest.objects.filter(pk=interest_id), reason=InterestTally.Reason.WITHDRAWN
    )
    logger.info("interest: withdrawn and deleted %s", interest_id)
