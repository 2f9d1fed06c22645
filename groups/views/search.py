"""The public group search, a group's public page, and what a self-help group is."""

from __future__ import annotations

import copy
import json
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import mark_safe
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from contactpoints.models import ContactPoint
from groups import wording
from groups.forms.interests import InterestForm
from groups.forms.search import GroupSearchForm
from groups.models import Group, Topic
from groups.services import search
from groups.services.search import COUNT_CAP
from groups.topics import all_topics, current_version, held, topics_by_id
from selvhjelp.cache import public_cache
from selvhjelp.geo import Place
from selvhjelp.models import Municipality
from selvhjelp.paging import PAGE_PARAM, query_without_page

PAGE_SIZE = 20


# The search parameters a group page carries back to the search (`?fra=`). Not the browser's
# position (lat/lon): a person's location stays out of links they may copy or share.
SEARCH_KEYS = ("sted", "avstand", "tema", "q", "format", "ukedag", "apen", "side")


DIGITAL_PREVIEW_SIZE = 10


NEAREST_CONTACT_POINTS = 3


SCHEMA_WEEKDAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


@public_cache
def group_search(request: HttpRequest) -> HttpResponse:
    form = GroupSearchForm(request.GET)
    context: dict = {"form": form, "searched": bool(request.GET)}
    if not form.is_valid():
        return render(request, "groups/group_search.html", context)

    filters = search.Filters(**form.filters())
    origin = form.origin()
    radius = form.radius_km()
    version = current_version()
    topics = all_topics(version)
    digital_only = filters.format == Group.Format.DIGITAL
    physical_only = filters.format in (Group.Format.PHYSICAL, Group.Format.HYBRID)

    def found_page(offset: int) -> search.Found:
        if digital_only:
            return search.listed(filters, topics, digital=True, order="start", offset=offset)
        if origin:
            return search.near(filters, topics, origin=origin, radius_km=radius, offset=offset)
        # Municipality by municipality in their official number order (county by county), read
        # in order from the partial index group_published_physical.
        return search.listed(filters, topics, digital=False, order="municipality", offset=offset)

    page = _paginate(request, found_page)

    digital_groups = []
    if not digital_only and not physical_only:
        # The same for every place: held in memory per public data version and search filters.
        # One row more than shown tells whether to link to the full digital list.
        digital_groups = [
            copy.copy(group)
            for group in held(
                f"digital-preview:{_filters_key(filters)}",
                version,
                lambda: (
                    search.listed(
                        filters,
                        topics,
                        digital=True,
                        order="start",
                        limit=DIGITAL_PREVIEW_SIZE + 1,
                        count=False,
                    ).results
                ),
            )
        ]

    nearest_contact_points = []
    if origin and not digital_only and page.paginator.count == 0:
        nearest_contact_points = list(
            ContactPoint.objects.published()
            .select_related("municipality")
            .near(origin.latitude, origin.longitude, None)[:NEAREST_CONTACT_POINTS]
        )

    groups = list(page.object_list)
    more_digital = len(digital_groups) > DIGITAL_PREVIEW_SIZE
    digital_groups = digital_groups[:DIGITAL_PREVIEW_SIZE]
    labels = _row_labels()
    query = _search_query(request.GET)
    _label_rows(
        [*groups, *digital_groups],
        labels,
        back=urlencode({"fra": query}) if query else "",
        topics=topics_by_id(version),
    )
    topic = filters.topic
    context.update(
        {
            "origin": origin,
            "radius": radius,
            "page": page,
            "groups": groups,
            "group_rows": _rows_html(groups, labels),
            "digital_rows": _rows_html(digital_groups, labels),
            "labels": labels,
            "digital_only": digital_only,
            "digital_groups": digital_groups,
            "more_digital": more_digital,
            "all_digital_query": urlencode(
                {"format": Group.Format.DIGITAL, **({"tema": topic.slug} if topic else {})}
            ),
            "nearest_contact_points": nearest_contact_points,
            "interest_url": _interest_url(
                topic_slug=topic.slug if topic else "", place=request.GET.get("sted", "")
            ),
            "page_query": query_without_page(request),
            "map_markers": _map_markers(groups),
            "map_origin": _map_origin(origin),
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_host": _tile_host(settings.MAP_TILE_URL),
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        }
    )
    return render(request, "groups/group_search.html", context)


@public_cache(params={"fra": None})
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(PAGE_GROUPS, slug=slug)
    contact_point_url = reverse(
        "contactpoints:contactpoint-detail", kwargs={"slug": group.contact_point_slug}
    )
    context = {
        "group": group,
        "topics": _topics_in_order(group.topic_ids, topics_by_id(current_version())),
        "status_text": wording.status_text(group),
        "when_text": wording.when_text(group),
        "contact_point_url": contact_point_url,
        "interest_form": InterestForm(group=group),
        "interest_action": reverse("groups:interest-create-for-group", kwargs={"slug": group.slug}),
        "json_ld": _json_ld_script(_group_json_ld(request, group, contact_point_url)),
        "back_url": _back_to_search_url(request.GET.get("fra", "")),
    }
    return render(request, "groups/group_detail.html", context)


