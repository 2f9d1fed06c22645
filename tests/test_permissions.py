"""The permission matrix: every URL the project serves, with the status each persona gets.

A URL pattern that is missing here fails `test_every_url_is_in_the_matrix`. Someone with no
relation to an object gets 404, never a 403 that reveals it exists.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import (
    factories,
    permissions_district,
    permissions_events,
    permissions_materials,
    permissions_newsletter,
    permissions_workspace,
)

PERSONAS = factories.PERSONAS


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def logged_in(status: int, *, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def logged_out(status: int, *, logged_in_status: int = 302) -> dict[str, int]:
    return {**everyone(logged_in_status), "anonymous": status}


# name -> (kwargs builder or None, {persona: status}) for a GET.
MATRIX: dict[str, tuple] = {
    "health": (None, everyone(200)),
    "home": (None, everyone(200)),
    "about-data": (None, everyone(200)),
    "privacy": (None, everyone(200)),
    "staff-home": (None, logged_in(200)),
    "audit-log": (None, {**logged_in(404), "national_admin": 200}),
    # allauth: accounts are given, never self-made; the staff pages need a login.
    "account_login": (None, logged_out(200)),
    "account_logout": (None, logged_in(200)),
    "account_inactive": (None, everyone(200)),
    "account_signup": (None, logged_out(200)),
    "account_reauthenticate": (None, logged_in(200)),
    # allauth 65.22: confirm who you are with a code sent by email instead of the password.
    "account_request_reauthentication_code": (None, logged_in(200)),
    "account_confirm_reauthentication_code": (None, logged_in(302)),
    "account_email": (None, logged_in(200)),
    "account_email_verification_sent": (None, everyone(200)),
    "account_change_password": (None, logged_in(200)),
    "account_set_password": (None, logged_in(302)),
    "account_reset_password": (None, everyone(200)),
    "account_reset_password_done": (None, everyone(200)),
    "account_reset_password_from_key_done": (None, everyone(200)),
    "account_confirm_login_code": (None, logged_out(302)),
    "account_confirm_email": (lambda o: {"key": "not-a-real-key"}, everyone(200)),
    "account_reset_password_from_key": (
        lambda o: {"uidb36": "zz", "key": "not-a-real-key"},
        everyone(200),
    ),
    # allauth.mfa (selvhjelp/mfa.py): the test users have an authenticator app; changing it asks
    # for the password again (302 to reauthenticate); recovery codes exist only once generated.
    "mfa_index": (None, logged_in(200)),
    "mfa_authenticate": (None, everyone(302)),
    "mfa_reauthenticate": (None, logged_in(200)),
    "mfa_activate_totp": (None, everyone(302)),
    "mfa_deactivate_totp": (None, everyone(302)),
    "mfa_generate_recovery_codes": (None, everyone(302)),
    "mfa_view_recovery_codes": (None, logged_in(404)),
    "mfa_download_recovery_codes": (None, logged_in(404)),
    # Public pages.
    "groups:group-search": (None, everyone(200)),
    "groups:what-is-self-help": (None, everyone(200)),
    "groups:group-detail": (lambda o: {"slug": o["group"].slug}, everyone(200)),
    "groups:interest-create": (None, everyone(200)),
    "groups:interest-create-for-group": (lambda o: {"slug": o["group"].slug}, everyone(200)),
    "groups:interest-thanks": (None, everyone(200)),
    # A withdraw link that is not valid gets a calm page, not an error.
    "groups:interest-withdraw": (lambda o: {"token": "tampered"}, everyone(200)),
    "contactpoints:contactpoint-search": (None, everyone(200)),
    "contactpoints:contactpoint-detail": (
        lambda o: {"slug": o["contact_point"].slug},
        everyone(200),
    ),
}

# Object-level refusals: (name, kwargs builder, {persona: status}).
HIDDEN_OBJECTS = [
    ("groups:group-detail", lambda o: {"slug": o["unpublished_group"].slug}, everyone(404)),
    ("groups:group-detail", lambda o: {"slug": "finnes-ikke"}, everyone(404)),
    (
        "groups:interest-create-for-group",
        lambda o: {"slug": o["unpublished_group"].slug},
        everyone(404),
    ),
    (
        "contactpoints:contactpoint-detail",
        lambda o: {"slug": o["unpublished_contact_point"].slug},
        everyone(404),
    ),
]


for _module in (
    permissions_workspace,
    permissions_district,
    permissions_events,
    permissions_materials,
    permissions_newsletter,
):
    MATRIX.update(_module.ROWS)
    HIDDEN_OBJECTS.extend(_module.HIDDEN)


def _walk(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _project_url_names() -> set[str]:
    # The Django admin has its own permission system (is_staff + model permissions).
    return {name for name in _walk(get_resolver().url_patterns) if not name.startswith("admin:")}


def test_every_url_is_in_the_matrix():
    names = _project_url_names()
    assert None not in names, "every URL pattern needs a name"
    missing = names - MATRIX.keys()
    assert not missing, f"URLs missing from the permission matrix: {sorted(missing)}"
    stale = MATRIX.keys() - names
    assert not stale, f"matrix rows for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def objects(db, contact_point):
    unpublished_cp = factories.make_contact_point("Skjult kontaktpunkt", is_published=False)
    objects = {
        "contact_point": contact_point,
        "group": factories.make_group(contact_point, name="Sorggruppe Dombås"),
        "unpublished_group": factories.make_group(
            contact_point, name="Ikke godkjent", is_published=False
        ),
        "unpublished_contact_point": unpublished_cp,
    }
    for module in (
        permissions_workspace,
        permissions_district,
        permissions_events,
        permissions_materials,
        permissions_newsletter,
        permissions_newsletter,
    ):
        objects.update(module.extra_objects(objects))
    return objects


def _cases():
    for name, (kwargs, statuses) in MATRIX.items():
        for persona, status in statuses.items():
            yield pytest.param(name, kwargs, persona, status, id=f"{name}-{persona}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "persona", "status"), list(_cases()))
def test_matrix(request, persona_client, objects, name, kwargs, persona, status):
    # Every persona's fixture must exist for the relations to be in place.
    for other in PERSONAS[1:]:
        request.getfixturevalue(other)
    url = reverse(name, kwargs=kwargs(objects) if kwargs else None)
    response = persona_client(persona).get(url)
    assert response.status_code == status, f"{persona} GET {url}"
    if status == 302 and persona == "anonymous" and not name.startswith("account_"):
        assert response["Location"].startswith("/konto/login/")


# The staff areas, named here independently of selvhjelp/mfa.py so that the test checks it.
STAFF_URLS = sorted(
    name
    for name in MATRIX
    if name.startswith(
        (
            "workspace:",
            "district:",
            "newsletter:issue-",
            "events:national-",
            "materials:fulfilment-",
            "materials:stock-",
            "materials:figures",
        )
    )
    or name
    in {
        "staff-home",
        "audit-log",
        "newsletter:staff-subscribe",
        "events:my-certificates",
        "events:my-certificate-pdf",
    }
)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_staff_pages_need_an_authenticator_app(request, persona_client, objects, persona):
    """ASVS 6.3.3: without a second factor no staff page opens, whatever the role; the public
    pages and the account pages (where the app is set up) still do."""
    for other in PERSONAS[1:]:
        request.getfixturevalue(other)
    Authenticator.objects.filter(user=request.getfixturevalue(persona)).delete()
    client = persona_client(persona)
    assert len(STAFF_URLS) > 30

    for name in [*STAFF_URLS, "admin:index"]:
        kwargs = MATRIX[name][0] if name in MATRIX else None
        url = reverse(name, kwargs=kwargs(objects) if kwargs else None)
        response = client.get(url)
        assert response.status_code == 302, f"{persona} GET {url}"
        # Logged in with a password alone: the app is set up from an emailed link only.
        assert response["Location"] == "/konto/password/reset/", f"{persona} GET {url}"
    for name in ["home", "groups:group-search", "account_email", "mfa_index"]:
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kwargs", "statuses"),
    [pytest.param(*case, id=f"{case[0]}-{i}") for i, case in enumerate(HIDDEN_OBJECTS)],
)
def test_objects_outside_your_reach_are_404(
    request, persona_client, objects, name, kwargs, statuses
):
    url = reverse(name, kwargs=kwargs(objects))
    for persona, status in statuses.items():
        if persona != "anonymous":
            request.getfixturevalue(persona)
        assert persona_client(persona).get(url).status_code == status, f"{persona} GET {url}"
