"""Per-person export and erasure cover subscriptions and deliveries."""

from __future__ import annotations

import pytest

from newsletter.models import Delivery, Issue, Subscriber
from newsletter.services import sending
from selvhjelp import privacy
from tests.newsletter.conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(settings, mailoutbox):
    settings.NEWSLETTER_RATE_PER_SECOND = 10_000
    make_subscriber("person@example.test", name="Per Son", lists=["general", "facilitators"])
    make_subscriber("annen@example.test")
    issue = make_issue(subject="Sendt til Per", status=Issue.Status.SENDING)
    sending.issue_send(issue_id=issue.pk)
    return "Person@Example.test"


def test_export_has_the_subscription_and_the_deliveries(person):
    rows = privacy.export_person(person)["newsletter"]
    subscription = next(r for r in rows if r["type"] == "subscriber")
    assert subscription["name"] == "Per Son"
    assert subscription["lists"] == ["general", "facilitators"]
    assert subscription["consent_version"] and subscription["confirmed"]
    assert [r["newsletter"] for r in rows if r["type"] == "delivery"] == ["Sendt til Per"]


def test_erasure_removes_the_person_and_no_one_else(person):
    assert privacy.erase_person(person)["newsletter"] == 2
    assert not Subscriber.objects.filter(email="person@example.test").exists()
    assert not Delivery.objects.filter(email="person@example.test").exists()
    assert Subscriber.objects.filter(email="annen@example.test").exists()
    assert Delivery.objects.filter(email="annen@example.test").exists()
    assert privacy.export_person(person)["newsletter"] == []
