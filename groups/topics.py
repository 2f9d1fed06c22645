"""The topic list held in memory per public data version (selvhjelp.cache): the search form's
options, its validation and every result row's topic names come from here, not from a query
per request. Topic.save()/delete() bump the version, so an edit shows at once."""

from __future__ import annotations

import time

from django.http import HttpRequest

from groups.models import Topic
from selvhjelp.cache import PAGE_TTL, public_data_version

# Bounded: one entry per distinct set of search filters would otherwise grow without end.
MAX_HELD = 500

_held: dict[str, tuple[int, float, object]] = {}


def current_version(request: HttpRequest | None = None) -> int | None:
    """The public data version, or None when the cache cannot say (then nothing is held: the
    search must work with the cache down). For a request `public_cache` is rendering, the
    version its page will be kept under (selvhjelp/cache.py), without reading it again."""
    version = getattr(request, "public_data_version", None)
    if version is not None:
        return version
    try:
        return public_data_version()
    except Exception:  # noqa: BLE001 - fail open, as selvhjelp.cache does
        return None


def held(name: str, version: int | None, build):
    """`build()`'s value, kept in this process until the public data version changes, and at
    most PAGE_TTL seconds (the same bound as the page cache, for changes that bypass the
    version bump, such as SQL run by hand). For data that is the same for every visitor;
    nothing personal belongs here."""
    if version is None:
        return build()
    now = time.monotonic()
    kept = _held.get(name)
    if kept is not None and kept[0] == version and now - kept[1] < PAGE_TTL:
        return kept[2]
    value = build()
    if len(_held) >= MAX_HELD:
        _held.clear()
    _held[name] = (version, now, value)
    return value


def all_topics(version: int | None = None) -> list[Topic]:
    """Every topic, in the list's order."""
    if version is None:
        version = current_version()
    return held("topics", version, lambda: list(Topic.objects.all()))


def topics_by_id(version: int | None = None) -> dict[int, Topic]:
    if version is None:
        version = current_version()
    return held("topics-by-id", version, lambda: {t.pk: t for t in all_topics(version)})
