"""The group page sets no CSRF cookie for anonymous visitors and is kept in the public cache;
the sign-up form it carries is protected by the origin check (selvhjelp/origin.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import Interest
from tests import factories


@pytest.fixture
def group(contact_point, sorg):
    return factories.make_group(contact_point, topics=[sorg], name="Sorggruppe Dombås")


def _data(topic) -> dict:
    return {
        "name": "Kanari Testesen",
        "email": "kanari@example.test",
        "phone": "",
        "topic": topic.pk,
        "place": "2660",
        "preferred_format": "",
        "note": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
        "website": "",
    }


def test_an_anonymous_group_page_sets_no_cookie_and_is_public(client, group):
    response = client.get(group.get_absolute_url())

    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


def test_the_second_anonymous_visit_comes_from_the_cache(client, group, django_assert_num_queries):
    client.get(group.get_absolute_url(), {"fra": "sted=2660"})

    with django_assert_num_queries(0):
        response = client.get(group.get_absolute_url(), {"fra": "sted=2660", "utm": "x"})

    assert response.status_code == 200
    assert "Sorggruppe Dombås" in response.content.decode()


def test_a_signed_in_visitor_gets_no_public_cache(client, group, cp_user):
    client.force_login(cp_user)

    response = client.get(group.get_absolute_url())

    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
    ids=["fetch-cross-site", "fetch-same-site", "foreign-origin", "null-origin"],
)
@pytest.mark.parametrize("url_name", ["interest-create-for-group", "interest-create"])
def test_a_cross_site_sign_up_is_refused_and_nothing_saved(group, sorg, headers, url_name):
    client = Client(enforce_csrf_checks=True)
    url = reverse(f"groups:{url_name}", **({"args": [group.slug]} if "group" in url_name else {}))

    response = client.post(url, _data(sorg), **headers)

    assert response.status_code == 403
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},
    ],
    ids=["fetch-same-origin", "own-origin", "no-browser-headers"],
)
def test_a_same_origin_sign_up_from_the_cached_page_works_without_a_token(
    group, sorg, headers, django_capture_on_commit_callbacks
):
    client = Client(enforce_csrf_checks=True)
    page = client.get(group.get_absolute_url())
    assert "csrftoken" not in page.cookies

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:interest-create-for-group", args=[group.slug]),
            _data(sorg),
            **headers,
        )

    assert response.status_code == 302
    assert Interest.objects.get().group == group
