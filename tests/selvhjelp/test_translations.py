"""English is a whole second language: every string is in the English catalogue, the catalogue
matches the source, and English pages show no Norwegian interface text."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
SOURCE_DIRS = ["selvhjelp", "contactpoints", "groups", "events", "materials", "newsletter"]
SOURCE_DIRS += ["templates", "static"]


def _needs_gettext() -> None:
    """makemessages needs GNU gettext: skip without it locally, fail without it in CI."""
    if shutil.which("xgettext") and shutil.which("msgfmt"):
        return
    if os.environ.get("CI"):
        pytest.fail("CI is set but GNU gettext (xgettext, msgfmt) is missing", pytrace=False)
    pytest.skip("GNU gettext is not installed (apt-get install gettext)")


def _catalogue_key(entry: polib.POEntry) -> list:
    msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return [(msgid, 0), (msgid, 1)] if entry.msgid_plural else [msgid]


def _compiled_catalogue() -> dict:
    with MO_FILE.open("rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def test_every_string_in_the_catalogue_has_an_english_translation():
    catalogue = polib.pofile(str(PO_FILE))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 500


def test_the_catalogue_keeps_every_placeholder():
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    for entry in polib.pofile(str(PO_FILE)).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = sorted(set(placeholder.findall(entry.msgid + (entry.msgid_plural or ""))))
        for text in translations:
            assert sorted(set(placeholder.findall(text))) == expected, entry.msgid


@pytest.mark.django_db
def test_the_catalogue_matches_the_source_and_is_compiled(tmp_path, monkeypatch, settings):
    """Extract the strings afresh from a copy of the source: each one must be translated in
    the committed .mo, and the .mo must be what the committed .po compiles to. Fails when
    someone adds a string without `make messages`, or edits the .po without compiling."""
    _needs_gettext()
    ignore = shutil.ignore_patterns("__pycache__", "*.csv", "*.pyc", "vendor")
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=ignore)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["en"], verbosity=0)

    fresh = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    compiled = _compiled_catalogue()
    missing = [
        entry.msgid
        for entry in fresh
        if not all(compiled.get(key) for key in _catalogue_key(entry))
    ]
    assert len(fresh) > 500
    assert missing == [], "run `make messages` and translate the new strings"

    recompiled = tmp_path / "check.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(recompiled), str(PO_FILE)], check=True)  # noqa: S603, S607
    with recompiled.open("rb") as mo:
        assert gettext.GNUTranslations(mo)._catalog == compiled, "run `make messages`"


class _VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes outside script/style, plus the attributes
    that screen readers and browsers show."""

    SPOKEN_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.SPOKEN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def norwegian_left_in(text: str, msgids: list[str]) -> list[str]:
    """The msgids that appear in `text` as words of their own (not inside an email address)."""
    return [
        msgid
        for msgid in msgids
        if re.search(rf"(?<![\w@.-]){re.escape(msgid)}(?![\w@-]|\.\w)", text)
    ]


def _norwegian_interface_strings() -> list[str]:
    """Norwegian msgids long enough to be unmistakable and without placeholders or markup."""
    return [
        entry.msgid
        for entry in polib.pofile(str(PO_FILE)).translated_entries()
        if len(entry.msgid) >= 12
        and entry.msgid != entry.msgstr
        and not re.search(r"[%{}<\n]", entry.msgid)
    ]


@pytest.fixture
def group(contact_point):
    return factories.make_group(contact_point, name="Sorggruppe Dombås")


def _english_pages(group, contact_point) -> list[str]:
    with translation.override("en"):
        return [
            reverse("home"),
            reverse("about-data"),
            reverse("privacy"),
            reverse("account_login"),
            reverse("account_reset_password"),
            reverse("groups:group-search"),
            reverse("groups:group-search") + "?sted=2660",
            reverse("groups:group-search") + "?sted=Ukjentstedvik",
            reverse("groups:group-search") + "?sted=2660&avstand=7",
            reverse("groups:what-is-self-help"),
            reverse("groups:group-detail", args=[group.slug]),
            reverse("groups:interest-create") + f"?gruppe={group.pk}",
            reverse("contactpoints:contactpoint-search") + "?sted=2660",
            reverse("contactpoints:contactpoint-detail", args=[contact_point.slug]),
            reverse("contactpoints:application-create"),
        ]


def test_english_pages_are_in_english(client, group, contact_point):
    norwegian = _norwegian_interface_strings()
    for url in _english_pages(group, contact_point):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en"' in html, url
        text = visible_text(html)
        assert norwegian_left_in(text, norwegian) == [], url


def test_english_error_messages_are_in_english(client, group):
    with translation.override("en"):
        url = reverse("groups:interest-create")
    response = client.post(url, {"gruppe": group.pk})

    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "form-control is-invalid" in response.content.decode()
    assert norwegian_left_in(text, _norwegian_interface_strings()) == []


def test_the_staff_pages_are_in_english(client, cp_user, contact_point):
    client.force_login(cp_user)
    with translation.override("en"):
        urls = [
            reverse("staff-home"),
            reverse("workspace:home", args=[contact_point.slug]),
            reverse("workspace:interest-list", args=[contact_point.slug]),
            reverse("workspace:interest-create", args=[contact_point.slug]),
            reverse("workspace:group-create", args=[contact_point.slug]),
        ]
    norwegian = _norwegian_interface_strings()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert norwegian_left_in(text, norwegian) == [], url


def test_the_front_page_speaks_each_language(client):
    norwegian = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert "Finn en selvhjelpsgruppe" in norwegian
    assert "Find a self-help group" in english
    assert "Finn en selvhjelpsgruppe" not in visible_text(english)
