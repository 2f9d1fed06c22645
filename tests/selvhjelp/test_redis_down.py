"""With Redis down, the portal keeps answering: staff log in, the public pages and the interest
form work, and the cache (with every rate limit on it) fails open without making each request
wait for Redis (selvhjelp.cache.FailOpenRedisCache, the production cache backend)."""

from __future__ import annotations

import os
import socket
import time

import pytest
import redis.connection
from django.core.cache import cache

from groups.consent import CURRENT_CONSENT_VERSION
from selvhjelp import cache as selvhjelp_cache
from selvhjelp import settings as project_settings
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis)"),
]

PUBLIC_PAGES = ["/", "/grupper/", "/grupper/?sted=2660", "/kontaktpunkter/", "/om-dataene/"]
INTEREST_URL = "/grupper/meld-interesse/"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _use_cache(settings, location: str) -> None:
    """The production cache configuration (REDIS_URL set), pointed at `location`."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**project_settings.CACHES["default"], "LOCATION": location},
    }


@pytest.fixture
def connection_attempts(monkeypatch):
    monkeypatch.setattr(selvhjelp_cache, "_redis_down_until", {})
    monkeypatch.setattr(selvhjelp_cache, "_retry_at", 0.0)
    attempts = []
    connect = redis.connection.Connection._connect

    def counting_connect(self):
        attempts.append(self.port)
        return connect(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counting_connect)
    return attempts


@pytest.fixture
def redis_down(settings, connection_attempts):
    port = _closed_port()
    _use_cache(settings, f"redis://127.0.0.1:{port}/0")
    return port


def _interest(topic, n: int) -> dict:
    return {
        "name": f"Person {n}",
        "email": f"person{n}@example.test",
        "phone": "",
        "topic": topic.pk,
        "place": "2660",
        "preferred_format": "",
        "note": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
        "website": "",
    }


def _post_interests(client, topic, first: int, count: int) -> list[float]:
    seconds = []
    for n in range(first, first + count):
        start = time.perf_counter()
        response = client.post(INTEREST_URL, _interest(topic, n), REMOTE_ADDR=f"203.0.113.{n}")
        seconds.append(time.perf_counter() - start)
        assert response.status_code == 302, response.content.decode()[:2000]
    return seconds


def test_staff_log_in_with_password_and_code_while_redis_is_down(client, redis_down, cp_user):
    response = client.post(
        "/konto/login/", {"login": cp_user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    response = client.post("/konto/2fa/authenticate/", {"code": factories.totp_code()})

    assert response["Location"] == "/mitt-arbeid/"
    assert client.get("/mitt-arbeid/").status_code == 200


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_the_public_pages_answer_while_redis_is_down(client, redis_down, contact_point, url):
    assert client.get(url).status_code == 200


def test_the_interest_form_takes_no_longer_with_redis_down_and_tries_it_once(
    client, settings, connection_attempts, contact_point
):
    topic = factories.make_topic("Sorg")
    _use_cache(settings, os.environ["REDIS_URL"])
    cache.clear()
    _post_interests(client, topic, 1, 2)  # warm up: templates, connections
    up = sorted(_post_interests(client, topic, 10, 5))[2]

    port = _closed_port()
    _use_cache(settings, f"redis://127.0.0.1:{port}/0")
    assert client.get(INTEREST_URL).status_code == 200
    down = sorted(_post_interests(client, topic, 20, 5))[2]

    # Every request touches the cache several times (rate limits, the page cache): once Redis
    # has failed, the process leaves it alone for a few seconds instead of trying each time.
    assert connection_attempts.count(port) == 1
    assert down < 5 * up, (down, up)


def test_the_cache_tries_redis_again_after_a_few_seconds(
    redis_down, connection_attempts, monkeypatch
):
    cache.set("a", 1)
    assert cache.get("a") is None
    assert cache.add("b", 1) is True  # fails open: a rate limit lets the request through
    assert connection_attempts.count(redis_down) == 1

    now = time.monotonic()
    monkeypatch.setattr(selvhjelp_cache.time, "monotonic", lambda: now + 6)
    cache.get("a")

    assert connection_attempts.count(redis_down) == 2


def test_a_redis_that_does_not_answer_holds_up_one_request_only(
    client, settings, connection_attempts, contact_point
):
    # A host that takes the connection but never answers (a hung Redis), not a refusal.
    topic = factories.make_topic("Sorg")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        _use_cache(settings, f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
        seconds = _post_interests(client, topic, 30, 4)

    timeout = project_settings.CACHES["default"]["OPTIONS"]["socket_timeout"]
    assert seconds[0] < timeout + 1
    assert max(seconds[1:]) < timeout / 2, seconds
