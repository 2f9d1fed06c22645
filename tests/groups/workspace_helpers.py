"""Helpers shared by the workspace test modules (interest list, demand, planning)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from groups.consent import CURRENT_CONSENT_VERSION
from groups.models import Interest
from selvhjelp.models import AuditEntry

PERSON = {"name": "Kanari Testesen", "email": "kanari@example.test", "phone": "+47 912 34 567"}
# The canary phone number in every form it could be stored or shown in.
CANARY_PHONES = ("+47 912 34 567", "912 34 567", "91234567", "+4791234567")


def url(name: str, contact_point, **kwargs) -> str:
    return reverse(f"workspace:{name}", kwargs={"slug": contact_point.slug, **kwargs})


def detail_url(interest: Interest) -> str:
    return url("interest-detail", interest.contact_point, public_id=interest.public_id)


def bulk_interests(contact_point, topic, count: int) -> None:
    now = timezone.now()
    Interest.objects.bulk_create(
        Interest(
            contact_point=contact_point,
            topic=topic,
            municipality=contact_point.municipality,
            name=f"Kanari {n}",
            email=f"kanari{n}@example.test",
            status=Interest.Status.NEW if n % 2 else Interest.Status.CONTACTED,
            consent_text_version=CURRENT_CONSENT_VERSION,
            consent_given_at=now,
            consent_channel=Interest.Channel.WEB,
        )
        for n in range(count)
    )


def no_personal_data_in_audit() -> None:
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_type} {entry.object_id} {entry.detail}"
        assert "Kanari" not in text and "@" not in text
        # Full forms only: object_id is a primary key that can be 912, 1912, … with --reuse-db.
        assert not any(phone in text for phone in CANARY_PHONES)
