"""A tiny fixed-window rate limiter on Django's cache.

It fails open: when the cache is unreachable (Redis down), public forms keep working and a
warning is logged. Keys are hashed before they reach the cache, so neither IP addresses nor
email addresses are stored there in clear text.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


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
