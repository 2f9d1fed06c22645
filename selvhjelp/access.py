"""Who may enter a district office's area (/distriktskontor/<slug>/...).

Its staff and national admins. Everyone else gets 404, so the page does not reveal that the
office exists. Every app's district pages use this one helper.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from selvhjelp.models import DistrictOffice


def get_office_for_user(request: HttpRequest, slug: str) -> tuple[DistrictOffice, list[str]]:
    """The office and its county numbers, for its staff and national admins; 404 otherwise."""
    office = get_object_or_404(DistrictOffice, slug=slug)
    user = request.user
    if not user.is_authenticated or not (
        user.is_national_admin or office.pk in user.district_office_ids
    ):
        raise Http404
    return office, list(office.counties.values_list("number", flat=True))
