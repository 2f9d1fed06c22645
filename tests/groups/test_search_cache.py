"""The response cache of the public search pages (selvhjelp/cache.py).

tests/conftest.py gives every test an empty LocMemCache."""

from __future__ import annotations

import logging

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.views.search import group_search
from selvhjelp import cache as public_cache_module

pytestmark = pytest.mark.django_db
URL = reverse("groups:group-search")
CONTACT_POINTS_URL = reverse("contactpoints:contactpoint-search")
QUERY = {"sted": "2660", "avstand": "25"}


def get(client, url=URL, params=QUERY):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, response.content.decode(), len(queries)


@pytest.fixture(autouse=True)
def _cache_available(monkeypatch):
    # A failure in one test leaves the cache alone for a few seconds; not in the next test.
    monkeypatch.setattr(public_cache_module, "_retry_at", 0.0)


def test_a_second_identical_anonymous_search_is_served_from_the_cache(client, make_group):
    make_group("Dovre-gruppen")

    _, first, first_queries = get(client)
    _, second, second_queries = get(client)

    assert first_queries > 0
    assert second_queries == 0
    assert second == first and "Dovre-gruppen" in second


def test_the_query_string_is_normalised_but_other_searches_are_not_shared(client, make_group):
    make_group("Dovre-gruppen")
    get(client, params={"sted": "2660", "avstand": "25"})

    _, _, reordered = get(client, params={"avstand": "25", "sted": "2660"})
    _, html, other = get(client, params={"sted": "2660", "avstand": "5"})

    assert reordered == 0
    assert other > 0 and "innen 5 km" in html


def test_the_language_is_part_of_the_key(client, make_group):
    make_group("Dovre-gruppen")
    get(client)

    _, _, queries = get(client, url="/en" + URL)

    assert queries > 0


def test_a_logged_in_user_is_never_served_or_given_a_cached_page(client, cp_user, make_group):
    make_group("Dovre-gruppen")
    get(client)  # an anonymous visitor fills the cache
    client.force_login(cp_user)

    _, html, first = get(client)
    _, _, second = get(client)

    assert first > 0 and second > 0
    assert "Mitt arbeid" in html  # the staff navigation, not the cached anonymous page


def test_publishing_a_group_shows_it_in_the_next_identical_search(client, make_group):
    draft = make_group("Ny gruppe", is_published=False)
    _, before, _ = get(client)
    assert "Ny gruppe" not in before

    draft.is_published = True
    draft.save()
    _, after, queries = get(client)

    assert queries > 0
    assert "Ny gruppe" in after


def test_deleting_a_group_removes_it_from_the_next_identical_search(client, make_group):
    group = make_group("Snart borte")
    assert "Snart borte" in get(client)[1]

    group.delete()

    assert "Snart borte" not in get(client)[1]


def test_changing_a_contact_point_refreshes_the_contact_point_search(client, contact_point):
    params = {"sted": "2660"}
    get(client, CONTACT_POINTS_URL, params)
    assert get(client, CONTACT_POINTS_URL, params)[2] == 0

    contact_point.name = "Nytt navn på kontaktpunktet"
    contact_point.save()
    _, html, queries = get(client, CONTACT_POINTS_URL, params)

    assert queries > 0 and "Nytt navn på kontaktpunktet" in html


def _request_with_message(text: str):
    request = RequestFactory().get(URL, QUERY)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    messages.success(request, text)
    return request


def test_a_response_carrying_a_message_is_not_cached(client, make_group):
    make_group("Dovre-gruppen")

    response = group_search(_request_with_message("Takk, vi har fått beskjeden din."))
    _, html, queries = get(client)

    assert "Takk, vi har fått beskjeden din." in response.content.decode()
    assert queries > 0  # nothing was stored by the request with the message
    assert "Takk, vi har fått beskjeden din." not in html


def test_a_pending_message_is_shown_rather_than_a_cached_page(client, make_group):
    make_group("Dovre-gruppen")
    get(client)  # cached

    response = group_search(_request_with_message("Takk, vi har fått beskjeden din."))

    assert "Takk, vi har fått beskjeden din." in response.content.decode()


def test_the_cache_failing_still_gives_the_page_and_logs_without_personal_data(
    client, make_group, monkeypatch, caplog
):
    make_group("Dovre-gruppen")

    def down(*args, **kwargs):
        raise ConnectionError("redis://cache:6379 is down")

    backend = caches["default"]  # the instance itself: `cache` is only a proxy to it
    monkeypatch.setattr(backend, "get", down)
    monkeypatch.setattr(backend, "set", down)
    monkeypatch.setattr(backend, "add", down)
    with caplog.at_level(logging.WARNING, logger="selvhjelp.cache"):
        _, html, _ = get(client)
        _, again, _ = get(client)

    assert "Dovre-gruppen" in html and "Dovre-gruppen" in again
    warnings = [
        record.getMessage() for record in caplog.records if record.name == "selvhjelp.cache"
    ]
    assert warnings and all("ConnectionError" in message for message in warnings)
    assert not any("2660" in message or "redis://" in message for message in warnings)


def test_saving_a_group_while_the_cache_is_down_still_saves(make_group, monkeypatch):
    group = make_group("Dovre-gruppen")

    def down(*args, **kwargs):
        raise ConnectionError("down")

    backend = caches["default"]
    monkeypatch.setattr(backend, "incr", down)
    monkeypatch.setattr(backend, "set", down)
    group.name = "Nytt navn"
    group.save()

    group.refresh_from_db()
    assert group.name == "Nytt navn"


def test_a_cached_page_is_served_after_one_cache_read(client, make_group, monkeypatch):
    make_group("Dovre-gruppen")
    client.get(URL, {"sted": "2660"})  # rendered and kept
    calls = []

    class Recording:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(caches["default"], name)

    monkeypatch.setattr(public_cache_module, "cache", Recording())

    response = client.get(URL, {"sted": "2660"})

    assert response.status_code == 200 and response.context is None  # not rendered again
    assert "Dovre-gruppen" in response.content.decode()
    assert calls == ["get_many"]  # the version and the page, in one round trip


def test_a_page_kept_under_an_older_version_is_not_served(client, make_group):
    make_group("Dovre-gruppen")
    client.get(URL, {"sted": "2660"})
    public_cache_module._bump()  # as a change elsewhere would

    response = client.get(URL, {"sted": "2660"})

    assert response.context is not None  # rendered again, not the old page


def test_a_kept_page_goes_out_compressed_once_and_plain_to_those_without_gzip(client, make_group):
    import gzip

    make_group("Dovre-gruppen")
    first = client.get(URL, {"sted": "2660"}, headers={"accept-encoding": "gzip"})
    plain = client.get(URL, {"sted": "2660"})
    kept = client.get(URL, {"sted": "2660"}, headers={"accept-encoding": "gzip, br"})

    assert kept.context is None  # from the cache
    assert kept["Content-Encoding"] == "gzip" and "Accept-Encoding" in kept["Vary"]
    assert gzip.decompress(kept.content) == gzip.decompress(first.content) == plain.content
    assert not plain.has_header("Content-Encoding") and "Accept-Encoding" in plain["Vary"]
    assert "Dovre-gruppen" in plain.content.decode()
