"""The contact point workspace: interest lists, demand notices, planning a group, and the
privacy duties (export, erasure, retention). Keyword-only service functions; views stay thin.

Every read or change of a person's interest writes an audit row with ids only, never the
person's details.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint, Facilitator
from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import (
    DemandNotice,
    Group,
    GroupEvent,
    Interest,
    InterestNote,
    InterestTally,
    Topic,
)
from groups.workflow import check_group_municipality
from selvhjelp import emails
from selvhjelp.audit import audit_log
from selvhjelp.models import AuditEntry, DistrictOffice, Municipality, OutgoingEmail, User

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = Interest.ACTIVE_STATUSES
HAND_CHANNELS = (Interest.Channel.PHONE, Interest.Channel.IN_PERSON, Interest.Channel.EVENT)
# Outbox rows that carry a person's email address (not staff addresses).
PERSONAL_EMAIL_KINDS = ("interest-receipt", "workspace-group-starts")


class StaleVersionError(ValidationError):
    """Someone else saved the interest after this form was opened."""


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


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


# Interests -----------------------------------------------------------------------------------


def interests_for(owner: Owner) -> QuerySet[Interest]:
    """A contact point's interest list, or a district office's (routed to it because no
    contact point serves the place)."""
    return Interest.objects.at(owner)


def interest_add_by_hand(
    *,
    contact_point: ContactPoint,
    recorded_by: User,
    topic: Topic,
    municipality: Municipality,
    name: str,
    consent_channel: str,
    email: str = "",
    phone: str = "",
    preferred_format: str = "",
    note: str = "",
) -> Interest:
    """Someone phoned, walked in or spoke to staff at an event and gave consent orally. The
    staff member who heard it is recorded, with the time and the consent text version."""
    from groups.services import interest_register  # services imports this module

    if consent_channel not in HAND_CHANNELS:
        raise ValidationError({"consent_channel": _("Velg hvordan samtykket ble gitt.")})
    with transaction.atomic():
        interest = interest_register(
            topic=topic,
            municipality=municipality,
            name=name,
            email=email,
            phone=phone,
            preferred_format=preferred_format,
            note=note,
            consent_text_version=CURRENT_CONSENT_VERSION,
            consent_channel=consent_channel,
            consent_given_at=timezone.now(),
            consent_recorded_by=recorded_by,
            contact_point=contact_point,
        )
        interest_audit(
            actor=recorded_by,
            action=AuditEntry.Action.CREATE,
            interest=interest,
            detail=f"channel={consent_channel}",
        )
    return interest


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


# Demand --------------------------------------------------------------------------------------


def demand_counts(contact_point: ContactPoint) -> dict[int, int]:
    """Active interests per topic id, within the municipalities the contact point covers."""
    rows = (
        interests_for(contact_point)
        .filter(status__in=ACTIVE_STATUSES, municipality__in=municipality_ids(contact_point))
        .values("topic")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["topic"]: row["n"] for row in rows}


def demand_check(*, contact_point: ContactPoint | None) -> int:
    """Open a notice (and email the staff and the district office once) for every topic that
    reached DEMAND_THRESHOLD; close notices whose demand fell below it, so a later rise
    notifies again. Safe to run twice or at the same time: one open notice per contact point
    and topic is a database constraint. Returns the number of notices opened."""
    if contact_point is None:
        return 0
    threshold = settings.DEMAND_THRESHOLD
    counts = demand_counts(contact_point)
    now = timezone.now()
    open_notices = {
        notice.topic_id: notice
        for notice in DemandNotice.objects.filter(contact_point=contact_point, closed_at=None)
    }
    for topic_id, notice in open_notices.items():
        count = counts.get(topic_id, 0)
        if count < threshold:
            DemandNotice.objects.filter(pk=notice.pk, closed_at=None).update(closed_at=now)
        elif count != notice.active_interests:
            DemandNotice.objects.filter(pk=notice.pk).update(active_interests=count)

    opened = 0
    for topic_id, count in counts.items():
        if count < threshold or topic_id in open_notices:
            continue
        try:
            with transaction.atomic():
                notice = DemandNotice.objects.create(
                    contact_point=contact_point, topic_id=topic_id, active_interests=count
                )
                _queue_demand_notice(notice)
        except IntegrityError:
            # Another request opened it a moment ago; that one sends the email.
            continue
        opened += 1
    return opened


def demand_staff_emails(contact_point: ContactPoint) -> list[str]:
    office_id = contact_point.municipality.county.district_office_id
    users = User.objects.filter(is_active=True).filter(
        Q(contact_point_memberships__contact_point=contact_point)
        | Q(district_office_memberships__district_office_id=office_id)
    )
    addresses = set(users.values_list("email", flat=True))
    if not addresses and contact_point.email:
        addresses = {contact_point.email}
    return sorted(addresses)


def _queue_demand_notice(notice: DemandNotice) -> None:
    contact_point = notice.contact_point
    list_url = _site_url(
        reverse("workspace:interest-list", kwargs={"slug": contact_point.slug})
        + f"?tema={notice.topic_id}&status=aktiv"
    )
    context = {
        "contact_point": contact_point.name,
        "topic": notice.topic.name,
        "count": notice.active_interests,
        "list_url": list_url,
    }
    # The district office sees counts, not people: its staff get the workspace overview.
    office_only = set(
        User.objects.filter(
            is_active=True,
            district_office_memberships__district_office_id=(
                contact_point.municipality.county.district_office_id
            ),
        )
        .exclude(contact_point_memberships__contact_point=contact_point)
        .values_list("email", flat=True)
    )
    overview_url = _site_url(reverse("workspace:home", kwargs={"slug": contact_point.slug}))
    for address in demand_staff_emails(contact_point):
        url = overview_url if address in office_only else list_url
        emails.queue(to=address, name="workspace-demand", context={**context, "list_url": url})
    logger.info("demand: notice %s opened", notice.pk)


def demand_check_all() -> int:
    """The daily job: every contact point with active interests or an open notice."""
    with_interest = Interest.objects.filter(status__in=ACTIVE_STATUSES).values("contact_point")
    with_notice = DemandNotice.objects.filter(closed_at=None).values("contact_point")
    contact_points = ContactPoint.objects.filter(
        Q(pk__in=with_interest) | Q(pk__in=with_notice)
    ).select_related("municipality__county")
    return sum(demand_check(contact_point=cp) for cp in contact_points)


# Planning a group ----------------------------------------------------------------------------


def _unique_group_slug(name: str) -> str:
    base = slugify(name)[:150] or "gruppe"
    slug, n = base, 2
    while Group.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def group_plan(
    *,
    contact_point: ContactPoint,
    actor: User,
    name: str,
    topics: list[Topic],
    interests: list[Interest] = (),
    facilitators: list[Facilitator] = (),
    **fields: Any,
) -> Group:
    """A draft group (not published; the district office approves it later), with the chosen
    people placed in it and the chosen facilitators of this contact point."""
    check_group_municipality(contact_point, fields.get("municipality"))
    foreign = [f for f in facilitators if not f.contact_points.filter(pk=contact_point.pk).exists()]
    if foreign:
        raise ValidationError({"facilitators": _("Velg igangsettere fra dette kontaktpunktet.")})
    group = Group(
        name=name,
        slug=_unique_group_slug(name),
        contact_point=contact_point,
        status=Group.Status.PLANNED,
        approval_status=Group.Approval.DRAFT,
        is_published=False,
        **fields,
    )
    group.full_clean()
    group.save()
    group.topics.set(topics)
    group.facilitators.set(facilitators)

    ids = [interest.pk for interest in interests]
    # Lock the rows so a concurrent status change cannot slip in between.
    placeable = list(
        interests_for(contact_point)
        .select_for_update()
        .filter(pk__in=ids, status__in=ACTIVE_STATUSES)
        .values_list("pk", flat=True)
    )
    if len(placeable) != len(ids):
        raise ValidationError(
            {"interests": _("Noen av de valgte personene er allerede plassert eller trukket.")}
        )
    Interest.objects.filter(pk__in=placeable).update(
        group=group,
        status=Interest.Status.PLACED,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.CREATED, actor=actor, changes={"placed": len(placeable)}
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="group",
        object_id=group.pk,
        contact_point_id=contact_point.pk,
        detail=f"placed={len(placeable)}",
    )
    demand_check(contact_point=contact_point)
    return group


def group_starts_recipients(group: Group) -> list[Interest]:
    return list(
        group.interests.filter(status=Interest.Status.PLACED).exclude(email="").order_by("pk")
    )


def group_starts_context(group: Group) -> dict[str, Any]:
    return {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "contact_point_phone": group.contact_point.phone,
        "contact_point_email": group.contact_point.email,
        "starts_on": group.starts_on,
        "weekday": group.get_weekday_display() if group.weekday else "",
        "start_time": group.start_time,
        "frequency": group.get_frequency_display(),
        "format": group.get_format_display(),
        "venue_address": group.venue_address,
        "public_area": group.public_area,
    }


def group_starts_email_allowed(group: Group) -> bool:
    """Only once the district office has approved the group: the email tells people where it
    meets, and before approval the time and place may still change or the group be refused."""
    return group.approval_status == Group.Approval.APPROVED


def group_starts_email_refusal() -> str:
    return _(
        "Oppstartsmeldingen kan sendes når distriktskontoret har godkjent gruppen, "
        "fordi den forteller hvor gruppen møtes."
    )


@transaction.atomic
def group_starts_email_send(*, group: Group, actor: User, send_again: bool = False) -> int:
    """Queue "the group starts" to every placed person with an email. Sending a second time
    must be asked for explicitly. Returns the number of emails queued."""
    group = Group.objects.select_for_update().select_related("contact_point").get(pk=group.pk)
    if not group_starts_email_allowed(group):
        raise ValidationError(group_starts_email_refusal(), code="not_approved")
    already_sent = group.events.filter(kind=GroupEvent.Kind.STARTS_EMAIL_SENT).exists()
    if already_sent and not send_again:
        raise ValidationError(
            _("Oppstartsmeldingen er allerede sendt. Kryss av hvis du vil sende den på nytt."),
            code="already_sent",
        )
    recipients = group_starts_recipients(group)
    if not recipients:
        raise ValidationError(
            _("Ingen i gruppen har oppgitt e-post. Ring dem i stedet."), code="nobody"
        )
    context = group_starts_context(group)
    for interest in recipients:
        emails.queue(to=interest.email, name="workspace-group-starts", context=context)
    GroupEvent.objects.create(
        group=group,
        kind=GroupEvent.Kind.STARTS_EMAIL_SENT,
        actor=actor,
        changes={"recipients": len(recipients)},
    )
    return len(recipients)


# Privacy: export, erasure, retention ---------------------------------------------------------


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
    rows = interests_for(owner).filter(query).select_related("topic", "municipality", "group")
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
