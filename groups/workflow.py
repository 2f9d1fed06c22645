"""Group approval and life cycle services, and their daily jobs.

Every service locks the group row (select_for_update) before it checks the state it acts on,
so two people deciding at once cannot both win, and a decision on a group that has moved on
is refused with a clear message (a ValidationError) and changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint
from groups.models import Group, GroupEvent
from selvhjelp import emails
from selvhjelp.cache import bump_public_data_version
from selvhjelp.models import DistrictOffice, User

logger = logging.getLogger(__name__)

_CONFIRM_SALT = "groups.group.confirm"

# Fields a published group's staff may change without a new approval.
LIVE_EDIT_FIELDS = (
    "description",
    "weekday",
    "start_time",
    "frequency",
    "starts_on",
    "venue_address",
)


# Where a group belongs -----------------------------------------------------------------------


def group_county_id(group: Group) -> str | None:
    """The county a group belongs to: its municipality's, or (digital groups without one) the
    contact point's."""
    municipality = group.municipality or group.contact_point.municipality
    return municipality.county_id if municipality else None


def group_district_office(group: Group) -> DistrictOffice | None:
    county_id = group_county_id(group)
    if county_id is None:
        return None
    return DistrictOffice.objects.filter(counties__number=county_id).first()


def check_group_municipality(contact_point: ContactPoint, municipality) -> None:
    """A group meets in a municipality its contact point covers: elsewhere it would leave the
    reach of the district office that approves it (and of its interest list)."""
    if municipality is not None and municipality.pk not in municipality_ids(contact_point):
        raise ValidationError(
            {"municipality": _("Velg en av kommunene kontaktpunktet dekker.")},
            code="outside_contact_point",
        )


def groups_in_counties(county_numbers) -> QuerySet[Group]:
    """Groups whose municipality (or, without one, whose contact point) lies in the counties."""
    return Group.objects.in_counties(county_numbers)


def needs_attention(groups: QuerySet[Group]) -> QuerySet[Group]:
    """Published groups that are hidden as stale or wait for their confirmation."""
    return groups.needs_attention()


def user_may_decide(user, group: Group) -> bool:
    """National admins everywhere; district office staff for groups in their counties."""
    if not user.is_authenticated:
        return False
    if user.is_national_admin:
        return True
    return group_county_id(group) in user.county_numbers


def user_may_edit(user, group: Group) -> bool:
    """National admins and staff of the group's contact point."""
    return user_may_edit_groups_of(user, group.contact_point)


def user_may_edit_groups_of(user, contact_point: ContactPoint) -> bool:
    """National admins and the contact point's own staff (its district office only looks)."""
    if not user.is_authenticated:
        return False
    if user.is_national_admin:
        return True
    return contact_point.memberships.filter(user=user).exists()


# What approval needs -------------------------------------------------------------------------


def group_missing_fields(group: Group) -> list[str]:
    """What a group lacks before the district office can decide, in words for people."""
    missing = []
    if not group.name.strip():
        missing.append(_("navn"))
    if not group.description.strip():
        missing.append(_("beskrivelse"))
    if not group.pk or not group.topics.exists():
        missing.append(_("tema"))
    if not group.format:
        missing.append(_("form (fysisk, digital eller hybrid)"))
    if not ((group.weekday and group.start_time) or group.starts_on):
        missing.append(_("tidspunkt (ukedag og klokkeslett, eller oppstartsdato)"))
    if not group.is_digital and not (group.municipality_id and group.public_area.strip()):
        missing.append(_("kommune og område (eller velg digital gruppe)"))
    if not group.pk or not group.facilitators.exists():
        missing.append(_("minst én igangsetter"))
    return missing


# Approval ------------------------------------------------------------------------------------


def _locked(group: Group) -> Group:
    return Group.objects.select_for_update().select_related("contact_point").get(pk=group.pk)


