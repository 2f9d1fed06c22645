"""Times the group search against a trivial page with 10,000 groups in the database.

Everything it seeds is rolled back at the end, so it is safe against a development database:

    python manage.py benchmark_search --runs 50

Two figures for the search page, each next to the trivial page: "cold" renders every request
(the public data version is bumped before each one, so the response cache always misses and the
cold path includes the cache look-up and store), "warm" repeats one identical anonymous search
(served from the response cache in selvhjelp/cache.py). The query count of one request of each
is printed too.
"""

from __future__ import annotations

import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from contactpoints.models import ContactPoint
from groups.models import Group, Topic
from selvhjelp.cache import bump_public_data_version
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
                with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
                    client = Client()
                    trivial = self._time(client, baseline, runs)
                    cold = self._time(client, SEARCH_URL, runs, before=bump_public_data_version)
                    warm = self._time(client, SEARCH_URL, runs)
                raise _Rollback
        except _Rollback:
            pass
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"{groups} groups, {runs} runs each (after 3 warm-up requests), cache: {backend}"
        )
        for label, url, (median, queries) in (
            ("cold", SEARCH_URL, cold),
            ("warm", SEARCH_URL, warm),
            ("trivial", baseline, trivial),
        ):
            ratio = "" if label == "trivial" else f"  ratio {median / trivial[0]:5.1f}×"
            self.stdout.write(
                f"  {label:<8}{url:<34} median {median * 1000:7.2f} ms  {queries:2d} queries{ratio}"
            )

    def _time(self, client: Client, url: str, runs: int, before=None) -> tuple[float, int]:
        """Median seconds of `runs` requests, and the query count of one more request.
        `before` runs ahead of each request, outside the timing."""
        before = before or (lambda: None)
        for _ in range(3):
            before()
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(runs):
            before()
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        before()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return statistics.median(timings), len(queries)

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
