"""Cross-site request protection without a token, for public forms on cacheable pages.

A CSRF token is a cookie per visitor, and a page that sets one cannot be kept in the shared
cache. The group page's sign-up form therefore carries no token; the view that receives it
refuses a POST a browser sent from another site instead, the way browsers let a server tell:
`Sec-Fetch-Site` (sent by every current browser) must say same-origin (or "none": typed or
bookmarked), else `Origin` must be our own origin or one of CSRF_TRUSTED_ORIGINS. A request
with neither header does not come from a browser of recent years, so it cannot be a forged
cross-site request (the same rule as Go's CrossOriginProtection). The form's honeypot and the
rate limits per address and per e-mail address stay as they were."""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
SAME_SITE_FETCH = ("same-origin", "none")


def is_same_origin(request: HttpRequest) -> bool:
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site in SAME_SITE_FETCH
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def same_origin_post(view):
    """Takes the view out of Django's token check and refuses cross-site POSTs (403, the
    ordinary CSRF failure page) before the view runs."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in SAFE_METHODS and not is_same_origin(request):
            # The path only: no form data, no address.
            logger.warning("cross-site POST refused: %s", request.path)
            failure_view = import_string(settings.CSRF_FAILURE_VIEW)
            return failure_view(request, reason="cross-site request refused")
        return view(request, *args, **kwargs)

    return wrapper
