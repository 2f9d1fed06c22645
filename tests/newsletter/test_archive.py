"""The public archive and its Atom feed: sent national issues, no personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Issue
from newsletter.services import sending
from tests.newsletter.conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def test_the_archive_lists_sent_national_issues_only(client, district_office):
    sent = make_issue(subject="Høstens kurs", status=Issue.Status.SENT, sent_at=timezone.now())
    make_issue(subject="Utkastet")
    make_issue(
        subject="Bare Innlandet",
        office=district_office,
        status=Issue.Status.SENT,
        sent_at=timezone.now(),
    )
    page = client.get(reverse("newsletter:archive")).content.decode()
    assert "Høstens kurs" in page
    assert "Utkastet" not in page and "Bare Innlandet" not in page
    detail = client.get(reverse("newsletter:archive-detail", args=[sent.pk])).content.decode()
    assert "<strong>nytt</strong>" in detail


def test_the_archive_holds_no_personal_data(client, mailoutbox, settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 10_000
    make_subscriber("hemmelig.leser@example.test", name="Hemmelig Leser")
    issue = make_issue(status=Issue.Status.SENDING)
    sending.issue_send(issue_id=issue.pk)
    for url in (
        reverse("newsletter:archive"),
        reverse("newsletter:archive-detail", args=[issue.pk]),
        reverse("newsletter:feed"),
    ):
        body = client.get(url).content.decode()
        assert "hemmelig" not in body.lower()
        assert "/nyhetsbrev/avmeld/" not in body and "/nyhetsbrev/innstillinger/" not in body


def test_the_feed_is_atom_with_the_sent_issues(client):
    make_issue(subject="Vårens nyhetsbrev", status=Issue.Status.SENT, sent_at=timezone.now())
    make_issue(subject="Utkastet")
    response = client.get(reverse("newsletter:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Vårens nyhetsbrev</title>" in body and "Utkastet" not in body


def test_the_archive_has_a_query_budget(client, django_assert_max_num_queries):
    for size in (2, 20):
        for _ in range(size):
            make_issue(status=Issue.Status.SENT, sent_at=timezone.now())
        with django_assert_max_num_queries(4):
            assert client.get(reverse("newsletter:archive")).status_code == 200
        with django_assert_max_num_queries(4):
            assert client.get(reverse("newsletter:feed")).status_code == 200
