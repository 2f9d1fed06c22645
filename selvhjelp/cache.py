"""A response cache for the public search pages (the group and contact point finders).

Only anonymous GET requests are cached: logged-in staff see other navigation, and a response
that carries messages or sets a cookie is personal. The key is the path, the language, the
normalised query string and the "public data version", a number kept in the cache and bumped
by `bump_public_data_version()` whenever a Group or ContactPoint is saved or deleted, so a
change shows at once. The TTL bounds anything that slips past (e.g. a bulk QuerySet.update()).

The cache fails open: if it raises (Redis down), the page is rendered as usual, a warning is
logged (never the query, which may hold a place or postcode) and the cache is left alone for
a few seconds so that every request does not wait for the socket timeout.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import urlencode

logger = logging.getLogger(__name__)

VERSION_KEY = "public-data-version"
PAGE_TTL = 120  # seconds: the bound on staleness for changes that bypass the version bump
RETRY_AFTER = 10  # seconds to leave a failing cache alone

_retry_at = 0.0  # time.monotonic() before which the cache is not tried (process-local)


def bump_public_data_version() -> None:
    """Makes every cached public page stale. Call whenever public group or contact point data
    changes. Bumps now and again when the surrounding transaction commits, so a request that
    read the old rows before the commit cannot keep them cached under the new version."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (first use, eviction, restart)
            cache.set(VERSION_KEY, time.time_ns(), None)
    except Exception as exc:  # noqa: BLE001 - the cache must never break a save
        _cache_failed("bump", exc)


def public_data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Time-based, so a lost key never brings back a version that has been used before.
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def public_cache(view):
    """Caches a public page's response for anonymous visitors (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request) or time.monotonic() < _retry_at:
            return view(request, *args, **kwargs)
        try:
            key = _page_key(request, public_data_version())
            cached = cache.get(key)
        except Exception as exc:  # noqa: BLE001 - fail open
            _cache_failed(view.__name__, exc)
            return view(request, *args, **kwargs)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            try:
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TTL)
            except Exception as exc:  # noqa: BLE001 - fail open
                _cache_failed(view.__name__, exc)
        return response

    return wrapper


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


def _page_key(request: HttpRequest, version: int) -> str:
    query = urlencode(
        sorted((key, value) for key, values in request.GET.lists() for value in values)
    )
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"public-page:{version}:{translation.get_language()}:{digest}"


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
