"""Who may do what with a group (the healthchecks shape: 404 for someone with no relation to it,
403 for a known role without the right), and where a group belongs.

Single-row read rules live on the models, list rules on the QuerySets; this module holds the
rules that depend on the user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contactpoints.access import municipality_ids
from contactpoints.models import ContactPoint
from groups.models import Group


def check_group_municipality(contact_point: ContactPoint, municipality) -> None:
    """A group meets in a municipality its contact point covers: elsewhere it would leave the
    reach of the district office that approves it (and of its interest list)."""
    if municipality is not None and municipality.pk not in municipality_ids(contact_point):
        raise ValidationError(
            {"municipality": _("Velg en av kommunene kontaktpunktet dekker.")},
            code="outside_contact_point",
        )


def user_may_decide(user, group: Group) -> bool:
    """National admins everywhere; district office staff for groups in their counties."""
    if not user.is_authenticated:
        return False
    if user.is_national_admin:
        return True
    return group.county_number in user.county_numbers


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


def get_group_for_user(
    request: HttpRequest, pk: int, slug: str | None = None
) -> tuple[Group, bool]:
    """The group and whether the user may change it. Staff of its contact point and national
    admins may; district office staff of its counties may look (and decide approvals);
    anyone else gets 404, so nothing leaks. A group under another contact point's address is
    404 for everyone."""
    groups = Group.objects.select_related("contact_point__municipality", "municipality__county")
    if slug is not None:
        groups = groups.filter(contact_point__slug=slug)
    group = get_object_or_404(groups, pk=pk)
    if user_may_edit(request.user, group):
        return group, True
    if user_may_decide(request.user, group):
        return group, False
    raise Http404


def get_group_to_edit(request: HttpRequest, slug: str, pk: int) -> Group:
    group, can_edit = get_group_for_user(request, pk, slug)
    if not can_edit:
        raise PermissionDenied
    return group


def get_group_to_decide(request: HttpRequest, pk: int) -> Group:
    """District office staff of the group's counties and national admins. The group's own
    contact point staff know it exists but may not decide (403); anyone else gets 404."""
    group = get_object_or_404(
        Group.objects.select_related("contact_point__municipality__county", "municipality__county"),
        pk=pk,
    )
    if user_may_decide(request.user, group):
        return group
    if user_may_edit(request.user, group):
        raise PermissionDenied
    raise Http404
