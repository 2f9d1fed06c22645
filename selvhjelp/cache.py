"""A response cache for the public search pages (the group and contact point finders).

Only anonymous GET requests are cached: logged-in staff see other navigation, and a response
that carries messages or sets a cookie is personal. The key is the path, the language and the
normalised query string; the page is kept with the "public data version" it was rendered
under, a number kept in the cache and bumped by `bump_public_data_version()` whenever a Group or
ContactPoint is saved or deleted, and a page kept under an older version is not served, so a
change shows at once. The version and the page are read in one round trip. The TTL bounds
anything that slips past (e.g. a bulk QuerySet.update()).

The normalised query: a page that names its parameters (`@public_cache(params=...)`, or
settings.PUBLIC_CACHE_PARAMS by URL name, so a view can be wired without touching its app) keeps
only those, the last value of each, empty ones dropped, in a fixed order, and fills in the
defaults when anything was asked, so `?sted=2660` and `?avstand=25&sted=2660&utm=x` are one
entry. The view is then handed exactly that query (request.GET and QUERY_STRING rewritten):
what it renders depends on nothing the key leaves out, so nobody can plant their own text in a
page that is served to others.

Anonymous responses that are cached also say `Cache-Control: public, max-age=60`
(settings.PUBLIC_CACHE_MAX_AGE), so a browser or proxy may keep them a minute; never a response
for a logged-in user, one with messages or one that sets a cookie.

After a data change the most common searches (settings.PUBLIC_CACHE_PREWARM) are rendered again
by a Celery task enqueued when the transaction commits, so the first visitor does not wait.

The cache fails open: if it raises (Redis down), the page is rendered as usual, a warning is
logged (never the query, which may hold a place or postcode) and the cache is left alone for
a few seconds so that every request does not wait for the socket timeout.

`FailOpenRedisCache` is the cache backend in production (settings.CACHES). Everything that uses
the cache (these pages, the portal's rate limits, allauth's login limits and its "code already
used" marks) then keeps working while Redis is down: reads miss, writes are dropped, and after a
failed connection the process leaves Redis alone for `FailOpenRedisCache.retry_after` seconds,
so a request makes at most one connection attempt in that time instead of one per cache call.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import re
import threading
import time
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.module_loading import import_string

from selvhjelp.paging import PAGE_PARAM
from selvhjelp.prewarm import PREWARM_DEBOUNCE, PREWARM_QUEUED_KEY

logger = logging.getLogger(__name__)

VERSION_KEY = "public-data-version"
PAGE_TTL = 120  # seconds: the bound on staleness for changes that bypass the version bump
RETRY_AFTER = 10  # seconds to leave a failing cache alone

_retry_at = 0.0  # time.monotonic() before which the cache is not tried (process-local)

# Per Redis location: time.monotonic() before which it is not tried again. Per process, shared
# by every thread.
_redis_down_until: dict[str, float] = {}

# One connection pool and one Redis client per server and options, per process. Django keeps a
# cache object per thread, each with its own pools, and builds a new Redis client on every call;
# redis-py's pools and clients are thread-safe, and a pool notices a fork and starts afresh.
_shared_clients: dict[tuple[str, str], redis.Redis] = {}
_shared_lock = threading.Lock()


class _FailOpenRedisClient(RedisCacheClient):
    """Django's Redis client, answering "nothing there" instead of raising while Redis is down."""

    def __init__(self, servers, RETRY_AFTER: float = 5.0, **options):  # noqa: N803 - an OPTIONS key
        super().__init__(servers, **options)
        self._location = ",".join(servers)
        self.retry_after = float(RETRY_AFTER)

    def get_client(self, key=None, *, write=False) -> redis.Redis:
        index = self._get_connection_pool_index(write)
        shared = (self._servers[index], repr(sorted(self._pool_options.items())))
        client = _shared_clients.get(shared)
        if client is None:
            with _shared_lock:
                client = _shared_clients.get(shared)
                if client is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    client = _shared_clients[shared] = self._client(connection_pool=pool)
        return client

    def _guarded(self, when_down: Any, operation, *args):
        if time.monotonic() < _redis_down_until.get(self._location, 0.0):
            return when_down
        try:
            return operation(*args)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            _redis_down_until[self._location] = time.monotonic() + self.retry_after
            # The class only: the message can name the key, which may derive from personal data.
            logger.warning(
                "Redis unavailable (%s); the cache fails open for %s s",
                type(exc).__name__,
                self.retry_after,
            )
            return when_down

    # A missing Redis acts as an empty cache that forgets every write. add() reports success,
    # so rate limits let the request through and allauth's locks are taken (fail open).
    def add(self, key, value, timeout):
        return self._guarded(True, super().add, key, value, timeout)

    def get(self, key, default):
        return self._guarded(default, super().get, key, default)

    def set(self, key, value, timeout):
        return self._guarded(None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._guarded(False, super().touch, key, timeout)

    def delete(self, key):
        return self._guarded(False, super().delete, key)

    def get_many(self, keys):
        return self._guarded({}, super().get_many, keys)

    def has_key(self, key):
        return self._guarded(False, super().has_key, key)

    def incr(self, key, delta):
        result = self._guarded(_MISSING, super().incr, key, delta)
        if result is _MISSING:
            raise ValueError("Key not found: the cache is unavailable.")
        return result

    def set_many(self, data, timeout):
        return self._guarded([], super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._guarded(None, super().delete_many, keys)

    def clear(self):
        return self._guarded(False, super().clear)


_MISSING = object()


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache that fails open (see the module docstring). OPTIONS as for
    RedisCache, plus RETRY_AFTER: seconds to leave Redis alone after a failed connection."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _FailOpenRedisClient


def bump_public_data_version() -> None:
    """Makes every cached public page stale. Call whenever public group or contact point data
    changes. Bumps now and again when the surrounding transaction commits, so a request that
    read the old rows before the commit cannot keep them cached under the new version."""
    _bump()
    transaction.on_commit(_bump)
    transaction.on_commit(_schedule_prewarm)


def _bump() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (first use, eviction, restart)
            cache.set(VERSION_KEY, time.time_ns(), None)
    except Exception as exc:  # noqa: BLE001 - the cache must never break a save
        _cache_failed("bump", exc)


def _schedule_prewarm() -> None:
    """Enqueues one pre-warm of the common searches for a burst of changes (no arguments: the
    task reads the list from settings; nothing personal goes to the broker)."""
    if not settings.PUBLIC_CACHE_PREWARM:
        return
    try:
        if cache.add(PREWARM_QUEUED_KEY, True, PREWARM_DEBOUNCE):
            from selvhjelp.tasks import prewarm_public_pages

            prewarm_public_pages.delay()
    except Exception as exc:  # noqa: BLE001 - a missing broker must never break a save
        _cache_failed("prewarm", exc)


# The version a public page being rendered is keyed under (set by public_cache), so that the
# page and the data held per version (groups/topics.py) agree, in one cache read per request.
_request_version: ContextVar[int | None] = ContextVar("public_data_version", default=None)


def request_data_version() -> int | None:
    """The public data version of the page being rendered, when public_cache read it."""
    return _request_version.get()


def public_data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Time-based, so a lost key never brings back a version that has been used before.
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def public_cache(view=None, *, params: Mapping[str, Any] | str | None = None):
    """Caches a public page's response for anonymous visitors (see the module docstring).

    `params`: the query parameters the page reads, with their defaults ({"avstand": 25,
    "sted": None}), or the dotted path of the form whose fields (and initial values) they are.
    Without it, settings.PUBLIC_CACHE_PARAMS[url name] is used; failing that the whole query
    string, sorted, is the key."""
    if view is None:
        return functools.partial(public_cache, params=params)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request) or time.monotonic() < _retry_at:
            return view(request, *args, **kwargs)
        allowed = _allowed_params(params, request)
        if allowed is not None:
            _keep_only(request, allowed)
        try:
            key = _page_key(request, allowed)
            # One round trip for the version and the page; a page kept under an older version
            # is stale.
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or public_data_version()
            cached = found.get(key)
        except Exception as exc:  # noqa: BLE001 - fail open
            _cache_failed(view.__name__, exc)
            return view(request, *args, **kwargs)
        if cached is not None and cached[0] == version:
            return _public(_from_cache(request, *cached[1:]))
        # The view and what it holds in memory work from the version the page is keyed under.
        token = _request_version.set(version)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _request_version.reset(token)
        if _cacheable_response(request, response):
            content = response.content
            compressed = gzip.compress(content, compresslevel=6, mtime=0)
            try:
                cache.set(key, (version, content, compressed, response["Content-Type"]), PAGE_TTL)
            except Exception as exc:  # noqa: BLE001 - fail open
                _cache_failed(view.__name__, exc)
            # The same bytes as later visitors get: compressed once, here.
            _send_compressed(request, response, compressed)
            _public(response)
        return response

    return wrapper


def _from_cache(
    request: HttpRequest, content: bytes, compressed: bytes, content_type: str
) -> HttpResponse:
    """A kept page, compressed when the browser takes gzip: compressed once when it was kept,
    not again on every visit (PublicGZipMiddleware leaves an encoded response alone). These
    pages hold no secret for BREACH to find (selvhjelp/middleware.py), so the same compressed
    bytes may go to everyone."""
    response = HttpResponse(content, content_type=content_type)
    _send_compressed(request, response, compressed)
    return response


def _send_compressed(request: HttpRequest, response: HttpResponse, compressed: bytes) -> None:
    if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response.content = compressed
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
    return response


def _allowed_params(params, request: HttpRequest) -> dict[str, str | None] | None:
    if params is None:
        match = getattr(request, "resolver_match", None)
        params = settings.PUBLIC_CACHE_PARAMS.get(match.view_name) if match else None
    if params is None:
        return None
    if isinstance(params, str):
        return _form_params(params)
    return {name: None if value is None else str(value) for name, value in params.items()}


@functools.cache
def _form_params(form_path: str) -> dict[str, str | None]:
    """A search form's fields and their initial values, plus the page number."""
    form_class = import_string(form_path)
    allowed: dict[str, str | None] = {
        name: None if field.initial is None else str(field.initial)
        for name, field in form_class.base_fields.items()
    }
    allowed[PAGE_PARAM] = "1"
    return allowed


def normalised_query(query: QueryDict, allowed: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """The allowed parameters that have a value (the last one, as a form reads it), by name."""
    return [
        (name, query.getlist(name)[-1])
        for name in sorted(allowed)
        if query.getlist(name) and query.getlist(name)[-1] != ""
    ]


def _keep_only(request: HttpRequest, allowed: Mapping[str, str | None]) -> None:
    """Hands the view the normalised query only (see the module docstring)."""
    query = urlencode(normalised_query(request.GET, allowed))
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET" and not request.user.is_authenticated and not _has_messages(request)
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not response.has_header("Vary")  # the view varies on something we do not key on
        and not (session is not None and session.modified)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _has_messages(request)
    )


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    # len() looks without marking the messages as read, so they are still shown.
    return storage is not None and (storage.used or len(storage) > 0)


def _page_key(request: HttpRequest, allowed: Mapping | None = None) -> str:
    if allowed is None:
        pairs = sorted((key, value) for key, values in request.GET.lists() for value in values)
    else:
        pairs = normalised_query(request.GET, allowed)
        if pairs:  # a search: what was left out is the default (no search at all stays apart)
            given = dict(pairs)
            pairs = sorted(
                (name, given.get(name, default))
                for name, default in allowed.items()
                if given.get(name, default) is not None
            )
    query = urlencode(pairs)
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"public-page:{translation.get_language()}:{digest}"


def _cache_failed(where: str, exc: Exception) -> None:
    global _retry_at
    _retry_at = time.monotonic() + RETRY_AFTER
    # The exception's class only: its message or the request could hold personal data.
    logger.warning(
        "Public page cache unavailable in %s (%s); serving uncached for %s s",
        where,
        type(exc).__name__,
        RETRY_AFTER,
    )
