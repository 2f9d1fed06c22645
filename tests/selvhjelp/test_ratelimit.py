"""Rate limits count per client: X-Forwarded-For is read only as far as TRUSTED_PROXY_COUNT
says proxies stand in front of the portal, and never from the client's own part of it."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.test import RequestFactory

from selvhjelp import ratelimit
from tests.factories import database_url
from tests.selvhjelp.test_settings import _run

PROXY = "10.0.0.2"  # REMOTE_ADDR behind the TLS proxy
CLIENT = "198.51.100.7"
OTHER_CLIENT = "198.51.100.8"
SPOOFED = "203.0.113.66"


def request_from(remote_addr: str, forwarded: str | None = None):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().post("/", REMOTE_ADDR=remote_addr, **headers)


def test_it_ignores_a_spoofed_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert ratelimit.client_ip(request_from(CLIENT, SPOOFED)) == CLIENT


def test_it_takes_the_right_most_entry_behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client sent "SPOOFED" itself; the proxy appended the address it saw.
    assert ratelimit.client_ip(request_from(PROXY, f"{SPOOFED}, {CLIENT}")) == CLIENT
    assert ratelimit.client_ip(request_from(PROXY, CLIENT)) == CLIENT


def test_it_takes_the_second_entry_from_the_right_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    forwarded = f"{SPOOFED}, {CLIENT}, 10.0.0.1"

    assert ratelimit.client_ip(request_from(PROXY, forwarded)) == CLIENT


@pytest.mark.parametrize("forwarded", [None, "", CLIENT])
def test_it_falls_back_to_remote_addr_when_the_header_is_too_short(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2

    assert ratelimit.client_ip(request_from(PROXY, forwarded)) == PROXY


def test_it_falls_back_to_remote_addr_when_the_chosen_entry_is_empty(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert ratelimit.client_ip(request_from(PROXY, f"{CLIENT}, ")) == PROXY


def _allowed(request, limit: int = 2) -> bool:
    return ratelimit.hit(f"test:ip:{ratelimit.client_ip(request)}", limit, 60)


def test_it_counts_each_client_behind_the_proxy_on_its_own(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _allowed(request_from(PROXY, CLIENT))
    assert _allowed(request_from(PROXY, CLIENT))
    assert not _allowed(request_from(PROXY, CLIENT))
    # Another visitor arrives through the same proxy, with a budget of their own.
    assert _allowed(request_from(PROXY, OTHER_CLIENT))


def test_a_client_cannot_escape_its_limit_by_forging_the_header(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    for n in range(2):
        assert _allowed(request_from(PROXY, f"192.0.2.{n}, {CLIENT}"))

    assert not _allowed(request_from(PROXY, f"192.0.2.99, {CLIENT}"))


def test_a_spoofed_header_does_not_give_a_fresh_budget_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert _allowed(request_from(CLIENT, "192.0.2.1"))
    assert _allowed(request_from(CLIENT, "192.0.2.2"))

    assert not _allowed(request_from(CLIENT, "192.0.2.3"))


def test_it_never_logs_the_client_address(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from(PROXY, f"{SPOOFED}, {CLIENT}")

    with (
        caplog.at_level(logging.DEBUG),
        mock.patch.object(ratelimit.cache, "add", side_effect=ConnectionError(CLIENT)),
    ):
        assert _allowed(request)

    assert caplog.records  # the cache failure is logged ...
    assert CLIENT not in caplog.text and SPOOFED not in caplog.text  # ... without the address


@pytest.mark.parametrize(("value", "message"), [("one", "whole number"), ("-1", "0 or more")])
def test_a_bad_trusted_proxy_count_stops_the_start(value, message):
    result = _run(["check"], DATABASE_URL=database_url(), TRUSTED_PROXY_COUNT=value)

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr and message in result.stderr


def _failed_login(client, n: int, forwarded: str) -> bool:
    """One failed login; True when allauth refused it for too many failed attempts."""
    response = client.post(
        "/konto/login/",
        {"login": f"ukjent{n}@example.test", "password": "feil-passord"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors().as_data()
    return any(error.code == "too_many_login_attempts" for error in errors)


@pytest.mark.django_db
def test_one_clients_failed_logins_do_not_lock_out_the_others_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # allauth allows 10 failed logins a minute per address: the 11th is refused.
    refused = [_failed_login(client, n, CLIENT) for n in range(11)]
    assert refused == [False] * 10 + [True]

    assert not _failed_login(client, 99, OTHER_CLIENT)


@pytest.mark.django_db
def test_the_login_limit_still_holds_for_a_client_forging_the_header(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        _failed_login(client, n, f"{SPOOFED}, {CLIENT}")

    assert _failed_login(client, 10, f"{OTHER_CLIENT}, {CLIENT}")
