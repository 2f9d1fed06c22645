"""Every page names its icon, and the icon files exist (no 404 for /favicon.ico per page)."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_links_an_icon_that_exists(client):
    html = client.get("/").content.decode()

    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert len(icons) == 2
    for href in icons:
        assert href.startswith(settings.STATIC_URL)
        assert finders.find(href.removeprefix(settings.STATIC_URL)), href


def test_the_ico_file_is_an_icon():
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"
