"""Pre-warming the public page cache after a data change (see selvhjelp/cache.py).

Apart from cache.py so that the Celery task can call it without an import cycle
(cache → tasks → prewarm)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

PREWARM_QUEUED_KEY = "public-prewarm-queued"
PREWARM_DEBOUNCE = 30  # seconds: one pre-warm for a burst of changes (e.g. an import)


def prewarm_public_pages() -> int:
    """Renders each common search once as an anonymous visitor, which stores it under the
    current data version. Returns how many pages were stored or already there."""
    from django.test import Client  # the whole middleware stack, as a visitor's request

    cache.delete(PREWARM_QUEUED_KEY)  # a change from now on schedules another round
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    # A page that fails is left for its first visitor; the others are still warmed.
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    warmed = 0
    for path in settings.PUBLIC_CACHE_PREWARM:
        response = client.get(path, secure=True)
        warmed += response.status_code == 200
        client.cookies.clear()  # each one as a first visit
    return warmed
