"""Who may write newsletters. The national desk (/nyhetsbrev/redaksjon/): national admins; anyone
else gets 404. A district office's desk: its staff and national admins (selvhjelp.access), and
an issue belongs to one desk: another desk's issue is 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from newsletter.models import Issue
from selvhjelp.access import get_office_for_user
from selvhjelp.models import DistrictOffice


def get_desk_for_user(request: HttpRequest, slug: str | None) -> DistrictOffice | None:
    """The office whose desk this is, or None for the national desk; 404 for outsiders."""
    if slug is not None:
        office, _counties = get_office_for_user(request, slug)
        return office
    user = request.user
    if not (user.is_authenticated and user.is_national_admin):
        raise Http404
    return None


def get_issue_for_user(
    request: HttpRequest, pk: int, slug: str | None
) -> tuple[Issue, DistrictOffice | None]:
    office = get_desk_for_user(request, slug)
    issue = get_object_or_404(Issue.objects.visible_to(office=office), pk=pk)
    return issue, office
