from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from contactpoints.models import ContactPoint


def contactpoint_search(request: HttpRequest) -> HttpResponse:
    contact_points = ContactPoint.objects.published().select_related("municipality")
    return render(
        request, "contactpoints/contactpoint_search.html", {"contact_points": contact_points}
    )


def contactpoint_detail(request: HttpRequest, slug: str) -> HttpResponse:
    contact_point = get_object_or_404(ContactPoint.objects.published(), slug=slug)
    return render(
        request, "contactpoints/contactpoint_detail.html", {"contact_point": contact_point}
    )