def _refuse_unless(group: Group, *states: str) -> None:
    if group.approval_status in states:
        return
    messages = {
        Group.Approval.APPROVED: _("Gruppen er allerede godkjent. Ingenting ble endret."),
        Group.Approval.REJECTED: _("Gruppen er avslått. Ingenting ble endret."),
        Group.Approval.SUBMITTED: _(
            "Gruppen er allerede sendt til godkjenning. Ingenting ble endret."
        ),
        Group.Approval.SENT_BACK: _(
            "Gruppen er sendt tilbake til kontaktpunktet og venter på endringer. "
            "Ingenting ble endret."
        ),
        Group.Approval.DRAFT: _(
            "Gruppen er ikke sendt til godkjenning ennå. Ingenting ble endret."
        ),
    }
    raise ValidationError(messages[group.approval_status], code="wrong_state")


def _require_comment(comment: str, message: str) -> str:
    comment = comment.strip()
    if not comment:
        raise ValidationError(message, code="comment_required")
    return comment


@transaction.atomic
def group_submit(*, group: Group, actor: User) -> Group:
    group = _locked(group)
    _refuse_unless(group, Group.Approval.DRAFT, Group.Approval.SENT_BACK)
    missing = group_missing_fields(group)
    if missing:
        raise ValidationError(
            _("Gruppen mangler dette før den kan sendes: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="incomplete",
        )
    group.approval_status = Group.Approval.SUBMITTED
    group.save(update_fields=["approval_status", "updated_at"])
    GroupEvent.objects.create(group=group, kind=GroupEvent.Kind.SUBMITTED, actor=actor)
    _notify_district_office(group)
    return group


@transaction.atomic
def group_approve(*, group: Group, actor: User, comment: str = "") -> Group:
    group = _locked(group)
    _refuse_unless(group, Group.Approval.SUBMITTED)
    group.approval_status = Group.Approval.APPROVED
    group.is_published = True
    group.last_confirmed_on = timezone.localdate()
    group.confirmation_requested_at = None
    group.stale_since = None
    group.save()
    event = GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.APPROVED, actor=actor, comment=comment.strip()
    )
    _notify_contact_point(group, "group-approved", event)
    return group


@transaction.atomic
def group_send_back(*, group: Group, actor: User, comment: str) -> Group:
    comment = _require_comment(
        comment, _("Skriv hva kontaktpunktet bør endre, så de vet hva de skal gjøre.")
    )
    group = _locked(group)
    _refuse_unless(group, Group.Approval.SUBMITTED)
    group.approval_status = Group.Approval.SENT_BACK
    group.save(update_fields=["approval_status", "updated_at"])
    event = GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.SENT_BACK, actor=actor, comment=comment
    )
    _notify_contact_point(group, "group-sent-back", event)
    return group


@transaction.atomic
def group_reject(*, group: Group, actor: User, comment: str) -> Group:
    comment = _require_comment(
        comment, _("Skriv en begrunnelse, så kontaktpunktet forstår avgjørelsen.")
    )
    group = _locked(group)
    _refuse_unless(group, Group.Approval.SUBMITTED)
    group.approval_status = Group.Approval.REJECTED
    group.is_published = False
    group.save(update_fields=["approval_status", "is_published", "updated_at"])
    event = GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.REJECTED, actor=actor, comment=comment
    )
    _notify_contact_point(group, "group-rejected", event)
    return group


# Keeping groups current ----------------------------------------------------------------------


def _display(group: Group, field: str) -> str:
    value = getattr(group, field)
    if value is None or value == "":
        return ""
    if hasattr(group, f"get_{field}_display"):
        return str(getattr(group, f"get_{field}_display")())
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@transaction.atomic
def group_set_status(
    *, group: Group, actor: User, status: str, open_for_new_members: bool
) -> Group:
    """Full, open for new members, paused or ended; logged with what changed."""
    if status not in Group.Status.values:
        raise ValidationError(_("Velg en status fra listen."), code="bad_status")
    group = _locked(group)
    if group.approval_status == Group.Approval.REJECTED:
        raise ValidationError(_("Gruppen er avslått. Ingenting ble endret."), code="wrong_state")
    before = {f: _display(group, f) for f in ("status", "open_for_new_members")}
    group.status = status
    group.open_for_new_members = open_for_new_members
    after = {f: _display(group, f) for f in ("status", "open_for_new_members")}
    changes = {f: [before[f], after[f]] for f in before if before[f] != after[f]}
    if not changes:
        return group
    group.save(update_fields=["status", "open_for_new_members", "updated_at"])
    GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.STATUS_CHANGED, actor=actor, changes=changes
    )
    return group


