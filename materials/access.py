"""Who may do what with materials.

The fulfilment, stock and figures pages are for national admins; for anyone else they do not
exist (404). Staff (of a contact point or a district office, or national admins) get the higher
caps when they order.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest


def require_materials_admin(request: HttpRequest) -> None:
    if not (request.user.is_authenticated and request.user.is_national_admin):
        raise Http404


def orders_as_staff(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_national_admin or user.district_office_ids:
        return True
    from contactpoints.models import ContactPointMembership

    return ContactPointMembership.objects.filter(user=user).exists()
