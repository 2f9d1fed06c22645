"""Who may work with events where: a contact point's workspace, a district office's area, or
the national office's own events. Outsiders get 404 (nothing leaks)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest
from django.shortcuts import render

from contactpoints.access import get_contact_point_for_user
from contactpoints.models import ContactPoint
from events.models import Event
from selvhjelp.access import get_office_for_user
from selvhjelp.models import County, DistrictOffice, Municipality


@dataclass
class Area:
    """Where staff work with events: a contact point's workspace or a district office's area."""

    prefix: str  # of the URL names: "workspace:", "district:" or "events:national-"
    slug: str
    layout: str
    context: dict
    events: object
    counties: list[str]
    contact_point: ContactPoint | None = None
    office: DistrictOffice | None = None
    sees_people: bool = True

    def new_event(self) -> Event:
        return Event(contact_point=self.contact_point, district_office=self.office)

    def municipalities(self):
        return Municipality.objects.filter(county__in=self.counties)


def _workspace_area(request: HttpRequest, slug: str) -> Area:
    contact_point = get_contact_point_for_user(request, slug)
    user = request.user
    county = contact_point.municipality.county
    # A contact point arranges events in the counties of its district office.
    counties = list(
        County.objects.filter(
            district_office__isnull=False, district_office=county.district_office_id
        ).values_list("number", flat=True)
    ) or [county.number]
    sees_people = user.is_national_admin or contact_point.memberships.filter(user=user).exists()
    return Area(
        prefix="workspace:",
        slug=slug,
        layout="workspace/layout.html",
        context={"contact_point": contact_point},
        events=Event.objects.organised_by_contact_point(contact_point),
        counties=counties,
        contact_point=contact_point,
        sees_people=sees_people,
    )


def _district_area(request: HttpRequest, slug: str) -> Area:
    office, counties = get_office_for_user(request, slug)
    return Area(
        prefix="district:",
        slug=slug,
        layout="district/layout.html",
        context={"office": office},
        events=Event.objects.organised_by_office(office),
        counties=counties,
        office=office,
    )


NATIONAL_SLUG = "nasjonalt"


def _national_area(request: HttpRequest, slug: str) -> Area:
    """Events the national office organises itself: for national admins, 404 for everyone else."""
    user = request.user
    if slug != NATIONAL_SLUG or not (user.is_authenticated and user.is_national_admin):
        raise Http404
    return Area(
        prefix="events:national-",
        slug=slug,
        layout="events/national_layout.html",
        context={},
        events=Event.objects.filter(contact_point__isnull=True, district_office__isnull=True),
        counties=list(County.objects.values_list("number", flat=True)),
    )


AREAS = {"workspace": _workspace_area, "district": _district_area, "national": _national_area}


def get_area(request: HttpRequest, namespace: str, slug: str) -> Area:
    return AREAS[namespace](request, slug)


def render_area(request: HttpRequest, area: Area, template: str, context: dict, status: int = 200):
    return render(
        request,
        template,
        {**area.context, "area": area, "layout": area.layout, **context},
        status=status,
    )


def get_people_area(request: HttpRequest, namespace: str, slug: str) -> Area:
    area = get_area(request, namespace, slug)
    if not area.sees_people:
        raise Http404  # the district office sees counts, not a contact point's people
    return area
