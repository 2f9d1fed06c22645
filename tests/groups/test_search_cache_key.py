"""The public page cache (selvhjelp/cache.py): the normalised key, Cache-Control, one Redis client
per process, and the pre-warm after a data change.

tests/conftest.py gives every test an empty LocMemCache and turns the pre-warm off."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selvhjelp import cache as public_cache_module
from selvhjelp.cache import FailOpenRedisCache, bump_public_data_version
from tests.groups.conftest import bulk_groups

pytestmark = pytest.mark.django_db
URL = reverse("groups:group-search")


def get(client, params, url=URL, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, **extra)
    assert response.status_code == 200
    return response, len(queries)


@pytest.fixture(autouse=True)
def _cache_available(monkeypatch):
    monkeypatch.setattr(public_cache_module, "_retry_at", 0.0)


def test_a_default_left_out_or_given_is_one_entry(client, make_group):
    make_group("Dovre-gruppen")
    get(client, {"sted": "2660", "avstand": "25"})  # 25 km is the form's initial radius

    response, queries = get(client, {"sted": "2660"})

    assert queries == 0
    assert "Dovre-gruppen" in response.content.decode()


def test_empty_and_unknown_parameters_share_the_entry(client, make_group):
    make_group("Dovre-gruppen")
    get(client, {"sted": "2660"})

    _, queries = get(client, {"sted": "2660", "q": "", "format": "", "utm_source": "avis"})

    assert queries == 0


def test_the_page_number_one_is_the_first_page(client, make_group):
    make_group("Dovre-gruppen")
    get(client, {"sted": "2660"})

    _, queries = get(client, {"sted": "2660", "side": "1"})

    assert queries == 0


def test_no_search_at_all_is_not_the_search_with_defaults(client, make_group):
    make_group("Dovre-gruppen")
    get(client, {})

    _, queries = get(client, {"avstand": "25"})

    assert queries > 0


def test_different_searches_are_still_different_entries(client, make_group):
    make_group("Dovre-gruppen")
    get(client, {"sted": "2660"})

    response, queries = get(client, {"sted": "2660", "avstand": "5"})

    assert queries > 0 and "innen 5 km" in response.content.decode()


def test_an_unknown_parameter_never_reaches_a_cached_page(client, contact_point, sorg):
    # More than one page, so the page links repeat the query string.
    bulk_groups(contact_point, sorg, 45)

    first, _ = get(client, {"sted": "2660", "planted": "Ring 12345678"})
    second, queries = get(client, {"sted": "2660"})

    assert "side=2" in first.content.decode()
    assert "planted" not in first.content.decode()
    assert "12345678" not in first.content.decode()
    assert queries == 0 and second.content == first.content


def test_anonymous_search_pages_may_be_kept_a_minute(client, make_group):
    make_group("Dovre-gruppen")

    missed, _ = get(client, {"sted": "2660"})
    hit, queries = get(client, {"sted": "2660"})

    assert queries == 0
    for response in (missed, hit):
        assert response["Cache-Control"] == "public, max-age=60"


def test_the_contact_point_search_is_normalised_and_public_too(client, contact_point):
    url = reverse("contactpoints:contactpoint-search")
    get(client, {"sted": "2660", "avstand": "25"}, url=url)

    response, queries = get(client, {"sted": "2660", "x": "y"}, url=url)

    assert queries == 0
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_logged_in_users_page_is_never_marked_public(client, cp_user, make_group):
    make_group("Dovre-gruppen")
    client.force_login(cp_user)

    response, _ = get(client, {"sted": "2660"})

    assert "public" not in response.get("Cache-Control", "")


def test_a_page_that_sets_a_cookie_is_not_marked_public(client, make_group):
    make_group("Dovre-gruppen")
    # The language switch form on an error page, or anything else that sets the CSRF cookie,
    # makes a response personal; here the view is made to use the token.
    from django.middleware.csrf import get_token

    from groups.views import search as views

    original = views.render

    def render_with_token(request, *args, **kwargs):
        get_token(request)
        return original(request, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "render", render_with_token)
        response, _ = get(client, {"sted": "2660"})
        _, queries = get(client, {"sted": "2660"})

    assert response.cookies.get(settings.CSRF_COOKIE_NAME)
    assert "public" not in response.get("Cache-Control", "")
    assert queries > 0  # and it was not stored


def test_one_redis_client_per_process_whatever_the_thread(settings):
    location = settings.REDIS_URL or "redis://127.0.0.1:6379/0"
    options = {"OPTIONS": {"socket_connect_timeout": 0.5, "RETRY_AFTER": 5}}
    first = FailOpenRedisCache(location, options)
    clients = [first._cache.get_client(), first._cache.get_client(write=True)]

    def from_another_thread():
        clients.append(FailOpenRedisCache(location, options)._cache.get_client())

    thread = threading.Thread(target=from_another_thread)
    thread.start()
    thread.join()

    assert all(client is clients[0] for client in clients)
    assert clients[0].connection_pool is clients[2].connection_pool


def test_a_data_change_enqueues_one_prewarm_without_arguments(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.PUBLIC_CACHE_PREWARM = ["/grupper/?sted=2660"]
    calls = []
    from selvhjelp import tasks

    monkeypatch.setattr(tasks.prewarm_public_pages, "delay", lambda *a, **kw: calls.append(a))

    with django_capture_on_commit_callbacks(execute=True):
        bump_public_data_version()
        bump_public_data_version()  # a burst of changes: one pre-warm

    assert calls == [()]


def test_the_prewarm_stores_the_common_searches_under_the_new_version(
    client, make_group, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_CACHE_PREWARM = ["/grupper/?sted=2660", "/grupper/?format=digital"]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_group("Dovre-gruppen")  # saving bumps the data version

    response, queries = get(client, {"avstand": "25", "sted": "2660"})

    assert queries == 0
    assert "Dovre-gruppen" in response.content.decode()


def test_nothing_is_enqueued_when_no_searches_are_listed(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.PUBLIC_CACHE_PREWARM = []
    calls = []
    from selvhjelp import tasks

    monkeypatch.setattr(tasks.prewarm_public_pages, "delay", lambda *a, **kw: calls.append(a))

    with django_capture_on_commit_callbacks(execute=True):
        bump_public_data_version()

    assert calls == []


@pytest.mark.parametrize("view_name", sorted(settings.PUBLIC_CACHE_PARAMS))
def test_every_configured_page_names_a_form_that_exists(view_name):
    # The forms move in the restructuring: a stale path fails here, not in production.
    params = public_cache_module._allowed_params(settings.PUBLIC_CACHE_PARAMS[view_name], None)

    assert "sted" in params and params["side"] == "1"
    reverse(view_name)
