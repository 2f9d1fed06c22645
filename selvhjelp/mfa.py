"""Two-factor login for staff (ASVS 5.0 L2, 6.3.3).

Every account in the portal is a staff account (there is no public signup), and the staff areas
show sensitive data. With `STAFF_MFA_REQUIRED` on, an account without an authenticator app is
sent to set one up before it may open a staff page. Once it has one, allauth asks for a code at
every login (the password alone is not enough), and Django's own admin login is routed through
allauth's (see selvhjelp/urls.py), so there is no way around the second factor.

An account without an app may set one up only in a session that came in through a link we
emailed (the invitation, or "Glemt passord": allauth's password reset, which then logs the
person in). Otherwise whoever first logs in with the password alone (a stolen or guessed one)
could enrol their own phone and own the account for good (trust on first use).
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
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
# The pages that add a second factor to an account (allauth.mfa's URL names).
ENROLMENT_URL_NAMES = {"mfa_activate_totp", "mfa_generate_recovery_codes", "mfa_add_webauthn"}


def staff_page(view):
    """Marks a staff page that lives among an app's public URLs (e.g. the national newsletter
    desk under /nyhetsbrev/redaksjon/). Put it outermost, above login_required."""
    view.staff_page = True
    return view


def is_staff_url(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    return (
        bool(STAFF_NAMESPACES.intersection(match.namespaces))
        or (match.url_name in STAFF_URL_NAMES and not match.namespaces)
        or getattr(match.func, "staff_page", False)
    )


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.STAFF_MFA_REQUIRED or not request.user.is_authenticated:
            return None
        enrolling = request.resolver_match.url_name in ENROLMENT_URL_NAMES
        if not (is_staff_url(request) or enrolling):
            return None
        # Recovery codes alone are no app: they are for when the phone is lost.
        if is_mfa_enabled(request.user, [Authenticator.Type.TOTP]):
            return None
        if not came_through_emailed_link(request):
            messages.info(
                request,
                _(
                    "For å slå på innlogging i to trinn trenger du en lenke fra oss på e-post. "
                    "Skriv e-postadressen din, så sender vi den."
                ),
            )
            return HttpResponseRedirect(reverse("account_reset_password"))
        if enrolling:
            return None
        messages.info(
            request,
            _(
                "Før du kan bruke arbeidsflaten, må du slå på innlogging i to trinn. "
                "Det beskytter opplysningene til dem som tar kontakt."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


def came_through_emailed_link(request: HttpRequest) -> bool:
    """True when this session logged in with a password reset link (the invitation is one), so
    the person has shown they read the account's email, not only that they know the password."""
    return any(
        record.get("method") == "password_reset"
        for record in get_authentication_records(request, request.user)
    )
