"""What a page weighs on a first visit: the CSS and JavaScript it links, as WhiteNoise sends them
(Brotli). Used by the page-weight tests and by `manage.py benchmark_search`."""

from __future__ import annotations

import re
from pathlib import Path

import brotli
from django.conf import settings
from django.contrib.staticfiles import finders


def linked_assets(html: str) -> list[str]:
    """The static paths of the stylesheets and scripts a page loads (not images or map tiles)."""
    static = re.escape(settings.STATIC_URL)
    return re.findall(
        rf'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="{static}([^"?#]+)"', html
    )


def asset_bytes(path: str) -> int:
    """Brotli size of a static file: the collected .br WhiteNoise would send, or compressed
    here from the source when the files are not collected (development, tests)."""
    collected = Path(settings.STATIC_ROOT) / path
    compressed = collected.with_name(collected.name + ".br")
    if compressed.exists():
        return compressed.stat().st_size
    found = collected if collected.exists() else finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return len(brotli.compress(Path(found).read_bytes()))
