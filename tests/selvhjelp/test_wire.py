"""What goes over the wire: HTML compressed only where BREACH cannot reach a secret, static files
pre-compressed with Brotli and gzip, the favicon at the root, and the bytes of each public page."""

from __future__ import annotations

import gzip
import os

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from selvhjelp.weight import asset_bytes, linked_assets
from tests import factories
from tests.groups.conftest import bulk_groups

pytestmark = pytest.mark.django_db
SEARCH = reverse("groups:group-search")
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def sorg():
    return factories.make_topic("Sorg")


def html_of(response) -> bytes:
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


def test_an_anonymous_search_page_is_sent_compressed(client, contact_point, sorg):
    bulk_groups(contact_point, sorg, 30)
    plain = client.get(SEARCH, {"sted": "2660"})

    response = client.get(SEARCH, {"sted": "2660"}, **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert html_of(response) == plain.content
    assert len(response.content) < len(plain.content) / 3


def test_a_page_with_a_form_that_posts_is_not_compressed(client, contact_point):
    # A form with a CSRF token: BREACH territory.
    response = client.get(reverse("contactpoints:application-create"), **GZIP)

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_a_sign_up_form_shown_again_is_not_compressed(client, contact_point):
    # The interest form has no token (selvhjelp/origin.py) but shows again what the person
    # typed: a POST's answer is never compressed.
    response = client.post(
        reverse("groups:interest-create"), {"name": "Kanari Testesen", "email": "x"}, **GZIP
    )

    assert response.status_code == 200
    assert "Kanari Testesen" in response.content.decode()
    assert not response.has_header("Content-Encoding")


def test_a_logged_in_users_pages_are_not_compressed(client, cp_user, contact_point):
    client.force_login(cp_user)

    response = client.get(SEARCH, {"sted": "2660"}, **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_no_compression_without_accept_encoding(client, contact_point):
    response = client.get(SEARCH, {"sted": "2660"})

    assert not response.has_header("Content-Encoding")


def test_the_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert b"".join(response.streaming_content) == icon.read()


def test_collectstatic_writes_brotli_and_gzip_copies(settings, tmp_path):
    # Our own files and Bootstrap's compiled CSS only: compressing every package's files at
    # Brotli's best level takes over a minute, and the storage treats them all alike.
    css = finders.find("vendor/bootstrap/css/bootstrap.min.css")
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [
        settings.BASE_DIR / "static",
        ("vendor/bootstrap/css", _only(tmp_path / "bootstrap", css)),
    ]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    for name in ("vendor/bootstrap/css/bootstrap.min.css", "css/site.css", "js/search.js"):
        stem, dot, suffix = name.rpartition(".")
        hashed = [
            p for p in settings.STATIC_ROOT.glob(f"{stem}.*.{suffix}") if p.suffix == f".{suffix}"
        ]
        assert hashed, name
        for compressed in (".br", ".gz"):
            copy = hashed[0].with_name(hashed[0].name + compressed)
            assert copy.exists(), copy
            assert copy.stat().st_size < hashed[0].stat().st_size


def _only(directory, path: str):
    """A directory holding the file and the source map it references."""
    directory.mkdir()
    for name in (path, path + ".map"):
        with open(name, "rb") as source:
            (directory / os.path.basename(name)).write_bytes(source.read())
    return directory


# The budgets: every public page ≤ 100 KB on the wire without map tiles, the HTML
# ≤ 30 KB. Bytes, not time: the same on every machine.
PAGE_BUDGET = 100_000
HTML_BUDGET = 30_000


@pytest.mark.parametrize(
    "url",
    [
        "/",
        SEARCH,
        SEARCH + "?sted=2660",
        SEARCH + "?format=digital",
        reverse("groups:what-is-self-help"),
        reverse("contactpoints:contactpoint-search") + "?sted=2660",
        "group-page",
    ],
)
def test_a_public_page_with_a_full_result_page_stays_within_its_weight(
    client, contact_point, sorg, url
):
    bulk_groups(contact_point, sorg, 45)  # more than a page of results
    if url == "group-page":
        url = reverse("groups:group-detail", args=["massegruppe-1"])

    response = client.get(url, **GZIP)

    assert response.status_code == 200
    html = html_of(response).decode()
    total = len(response.content) + sum(asset_bytes(path) for path in linked_assets(html))
    assert "vendor/bootstrap/css/bootstrap.min.css" in linked_assets(html)
    assert len(response.content) <= HTML_BUDGET
    assert total <= PAGE_BUDGET, (url, total)
