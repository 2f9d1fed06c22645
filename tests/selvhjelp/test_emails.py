"""What the emails say: subjects and plain text unescaped, allauth's emails named and honest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from selvhjelp import emails
from selvhjelp.models import OutgoingEmail

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emails"
MARKUP = "Mat & Mor's <b>gruppe</b>"
ESCAPED = ("&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;")


def _message_names() -> list[str]:
    return sorted(p.name.removesuffix("-subject.txt") for p in TEMPLATES.glob("*-subject.txt"))


def _markup_context(name: str) -> dict[str, str]:
    """Every variable the plain-text templates use, filled with text full of HTML's
    special characters (names of groups and organisations are typed by people)."""
    parts = ("subject.txt", "body.txt")
    source = "".join((TEMPLATES / f"{name}-{part}").read_text() for part in parts)
    names = set(re.findall(r"{{ *([a-z_]+)", source))
    names |= set(re.findall(r"with \w+=([a-z_]+)", source))
    return dict.fromkeys(names, MARKUP)


@pytest.mark.parametrize("name", _message_names())
def test_subjects_and_plain_text_are_not_html_escaped(name):
    subject, text, html = emails.make_message(name, _markup_context(name))

    assert not any(entity in subject for entity in ESCAPED), subject
    assert not any(entity in text for entity in ESCAPED), text
    if "{{" in (TEMPLATES / f"{name}-subject.txt").read_text():
        assert MARKUP in subject
    assert "<b>gruppe</b>" not in html  # the HTML body still escapes what people typed


def test_allauth_emails_name_the_site(client, cp_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/password/reset/", {"email": cp_user.email})

    body = mail.outbox[0].body
    assert "Selvhjelp!" in body.splitlines()[0]
    assert "fra !" not in body


def test_the_unknown_account_email_does_not_invite_to_a_closed_sign_up(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/password/reset/", {"email": "ukjent@example.test"})

    assert response.status_code == 302
    row = OutgoingEmail.objects.get(to="ukjent@example.test")
    assert row.kind == "unknown_account"
    sent = mail.outbox[0]
    assert sent.subject == "Vi fant ingen konto med denne adressen"
    assert "Vi har ingen konto med den adressen" in sent.body
    assert "kontoer gis av en administrator" in sent.body
    assert "/konto/signup/" not in sent.body
    assert "Hei fra Selvhjelp!" in sent.body
