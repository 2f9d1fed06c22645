"""Panels of the contactpoints app for the district dashboard (inclusion tags): the dashboard
(selvhjelp) loads them in its template, so selvhjelp imports no app."""

from __future__ import annotations

from django import template

from contactpoints.models import ContactPoint, ContactPointApplication
from selvhjelp.models import DistrictOffice

register = template.Library()


@register.inclusion_tag("contactpoints/panels/district_todo.html")
def district_contactpoints_todo(office: DistrictOffice, counties: list[str]) -> dict:
    """Pending applications and the contact points of the office's area."""
    return {
        "office": office,
        "application_count": ContactPointApplication.objects.in_counties(counties)
        .pending()
        .count(),
        "contact_point_count": ContactPoint.objects.in_counties(counties).count(),
    }
