"""Demo data for the newsletter: subscribers across the lists, two sent issues, one draft.

Safe to run twice. `subscribers` sets how many demo subscribers there are (the walk-through
sends to 5,000: `manage.py newsletter_demo --subscribers 5000`)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from newsletter.models import CONSENT_VERSION, Delivery, Issue, NewsletterList, Subscriber
from newsletter.services.sending import deliveries_create
from selvhjelp.emails import absolute_url
from selvhjelp.models import DistrictOffice

DEMO_DOMAIN = "demo.selvhjelp.example"

SENT = [
    (
        "Nytt fra Selvhjelp: høsten 2026",
        "Nye grupper og kurs i høst",
        "## Nye grupper\n\nI høst starter det nye selvhjelpsgrupper over hele landet. "
        "[Finn en gruppe nær deg]({groups_url}).\n\n## Igangsetterkurs\n\n"
        "Vil du hjelpe en gruppe i gang? Vi holder **igangsetterkurs** i oktober.",
        120,
    ),
    (
        "Nytt fra Selvhjelp: våren 2026",
        "Tema: sorg",
        "## Sorggrupper\n\nMange forteller at det hjelper å møte andre som har mistet noen. "
        "Her er hva deltakerne sier.\n\n- Man er ikke alene\n- Ingen må si noe\n",
        300,
    ),
]


@transaction.atomic
def create_demo_newsletter(*, subscribers: int = 300) -> dict[str, int]:
    offices = list(DistrictOffice.objects.filter(is_active=True).order_by("pk"))
    lists = [
        [NewsletterList.GENERAL],
        [NewsletterList.GENERAL, NewsletterList.REGION],
        [NewsletterList.CONTACT_POINTS],
        [NewsletterList.FACILITATORS, NewsletterList.GENERAL],
    ]
    now = timezone.now()
    rows = []
    for i in range(subscribers):
        chosen = lists[i % len(lists)]
        region = offices[i % len(offices)] if offices and NewsletterList.REGION in chosen else None
        rows.append(
            Subscriber(
                email=f"leser{i:05d}@{DEMO_DOMAIN}",
                lists=chosen,
                region=region,
                consent_version=CONSENT_VERSION,
                consent_channel="demo",
                confirmed_at=now,
            )
        )
    Subscriber.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)

    for subject, preheader, body, days_ago in SENT:
        issue, created = Issue.objects.get_or_create(
            subject=subject,
            defaults={
                "preheader": preheader,
                "body_markdown": body.format(groups_url=absolute_url("/grupper/")),
                "status": Issue.Status.SENT,
                "started_at": now - timedelta(days=days_ago),
                "sent_at": now - timedelta(days=days_ago),
                "recipients_created": True,
            },
        )
        if created:
            deliveries_create(issue=issue)
            issue.deliveries.update(status=Delivery.Status.SENT, sent_at=issue.sent_at)
    Issue.objects.get_or_create(
        subject="Nytt fra Selvhjelp: vinteren 2026",
        defaults={
            "preheader": "Julen kan være tung",
            "body_markdown": "## Når julen er tung\n\nSkriv her …",
        },
    )
    return {
        "subscribers": Subscriber.objects.filter(email__endswith=DEMO_DOMAIN).count(),
        "issues": Issue.objects.count(),
    }
