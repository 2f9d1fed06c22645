from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from contactpoints.models import ContactPoint
from selvhjelp.cache import public_cache
from selvhjelp.forms import PlaceSearchForm
from selvhjelp.paging import paginate

PAGE_SIZE = 20
NEAREST = 3  # contact points shown when none lie within the radius


@public_cache
def contactpoint_search(request: HttpRequest) -> HttpResponse:
    form = PlaceSearchForm(request.GET)
    context: dict = {"form": form}
    if form.is_valid():
        published = ContactPoint.objects.published().select_related("municipality")
        origin = form.origin()
        if origin:
            contact_points = published.near(origin.latitude, origin.longitude, form.radius_km())
        else:
            contact_points = published.order_by("municipality__name", "name")
        page, page_query = paginate(request, contact_points, PAGE_SIZE)
        nearest = []
        if origin and page.paginator.count == 0:
            # Never a dead end: the nearest ones, however far away.
            nearest = list(published.near(origin.latitude, origin.longitude, None)[:NEAREST])
        context.update(
            {
                "origin": origin,
                "radius": form.radius_km(),
                "page": page,
                "contact_points": page.object_list,
                "nearest_contact_points": nearest,
                "page_query": page_query,
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
    # The groups app's data through the reverse relation: contactpoints never imports groups,
    # but uses its read rule, so a group hidden as unconfirmed is not shown here either.
    public_groups = Prefetch(
        "groups",
        queryset=ContactPoint.groups.rel.related_model.objects.published()
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
