"""Personas and test-only settings. Every test runs on the real PostgreSQL (DATABASE_URL, or the
embedded one under .data/ when nothing is configured)."""

import pytest
from django.test import Client
from django.utils import translation

from contactpoints.models import Facilitator
from selvhjelp.celery import app as celery_app
from selvhjelp.models import DistrictOffice
from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tasks run in the test process; the real-worker test turns this off for itself.
    celery_app.conf.task_always_eager = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # As in production: staff pages need a second factor (factories give users an app).
    settings.STAFF_MFA_REQUIRED = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": settings.CACHES["fragments"],
    }
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()
    # No pre-warm after every save (tests/selvhjelp/test_cache_prewarm.py turns it on).
    settings.PUBLIC_CACHE_PREWARM = []
    # A request to /en/ leaves English active in the test's thread (LocaleMiddleware does not
    # switch back); start every test in the default language, as a new request would.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Places: Dombås (Dovre, Innlandet) and Oslo belong to different district offices.


@pytest.fixture
def contact_point(db):
    return factories.make_contact_point("Dombås frivilligsentral", postcode="2660")


@pytest.fixture
def other_contact_point(db):
    return factories.make_contact_point(
        "LINK Oslo", postcode="0182", host_kind="link", email="link@oslo.example"
    )


@pytest.fixture
def district_office(db):
    return DistrictOffice.objects.get(slug="innlandet")


@pytest.fixture
def other_district_office(db):
    return DistrictOffice.objects.get(slug="oslo")


# Personas ------------------------------------------------------------------------------------


@pytest.fixture
def national_admin(db):
    return factories.make_user(
        "admin@example.test", is_national_admin=True, is_staff=True, is_superuser=True
    )


@pytest.fixture
def district_user(db, district_office):
    user = factories.make_user("distrikt@example.test", name="Dina Distrikt")
    factories.add_district_office_member(user, district_office)
    return user


@pytest.fixture
def cp_user(db, contact_point):
    user = factories.make_user("kontaktpunkt@example.test", name="Kari Kontakt")
    factories.add_contact_point_member(user, contact_point)
    return user


@pytest.fixture
def facilitator_user(db, contact_point):
    user = factories.make_user("igangsetter@example.test", name="Ivar Igangsetter")
    facilitator = Facilitator.objects.create(name=user.name, user=user)
    facilitator.contact_points.add(contact_point)
    return user


@pytest.fixture
def outsider(db):
    return factories.make_user("utenfor@example.test", name="Ola Utenfor")


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def persona_client(request):
    """A logged-in client for a persona named by fixture ("anonymous" for none)."""

    def make(persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        return factories.logged_in_client(request.getfixturevalue(persona))

    return make


# Transactional tests (live server, real worker) empty every table when they end, including
# the geography the data migration loaded. Put it back so later tests see a migrated database.


def _load_geography_if_missing() -> None:
    from selvhjelp.geo import _known_names
    from selvhjelp.geodata import load_geography
    from selvhjelp.models import PostalCode

    if not PostalCode.objects.exists():
        load_geography()
        _known_names.cache_clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # A reused test database may have been emptied by an interrupted transactional test.
    with django_db_blocker.unblock():
        _load_geography_if_missing()


@pytest.fixture
def _geography_after_flush(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _load_geography_if_missing()


@pytest.fixture
def transactional_db(_geography_after_flush, transactional_db):
    _load_geography_if_missing()
    return transactional_db
