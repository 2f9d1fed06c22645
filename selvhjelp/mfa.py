"""Two-factor login for staff (ASVS 5.0 L2, 6.3.3).

Every account in the portal is a staff account (there is no public signup), and the staff areas
show sensitive data. With `STAFF_MFA_REQUIRED` on, an account without an authenticator app is
sent to set one up before it may open a staff page. Once it has one, allauth asks for a code at
every login (the password alone is not enough), and Django's own admin login is routed through
allauth's (see selvhjelp/urls.py), so there is no way around the second factor.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

# The staff areas: everything behind a login that is not the account pages themselves.
STAFF_NAMESPACES = {"workspace", "district", "admin"}
STAFF_URL_NAMES = {"staff-home", "audit-log"}


def is_staff_url(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    return bool(STAFF_NAMESPACES.intersection(match.namespaces)) or (
        match.url_name in STAFF_URL_NAMES and not match.namespaces
    )


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.STAFF_MFA_REQUIRED or not request.user.is_authenticated:
            return None
        # Recovery codes alone are no app: they are for when the phone is lost.
        if not is_staff_url(request) or is_mfa_enabled(request.user, [Authenticator.Type.TOTP]):
            return None
        messages.info(
            request,
            _(
                "Før du kan bruke arbeidsflaten, må du slå på innlogging i to trinn. "
                "Det beskytter opplysningene til dem som tar kontakt."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
