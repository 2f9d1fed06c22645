from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from contactpoints.forms import PlaceSearchForm
from contactpoints.models import ContactPoint
from selvhjelp.cache import public_cache
from selvhjelp.geo import within_km

PAGE_SIZE = 20


@public_cache
def contactpoint_search(request: HttpRequest) -> HttpResponse:
    form = PlaceSearchForm(request.GET)
    context: dict = {"form": form}
    if form.is_valid():
        contact_points = ContactPoint.objects.published().select_related("municipality")
        origin = form.origin()
        if origin:
            contact_points = within_km(
                contact_points, origin.latitude, origin.longitude, form.radius_km()
            ).order_by("distance_km", "name")
        else:
            contact_points = contact_points.order_by("municipality__name", "name")
        page = Paginator(contact_points, PAGE_SIZE).get_page(request.GET.get("side"))
        nearest = []
        if origin and page.paginator.count == 0:
            # Never a dead end: the nearest ones, however far away.
            nearest = list(
                within_km(
                    ContactPoint.objects.published().select_related("municipality"),
                    origin.latitude,
                    origin.longitude,
                    None,
                ).order_by("distance_km")[:3]
            )
        query = request.GET.copy()
        query.pop("side", None)
        context.update(
            {
                "origin": origin,
                "radius": form.radius_km(),
                "page": page,
                "contact_points": page.object_list,
                "nearest_contact_points": nearest,
                "page_query": query.urlencode(),
                "map_markers": [
                    {
                        "name": cp.name,
                        "area": cp.municipality.name,
                        "url": cp.get_absolute_url(),
                        "lat": cp.latitude,
                        "lon": cp.longitude,
                    }
                    for cp in page.object_list
                ],
                "map_tile_url": settings.MAP_TILE_URL,
                "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            }
        )
    return render(request, "contactpoints/contactpoint_search.html", context)


def contactpoint_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The groups app's data through the reverse relation: contactpoints never imports groups.
    public_groups = Prefetch(
        "groups",
        queryset=ContactPoint.groups.rel.related_model.objects.filter(is_published=True)
        .exclude(status="avsluttet")
        .select_related("municipality")
        .order_by("name"),
        to_attr="public_groups",
    )
    contact_point = get_object_or_404(
        ContactPoint.objects.published()
        .select_related("municipality", "postal_code")
        .prefetch_related(public_groups),
        slug=slug,
    )
    return render(
        request, "contactpoints/contactpoint_detail.html", {"contact_point": contact_point}
    )