# What the group page, its JSON-LD and its sign-up form read.
PAGE_FIELDS = (
    "name",
    "slug",
    "description",
    "audience",
    "format",
    "weekday",
    "start_time",
    "frequency",
    "starts_on",
    "status",
    "open_for_new_members",
    "public_area",
    "language",
    "last_confirmed_on",
    "municipality",
    "contact_point",
)


# The group page's one query, built once (like a generic view's `queryset`; each request adds
# its slug to a copy): the columns the page shows, never the venue; as the search's rows, the
# topics as ids (their names are held in memory, groups/topics.py) and the municipality's and
# contact point's names as subqueries, which cost less to build than joined model instances.
PAGE_GROUPS = (
    Group.objects.published()
    .only(*PAGE_FIELDS)
    .annotate(
        topic_ids=ArraySubquery(
            Group.topics.through.objects.filter(group=OuterRef("pk")).values("topic_id")
        ),
        municipality_name=Subquery(
            Municipality.objects.filter(number=OuterRef("municipality_id"))
            .order_by()
            .values("name")[:1]
        ),
        contact_point_name=Subquery(
            ContactPoint.objects.filter(pk=OuterRef("contact_point_id"))
            .order_by()
            .values("name")[:1]
        ),
        contact_point_slug=Subquery(
            ContactPoint.objects.filter(pk=OuterRef("contact_point_id"))
            .order_by()
            .values("slug")[:1]
        ),
    )
)


def _topics_in_order(topic_ids: list[int] | None, topics: dict[int, Topic]) -> list[Topic]:
    """A group's topics in the list's order (position, name), as topics are shown everywhere."""
    ids = set(topic_ids or ())
    return [topic for pk, topic in topics.items() if pk in ids]


