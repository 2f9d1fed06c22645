"""Builders for the newsletter tests."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from newsletter.models import CONSENT_VERSION, Issue, NewsletterList, Subscriber

_seq = itertools.count(1)


def make_subscriber(email: str | None = None, *, lists=None, confirmed=True, region=None, **extra):
    return Subscriber.objects.create(
        email=email or f"leser{next(_seq)}@example.test",
        lists=lists or [NewsletterList.GENERAL],
        region=region,
        consent_version=CONSENT_VERSION,
        confirmed_at=timezone.now() if confirmed else None,
        **extra,
    )


def make_issue(**extra) -> Issue:
    extra.setdefault("subject", "Nytt fra Selvhjelp")
    extra.setdefault(
        "body_markdown", "Hei!\n\nHer er **nytt** om [grupper](https://selvhjelp.example/grupper/)."
    )
    return Issue.objects.create(**extra)


@pytest.fixture
def subscriber(db):
    return make_subscriber("leser@example.test")