def editable_fields(group: Group) -> tuple[str, ...] | None:
    """Which fields staff may change now: everything on a draft or a group sent back, the
    schedule and description on an approved group, nothing while the office decides."""
    if group.approval_status in (Group.Approval.DRAFT, Group.Approval.SENT_BACK):
        return None  # all of them
    if group.approval_status == Group.Approval.APPROVED:
        return LIVE_EDIT_FIELDS
    return ()


@transaction.atomic
def group_update(*, group: Group, actor: User, data: dict) -> Group:
    """Change a group's fields (many-to-many ones too) and log what changed."""
    group = _locked(group)
    allowed = editable_fields(group)
    if allowed == ():
        raise ValidationError(
            _("Gruppen kan ikke endres mens distriktskontoret vurderer den, eller etter avslag."),
            code="wrong_state",
        )
    if allowed is not None:
        data = {k: v for k, v in data.items() if k in allowed}
    changes: dict[str, list[str]] = {}
    m2m = {}
    for field, value in data.items():
        if field in ("topics", "facilitators"):
            old = sorted(str(o) for o in getattr(group, field).all())
            new = sorted(str(o) for o in value)
            if old != new:
                changes[field] = [", ".join(old), ", ".join(new)]
                m2m[field] = value
            continue
        old = _display(group, field)
        setattr(group, field, value)
        new = _display(group, field)
        if old != new:
            changes[field] = [old, new]
    if not changes:
        return group
    if "municipality" in changes:
        check_group_municipality(group.contact_point, group.municipality)
        group.latitude = group.longitude = None  # follow the new municipality
    group.full_clean(exclude=["slug", "topics", "facilitators"])
    group.save()
    for field, value in m2m.items():
        getattr(group, field).set(value)
    GroupEvent.objects.create(
        group=group, kind=GroupEvent.Kind.EDITED, actor=actor, changes=changes
    )
    return group


# Confirmation --------------------------------------------------------------------------------


def group_confirmation_token(group: Group) -> str:
    """A signed link token for the group's current confirmation request. A new request, or the
    confirmation itself, clears the timestamp it carries, so older links stop working."""
    return signing.dumps(
        {"g": group.pk, "r": group.confirmation_requested_at.isoformat()}, salt=_CONFIRM_SALT
    )


