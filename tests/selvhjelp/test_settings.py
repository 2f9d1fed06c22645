"""Production mode refuses to start without what it needs, and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import database_url

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "EMAIL_HOST",
    "REDIS_URL",
}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "Zq8!pL2@vN5#xR7$" + "abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "selvhjelp.example",
        "SITE_URL": "https://selvhjelp.example",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "smtp.selvhjelp.example",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }


@pytest.mark.django_db
def test_check_deploy_passes_with_production_variables():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
        ("DATABASE_URL", "DATABASE_URL"),
        ("EMAIL_HOST", "EMAIL_HOST"),
        ("REDIS_URL", "REDIS_URL"),
    ],
)
def test_production_mode_refuses_to_start_without(missing, message):
    env = _production_env()
    del env[missing]
    result = _run(["check"], **env)
    assert result.returncode != 0
    assert "production mode" in result.stderr
    assert message in result.stderr


def test_a_bad_boolean_is_refused_with_a_clear_message():
    result = _run(["check"], DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_production_responses_carry_the_security_headers(client, settings):
    response = client.get("/om-dataene/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Permissions-Policy"].startswith("geolocation=(self), ")


def test_the_permissions_policy_allows_only_our_own_geolocation(client):
    policy = client.get("/om-dataene/")["Permissions-Policy"]

    features = dict(item.split("=", 1) for item in policy.split(", "))
    assert features.pop("geolocation") == "(self)"
    assert features  # the rest are named, so they are off rather than left to the default
    assert set(features.values()) == {"()"}
    assert {"camera", "microphone", "payment"} <= set(features)


@pytest.mark.django_db
def test_the_health_check_answers_plain_http_while_other_pages_go_to_https():
    """A load balancer talking to the app directly, without the TLS proxy's header."""
    script = (
        "from django.test import Client; c = Client(HTTP_HOST='selvhjelp.example');"
        "print('status', c.get('/helse/').status_code, c.get('/om-dataene/').status_code)"
    )
    result = _run(["shell", "-c", script], **_production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["status", "200", "301"], result.stdout
