"""Our own 400, 403, 404, 500 and CSRF pages: the portal's layout, both languages, a way on,
the crisis line. The 500 page must render with the database out of reach."""

from __future__ import annotations

import pytest
from django.test import Client

CRISIS_NB = "116 123"
ERROR_URLS = "tests.selvhjelp.error_urls"


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = ERROR_URLS


def _assert_in_our_layout(html: str) -> None:
    assert "Hopp til innholdet" in html or "Skip to content" in html  # base.html
    assert CRISIS_NB in html.split('id="main"', 1)[1].split("</main>", 1)[0]
    assert 'href="/"' in html or 'href="/en/"' in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_a_missing_page_is_ours_in_norwegian(client):
    response = client.get("/finnes-ikke/")

    assert response.status_code == 404
    html = response.content.decode()
    _assert_in_our_layout(html)
    assert "Vi fant ikke siden" in html
    assert '<html lang="nb">' in html
    assert 'href="/en/"' in html  # the language switch needs no working page


@pytest.mark.django_db
def test_a_missing_page_is_ours_in_english(client):
    response = client.get("/en/does-not-exist/")

    assert response.status_code == 404
    html = response.content.decode()
    _assert_in_our_layout(html)
    assert "We could not find the page" in html
    assert "Vi fant ikke siden" not in html


@pytest.mark.django_db
def test_a_refusal_is_ours_with_a_way_back_to_the_staff_pages(client, cp_user, failing_urls):
    client.force_login(cp_user)

    response = client.get("/test-403/")

    assert response.status_code == 403
    html = response.content.decode()
    _assert_in_our_layout(html)
    assert "Du har ikke tilgang til denne siden" in html
    assert 'href="/mitt-arbeid/"' in html
    assert "403 Forbidden" not in html


@pytest.mark.django_db
def test_a_refusal_in_english(client, failing_urls):
    html = client.get("/en/test-403/").content.decode()

    assert "You do not have access to this page" in html


def test_the_server_error_page_needs_no_database(failing_urls):
    """No django_db mark: pytest-django makes any database query fail in this test."""
    client = Client(raise_request_exception=False)

    response = client.get("/test-500/")

    assert response.status_code == 500
    html = response.content.decode()
    _assert_in_our_layout(html)
    assert "Noe gikk galt hos oss" in html

    english = client.get("/en/test-500/").content.decode()
    assert "Something went wrong on our side" in english


@pytest.mark.django_db
def test_a_failed_csrf_check_is_explained_in_norwegian():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/bli-kontaktpunkt/", {"organisation": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    _assert_in_our_layout(html)
    assert "Skjemaet ble ikke sendt" in html
    assert "CSRF" not in html


@pytest.mark.django_db
def test_a_bad_request_is_ours(client, settings):
    response = client.get("/", HTTP_HOST="ukjent.example")  # not in ALLOWED_HOSTS

    assert response.status_code == 400
    _assert_in_our_layout(response.content.decode())
