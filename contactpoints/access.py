"""Who may enter a contact point's workspace.

Staff of the contact point, staff of the district office whose counties hold its municipality,
and national admins. Everyone else gets 404, so the page does not reveal that it exists.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from contactpoints.models import ContactPoint, Facilitator


def get_contact_point_for_user(request: HttpRequest, slug: str) -> ContactPoint:
    """The contact point `slug`, if the logged-in user may work with it; else 404."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        ContactPoint.objects.visible_to(request.user).select_related(
            "municipality__county__district_office"
        ),
        slug=slug,
    )


def get_facilitator_for_contact_point(contact_point: ContactPoint, pk: int) -> Facilitator:
    """A facilitator linked to this contact point; facilitators of other places are 404."""
    return get_object_or_404(Facilitator.objects.filter(contact_points=contact_point), pk=pk)


def municipality_ids(contact_point: ContactPoint) -> set[str]:
    """The municipalities a contact point covers: those it serves and its own."""
    served = set(contact_point.municipalities_served.values_list("number", flat=True))
    return served | {contact_point.municipality_id}
