"""Who may enter a contact point's workspace.

Staff of the contact point, staff of the district office whose counties hold its municipality,
and national admins. Everyone else gets 404, so the page does not reveal that it exists.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contactpoints.models import ContactPoint, Facilitator
from selvhjelp.models import County, Municipality


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


def user_sees_people(user, contact_point: ContactPoint) -> bool:
    """Names and contact details on a contact point's interest list are for its own staff and
    national admins. District office staff see counts, not people (DESIGN.md, privacy)."""
    if not user.is_authenticated:
        return False
    return user.is_national_admin or contact_point.memberships.filter(user=user).exists()


def get_contact_point_for_people(request: HttpRequest, slug: str) -> ContactPoint:
    """The contact point `slug` for a page with people's names or contact details: 404 for
    anyone but its staff and national admins (the district office included: it sees counts)."""
    contact_point = get_contact_point_for_user(request, slug)
    if not user_sees_people(request.user, contact_point):
        raise Http404
    return contact_point


def get_facilitator_for_contact_point(contact_point: ContactPoint, pk: int) -> Facilitator:
    """A facilitator linked to this contact point; facilitators of other places are 404."""
    return get_object_or_404(Facilitator.objects.filter(contact_points=contact_point), pk=pk)


def municipality_ids(contact_point: ContactPoint) -> set[str]:
    """The municipalities a contact point covers: those it serves and its own."""
    served = set(contact_point.municipalities_served.values_list("number", flat=True))
    return served | {contact_point.municipality_id}


def office_county_numbers(municipality: Municipality) -> set[str]:
    """The counties of the district office that covers `municipality` (the office that approves
    or creates a contact point there); only its own county when no office covers it."""
    county = municipality.county_id
    office_counties = County.objects.filter(
        district_office__isnull=False, district_office__counties__number=county
    ).values_list("number", flat=True)
    return set(office_counties) | {county}


def check_served_municipalities(
    municipality: Municipality, served: list[Municipality], *, field: str = "municipalities"
) -> None:
    """Refuse served municipalities outside the counties of the contact point's district office:
    interests from there would be routed to it, out of that office's region."""
    allowed = office_county_numbers(municipality)
    outside = sorted(m.name for m in served if m.county_id not in allowed)
    if outside:
        raise ValidationError(
            {
                field: _(
                    "Et kontaktpunkt kan bare dekke kommuner i fylkene til sitt distriktskontor. "
                    "Disse ligger utenfor: %(names)s."
                )
                % {"names": ", ".join(outside)}
            },
            code="outside_office",
        )


def user_may_decide_application(user, application) -> bool:
    """National admins everywhere; district office staff for applications from their counties."""
    if not user.is_authenticated:
        return False
    if user.is_national_admin:
        return True
    return application.postal_code.municipality.county_id in user.county_numbers