def what_is_self_help(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/what_is_self_help.html")


def _interest_url(*, topic_slug: str, place: str) -> str:
    query = {key: value for key, value in (("tema", topic_slug), ("sted", place.strip())) if value}
    base = reverse("groups:interest-create")
    return f"{base}?{urlencode(query)}" if query else base


def _search_query(params: QueryDict) -> str:
    """The search as a query string of known keys only, each once and of bounded length."""
    pairs = [(key, params.get(key, "").strip()[:200]) for key in SEARCH_KEYS]
    return urlencode([(key, value) for key, value in pairs if value])


def _back_to_search_url(carried: str) -> str:
    """Where "Tilbake til søket" goes: always our own search page (never an open redirect),
    with the person's search when a result link carried it."""
    base = reverse("groups:group-search")
    query = _search_query(QueryDict(carried[:2000])) if carried else ""
    return f"{base}?{query}" if query else base


def _row_labels() -> dict[str, object]:
    """The words a result row uses, translated once per request rather than once per row."""
    return {
        **wording.words(),
        "digital": _("Digitalt"),
        "hybrid": _("fysisk og digitalt"),
        "under_1_km": _("under 1 km"),
        "contact_point": _("Kontaktpunkt: %(name)s"),
    }


class ResultPaginator(Paginator):
    """Pages of a search whose count came with its page query, capped at COUNT_CAP: past it
    the page says "over 200" and offers the first ten pages."""

    def __init__(self, found: search.Found):
        super().__init__([], PAGE_SIZE)
        self.capped = found.capped
        self.count = min(found.count, COUNT_CAP)


def _paginate(request: HttpRequest, found_page) -> Page:
    """The requested page (the first for a bad number, the last past the end); the search and
    its count in one query, and a second only for a number past the end."""
    try:
        number = max(int(request.GET.get(PAGE_PARAM, 1)), 1)
    except (TypeError, ValueError):
        number = 1
    found = found_page((number - 1) * PAGE_SIZE)
    paginator = ResultPaginator(found)
    if number > paginator.num_pages:
        number = paginator.num_pages
        found = found_page((number - 1) * PAGE_SIZE)
    return Page(found.results, number, paginator)


def _filters_key(filters: search.Filters) -> str:
    # Not dataclasses.astuple(): it deep-copies the Topic instance on every search.
    topic = filters.topic.pk if filters.topic else None
    return repr((filters.text, topic, filters.format, filters.weekday, filters.open_only))


def _label_rows(
    groups: list[Group], labels: dict, back: str = "", topics: dict | None = None
) -> None:
    """Sets url, distance_label, when_label, status_label and contact_label on each group (the
    status and "when" from groups/wording.py, as the group pages word them). `back`
    (a `fra=` query string) lets the group page link back to this search."""
    detail_url = reverse("groups:group-detail", kwargs={"slug": "__slug__"})
    if back:
        detail_url = f"{detail_url}?{back}"
    for group in groups:
        group.url = detail_url.replace("__slug__", group.slug, 1)
        distance = getattr(group, "distance_km", None)
        group.distance_label = (
            ""
            if distance is None
            else labels["under_1_km"]
            if distance < 1
            # Whole kilometres, rounded half up as floatformat(…, "0") does (radius ≤ 100 km:
            # no thousands separator to place).
            else f"{int(distance + 0.5)} km"
        )
        group.when_label = wording.when_text(group, labels)
        group.status_label = wording.status_text(group, labels)
        group.contact_label = labels["contact_point"] % {"name": group.contact_point_name}
        if topics is not None:
            group.topic_list = _topics_in_order(group.topic_ids, topics)


def _rows_html(groups: list[search.Result], labels: dict) -> str:
    """The result rows as HTML, built here rather than by the template engine once per row
    (that was a quarter of a search's time). The markup is templates/groups/includes/
    _group_list.html's as it was. Every value is escaped with html.escape, as Django's escape
    does (without its lazy-string wrapper, which cost more than the escaping)."""
    return mark_safe("".join(_row_html(group, labels) for group in groups))  # noqa: S308 - escaped


def _row_html(group: search.Result, labels: dict) -> str:
    if group.is_digital:
        where = f"<strong>{escape(labels['digital'])}</strong>"
    else:
        municipality = group.municipality_name or ""
        distance = (
            f'<strong class="distance">{escape(group.distance_label)}</strong> · '
            if group.distance_label
            else ""
        )
        where = "".join(
            (
                distance,
                escape(group.public_area or municipality),
                escape(f", {municipality}")
                if municipality and group.public_area != municipality
                else "",
                escape(f" · {labels['hybrid']}") if group.format == Group.Format.HYBRID else "",
            )
        )
    topics = "".join(
        f'<span class="topic-tag">{escape(topic.display_name)}</span>' for topic in group.topic_list
    )
    return (
        '<li class="group-result">\n'
        f'  <h3 class="h5 mb-1"><a href="{escape(group.url)}">{escape(group.name)}</a></h3>\n'
        f'  <p class="mb-1">\n    {where}\n  </p>\n'
        f'  <p class="mb-1">{escape(group.when_label)}</p>\n'
        '  <p class="mb-1">\n'
        f'    <span class="badge badge-status">{escape(group.status_label)}</span>\n'
        f"    {topics}\n  </p>\n"
        f'  <p class="mb-0 text-secondary-strong">{escape(group.contact_label)}</p>\n'
        "</li>\n"
    )


def _map_markers(groups) -> list[dict]:
    """Points for the map: the public area point of each group, never the venue."""
    return [
        {
            "name": group.name,
            "area": group.public_area or group.municipality_name or "",
            "url": getattr(group, "url", None) or group.get_absolute_url(),
            "lat": group.latitude,
            "lon": group.longitude,
        }
        for group in groups
        if group.latitude is not None and group.longitude is not None
    ]


def _map_origin(origin: Place | None) -> dict | None:
    """The searched place, shown on the map as a marker of its own."""
    if origin is None:
        return None
    return {
        "lat": origin.latitude,
        "lon": origin.longitude,
        "label": _("Du søkte fra %(place)s") % {"place": origin.name},
    }


def _tile_host(tile_url: str) -> str:
    """Where map tiles come from, in the words of the line under "Vis kart"."""
    return urlsplit(tile_url.replace("{s}", "a")).hostname or tile_url


def _group_json_ld(request: HttpRequest, group: Group, contact_point_url: str) -> dict:
    """schema.org data for search engines: only what the page itself shows."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": group.name,
        "description": group.description,
        "url": request.build_absolute_uri(group.get_absolute_url()),
        "isAccessibleForFree": True,
        "inLanguage": "nb",
        "organizer": {
            "@type": "Organization",
            "name": group.contact_point_name,
            "url": request.build_absolute_uri(contact_point_url),
        },
    }
    if group.is_digital:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "name": _("Digitalt")}
    else:
        data["eventAttendanceMode"] = (
            "https://schema.org/MixedEventAttendanceMode"
            if group.format == Group.Format.HYBRID
            else "https://schema.org/OfflineEventAttendanceMode"
        )
        locality = group.municipality_name or ""
        data["location"] = {
            "@type": "Place",
            "name": group.public_area or locality,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": locality,
                "addressCountry": "NO",
            },
        }
    if group.starts_on:
        data["startDate"] = group.starts_on.isoformat()
    if group.weekday:
        schedule = {
            "@type": "Schedule",
            "byDay": f"https://schema.org/{SCHEMA_WEEKDAYS[group.weekday - 1]}",
            "repeatFrequency": "P2W" if group.frequency == Group.Frequency.BIWEEKLY else "P1W",
        }
        if group.start_time:
            schedule["startTime"] = group.start_time.strftime("%H:%M")
        data["eventSchedule"] = schedule
    return data


def _json_ld_script(data: dict) -> str:
    """The JSON for a `<script type="application/ld+json">` block, escaped like json_script so
    that no value can close the element."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 - escaped above, the same way as json_script
