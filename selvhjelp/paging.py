"""Lists shown a page at a time, with `side` (page) in the query string."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_PARAM = "side"


def paginate(request: HttpRequest, rows: QuerySet, per_page: int) -> tuple[Page, str]:
    """One page of `rows` and the query string its page links keep (filters included, the page
    left out; templates/selvhjelp/includes/_pagination.html adds it). A page number out of range
    or not a number shows the nearest page."""
    page = Paginator(rows, per_page).get_page(request.GET.get(PAGE_PARAM))
    return page, query_without_page(request)


def query_without_page(request: HttpRequest) -> str:
    """The query string a list's page links keep: its filters, without the page number."""
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return query.urlencode()
