"""Test data made through the real models, with obviously fake ("canary") personal data."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.test import Client
from django.utils.text import slugify

from contactpoints.models import ContactPoint, ContactPointMembership
from groups.models import Group, Topic
from selvhjelp.models import DistrictOffice, DistrictOfficeMembership, PostalCode, User

_seq = itertools.count(1)
PASSWORD = "test-password-1234"
# The authenticator app secret every test user has unless told otherwise (base32, as apps use).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
# The persona fixtures of tests/conftest.py, from no access to the most.
PERSONAS = [
    "anonymous",
    "outsider",
    "facilitator_user",
    "cp_user",
    "district_user",
    "national_admin",
]


def make_user(email: str | None = None, *, authenticator_app: bool = True, **extra) -> User:
    """A user with a verified email and, like every staff account in production, an
    authenticator app (selvhjelp/mfa.py); `totp_code()` gives its current code."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    email = email or f"user{next(_seq)}@example.test"
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if authenticator_app:
        TOTP.activate(user, TOTP_SECRET)
    return user


def logged_in_client(user: User) -> Client:
    """A test client logged in as `user`: no password, no second step (force_login)."""
    client = Client()
    client.force_login(user)
    return client


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows right now for `secret`."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def make_contact_point(name: str | None = None, postcode: str = "2660", **extra) -> ContactPoint:
    name = name or f"Kontaktpunkt {next(_seq)}"
    postal = PostalCode.objects.get(code=postcode)
    defaults = {
        "slug": slugify(name),
        "host_organisation": name,
        "host_kind": ContactPoint.HostKind.VOLUNTEER_CENTRE,
        "postal_code": postal,
        "municipality": postal.municipality,
        "email": "post@kontaktpunkt.example",
    }
    defaults.update(extra)
    contact_point = ContactPoint.objects.create(name=name, **defaults)
    contact_point.municipalities_served.add(postal.municipality)
    return contact_point


def make_topic(name: str = "Sorg", **extra) -> Topic:
    topic, _ = Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name, **extra})
    return topic


def make_group(contact_point: ContactPoint, *, topics: list[Topic] | None = None, **extra) -> Group:
    name = extra.pop("name", None) or f"Gruppe {next(_seq)}"
    defaults = {
        "slug": slugify(name),
        "municipality": contact_point.municipality,
        "public_area": contact_point.municipality.name,
        "is_published": True,
        "status": Group.Status.RUNNING,
        "weekday": 2,
        "venue_address": "Hemmeligveien 1",
    }
    defaults.update(extra)
    group = Group.objects.create(name=name, contact_point=contact_point, **defaults)
    group.topics.set(topics or [make_topic()])
    return group


def add_contact_point_member(user: User, contact_point: ContactPoint) -> None:
    ContactPointMembership.objects.create(user=user, contact_point=contact_point)


def add_district_office_member(user: User, office: DistrictOffice) -> None:
    DistrictOfficeMembership.objects.create(user=user, district_office=office)


def database_url() -> str:
    """The URL of the database the tests run on, for a subprocess (a worker, manage.py)."""
    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"], safe="") if s["HOST"].startswith("/") else s["HOST"]
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{s['USER']}:{quote(s['PASSWORD'] or '')}@{host}{port}/{s['NAME']}"


def start_celery_worker(env: dict, *, loglevel: str = "INFO", **popen) -> subprocess.Popen:
    """A real Celery worker in a subprocess (one process, no gossip or heartbeats, so it starts
    fast and is easy to kill), run from the project folder with `env`."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "selvhjelp",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            f"--loglevel={loglevel}",
        ],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        **popen,
    )


def plan_data(topic, facilitator=None, interests=(), **overrides) -> dict:
    """What staff post on "Planlegg en gruppe" for a group in Dombås."""
    data = {
        "name": "Sorggruppe Dombås høst",
        "topics": [topic.pk],
        "audience": "alle",
        "format": "fysisk",
        "description": "En gruppe for deg som har mistet noen.",
        "weekday": "2",
        "start_time": "18:00",
        "frequency": "ukentlig",
        "starts_on": "2026-12-01",
        "municipality": "3431",
        "public_area": "Dombås sentrum",
        "public_postcode": "",
        "venue_address": "Hemmeligveien 1",
        "facilitators": [facilitator.pk] if facilitator else [],
        "interests": [i.pk for i in interests],
    }
    return {**data, **overrides}


def application_data(**overrides) -> dict:
    """What a volunteer centre in Lesja posts on /bli-kontaktpunkt/."""
    data = {
        "organisation": "Lesja frivilligsentral",
        "host_kind": "frivilligsentral",
        "street_address": "Storgata 1",
        "postcode": "2660",
        "municipalities": "Dovre, Lesja",
        "contact_name": "Sara Søker",
        "contact_email": "sara@example.test",
        "contact_phone": "912 34 567",
        "message": "Vi har lokaler og frivillige.",
        "website": "",
    }
    return {**data, **overrides}
