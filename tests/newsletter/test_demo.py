import io

import pytest
from django.core.management import call_command

from newsletter.demo import create_demo_newsletter
from newsletter.models import Delivery, Issue, Subscriber

pytestmark = pytest.mark.django_db


def test_demo_data_is_safe_to_run_twice():
    first = create_demo_newsletter(subscribers=40)
    second = create_demo_newsletter(subscribers=40)
    assert first == second == {"subscribers": 40, "issues": 3}
    assert Issue.objects.archived().count() == 2
    assert Issue.objects.filter(status=Issue.Status.DRAFT).count() == 1
    assert Delivery.objects.filter(status="sent").count() > 0
    assert Subscriber.objects.filter(lists__contains=["region"], region__isnull=True).count() == 0


def test_the_walk_through_gets_more_subscribers(settings):
    settings.DEBUG = True
    call_command("newsletter_demo", "--subscribers", "120", stdout=io.StringIO())
    assert Subscriber.objects.count() == 120
