"""A tiny fixed-window rate limiter on Django's cache.

It fails open: when the cache is unreachable (Redis down), public forms keep working and a
warning is logged. Keys are hashed before they reach the cache, so neither IP addresses nor
email addresses are stored there in clear text. Per-client keys use `client_ip(request)`, never
REMOTE_ADDR directly: behind the TLS proxy REMOTE_ADDR is the proxy, the same for everyone.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for rate limits. Never log it.

    With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR and X-Forwarded-For is ignored,
    as anyone can send that header. Each trusted proxy appends the address it received the
    request from, so with N proxies the client is the N-th entry from the right; everything
    left of it came from the client and may be made up. A header shorter than that did not
    pass through all the proxies (or one is misconfigured): REMOTE_ADDR is used then.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",")] if forwarded else []
    if len(entries) < proxies:
        return remote_addr
    return entries[-proxies] or remote_addr


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key`. True while at most `limit` attempts fall in the window."""
    cache_key = "ratelimit:" + salted_hmac("selvhjelp.ratelimit", key).hexdigest()
    try:
        if cache.add(cache_key, 1, timeout=window_seconds):
            return limit >= 1
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the window expired between add() and incr(): start a new one
            cache.add(cache_key, 1, timeout=window_seconds)
            count = 1
    except Exception:
        # Never log the key: it is derived from an IP or email address.
        logger.warning("ratelimit: cache unavailable, letting the request through")
        return True
    return count <= limit
