"""Times the group search against a trivial page with 10,000 groups in the database.

Everything it seeds is rolled back at the end, so it is safe against a development database:

    python manage.py benchmark_search --runs 50
"""

from __future__ import annotations

import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from contactpoints.models import ContactPoint
from groups.models import Group, Topic
from selvhjelp.models import Municipality, PostalCode

SEARCH_URL = "/grupper/?sted=Oslo&avstand=25"
TRIVIAL_URL = "/helse/"


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Seeds 10,000 groups (rolled back afterwards) and compares the median time of the "
        "search page with that of a trivial view."
    )

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=50)
        parser.add_argument(
            "--baseline", default=TRIVIAL_URL, help="The trivial page to compare with."
        )

    def handle(self, *args, groups: int, runs: int, baseline: str, **options):
        try:
            with transaction.atomic():
                self._seed(groups)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE groups_group")
                with override_settings(ALLOWED_HOSTS=["testserver", *_allowed_hosts()]):
                    client = Client()
                    search = self._time(client, SEARCH_URL, runs)
                    trivial = self._time(client, baseline, runs)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(f"{groups} groups, {runs} runs each (after 3 warm-up requests)")
        self.stdout.write(f"  {SEARCH_URL:<40} median {search * 1000:7.1f} ms")
        self.stdout.write(f"  {baseline:<40} median {trivial * 1000:7.1f} ms")
        self.stdout.write(f"  ratio {search / trivial:.1f}×")

    def _time(self, client: Client, url: str, runs: int) -> float:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        return statistics.median(timings)

    def _seed(self, count: int) -> None:
        rng = random.Random(1)
        postal = PostalCode.objects.select_related("municipality").get(code="0182")
        contact_point = ContactPoint.objects.create(
            name="Benchmark kontaktpunkt",
            slug="benchmark-kontaktpunkt",
            host_organisation="Benchmark",
            host_kind=ContactPoint.HostKind.OTHER,
            postal_code=postal,
            municipality=postal.municipality,
            latitude=postal.latitude,
            longitude=postal.longitude,
        )
        topics = list(Topic.objects.all()) or [Topic.objects.create(name="Sorg", slug="sorg")]
        municipalities = list(Municipality.objects.all())
        created = Group.objects.bulk_create(
            (
                Group(
                    name=f"Benchmarkgruppe {n}",
                    slug=f"benchmarkgruppe-{n}",
                    description="En selvhjelpsgruppe for deg som vil dele erfaringer.",
                    contact_point=contact_point,
                    municipality=(municipality := rng.choice(municipalities)),
                    public_area=f"{municipality.name} sentrum",
                    latitude=municipality.latitude,
                    longitude=municipality.longitude,
                    format=Group.Format.DIGITAL if n % 10 == 0 else Group.Format.PHYSICAL,
                    status=Group.Status.RUNNING,
                    weekday=n % 7 + 1,
                    is_published=True,
                )
                for n in range(count)
            ),
            batch_size=2000,
        )
        Group.topics.through.objects.bulk_create(
            (
                Group.topics.through(group_id=group.pk, topic_id=rng.choice(topics).pk)
                for group in created
            ),
            batch_size=5000,
        )


def _allowed_hosts() -> list[str]:
    from django.conf import settings

    return list(settings.ALLOWED_HOSTS)