def group_from_confirmation_token(token: str) -> tuple[Group, datetime] | None:
    """The group and request time a confirm link is for, or None when the link is tampered
    with, expired, or no longer matches a pending request."""
    max_age = timedelta(days=settings.GROUP_CONFIRMATION_INTERVAL_DAYS)
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=max_age)
        requested_at = datetime.fromisoformat(payload["r"])
        group_id = int(payload["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    group = (
        Group.objects.filter(pk=group_id, confirmation_requested_at=requested_at)
        .exclude(status=Group.Status.ENDED)
        .select_related("contact_point")
        .first()
    )
    return (group, requested_at) if group else None


@transaction.atomic
def group_confirm(*, group: Group, actor: User | None = None, requested_at=None) -> bool:
    """The group is still current. From a link, only while that link's request is pending
    (a conditional update, so a link used twice confirms once). Staff may confirm any time."""
    matching = Group.objects.filter(pk=group.pk)
    if requested_at is not None:
        matching = matching.filter(confirmation_requested_at=requested_at)
    updated = matching.update(
        confirmation_requested_at=None,
        stale_since=None,
        last_confirmed_on=timezone.localdate(),
        updated_at=timezone.now(),
    )
    if not updated:
        return False
    bump_public_data_version()  # a hidden group may be public again
    GroupEvent.objects.create(group=group, kind=GroupEvent.Kind.CONFIRMED, actor=actor)
    return True


def group_confirmation_reminders() -> int:
    """Ask each contact point, in one email, to confirm its published groups that were last
    confirmed an interval ago. Returns the number of groups asked about; a second run the same
    day finds them claimed and sends nothing."""
    due_on = timezone.localdate() - timedelta(days=settings.GROUP_CONFIRMATION_INTERVAL_DAYS)
    due = (
        Group.objects.filter(
            is_published=True,
            confirmation_requested_at__isnull=True,
            stale_since__isnull=True,
            last_confirmed_on__lte=due_on,
        )
        .exclude(status=Group.Status.ENDED)
        .values_list("contact_point_id", "pk")
    )
    by_contact_point: dict[int, list[int]] = {}
    for contact_point_id, pk in due:
        by_contact_point.setdefault(contact_point_id, []).append(pk)
    return sum(
        _remind_contact_point(contact_point_id, pks)
        for contact_point_id, pks in sorted(by_contact_point.items())
    )


@transaction.atomic
def _remind_contact_point(contact_point_id: int, pks: list[int]) -> int:
    """One digest for one contact point's due groups, each with its own confirm link."""
    # Lock and claim the rows: a run at the same time skips them, and a later run finds
    # confirmation_requested_at set, so no group is asked about twice.
    groups = list(
        Group.objects.select_for_update(skip_locked=True)
        .filter(pk__in=pks, confirmation_requested_at__isnull=True)
        .order_by("name", "pk")
    )
    if not groups:
        return 0
    now = timezone.now()
    Group.objects.filter(pk__in=[group.pk for group in groups]).update(
        confirmation_requested_at=now
    )
    GroupEvent.objects.bulk_create(
        GroupEvent(group=group, kind=GroupEvent.Kind.REMINDER_SENT) for group in groups
    )
    contact_point = ContactPoint.objects.get(pk=contact_point_id)
    rows = []
    for group in groups:
        group.confirmation_requested_at = now
        token = group_confirmation_token(group)
        rows.append(
            {
                "name": group.name,
                "last_confirmed_on": group.last_confirmed_on,
                "confirm_url": settings.SITE_URL
                + reverse("groups:group-confirm", kwargs={"token": token}),
                "workspace_url": _workspace_url(group),
            }
        )
    context = {
        "contact_point": contact_point.name,
        "groups": rows,
        "grace_days": settings.GROUP_CONFIRMATION_GRACE_DAYS,
        "groups_url": settings.SITE_URL
        + reverse("workspace:group-list", kwargs={"slug": contact_point.slug}),
    }
    for to in _staff_addresses(contact_point):
        emails.queue(to=to, name="group-confirm-reminder", context=context)
    return len(groups)


def group_hide_stale() -> int:
    """Hide published groups whose confirmation request went unanswered for the grace days."""
    cutoff = timezone.now() - timedelta(days=settings.GROUP_CONFIRMATION_GRACE_DAYS)
    hidden = 0
    with transaction.atomic():
        stale = list(
            Group.objects.select_for_update(skip_locked=True)
            .filter(
                is_published=True,
                stale_since__isnull=True,
                confirmation_requested_at__lte=cutoff,
            )
            .exclude(status=Group.Status.ENDED)
        )
        now = timezone.now()
        for group in stale:
            Group.objects.filter(pk=group.pk, stale_since__isnull=True).update(stale_since=now)
            GroupEvent.objects.create(group=group, kind=GroupEvent.Kind.HIDDEN_STALE)
            hidden += 1
    if hidden:
        bump_public_data_version()  # hidden groups leave the cached search pages
    return hidden


# Emails --------------------------------------------------------------------------------------


def _workspace_url(group: Group) -> str:
    return emails.absolute_url(group.get_workspace_url())


def _staff_addresses(place: ContactPoint | DistrictOffice | None) -> list[str]:
    """A contact point's or district office's active staff, or its own address when it has no
    staff accounts."""
    if place is None:
        return []
    staff = list(
        place.memberships.filter(user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return staff or ([place.email] if place.email else [])


def _notify_district_office(group: Group) -> None:
    addresses = _staff_addresses(group_district_office(group))
    if not addresses:
        logger.warning("group %s submitted, but no district office address to notify", group.pk)
    context = {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "review_url": settings.SITE_URL + reverse("district:group-review", kwargs={"pk": group.pk}),
    }
    for to in addresses:
        emails.queue(to=to, name="group-submitted", context=context)


def _notify_contact_point(group: Group, name: str, event: GroupEvent) -> None:
    context = {
        "group_name": group.name,
        "contact_point": group.contact_point.name,
        "comment": event.comment,
        "workspace_url": _workspace_url(group),
    }
    for to in _staff_addresses(group.contact_point):
        emails.queue(to=to, name=name, context=context)
