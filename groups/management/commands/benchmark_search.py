"""Measures the public search against the floors it is judged by, and prints one table.

    python manage.py benchmark_search                      # 10,000 groups, all parts
    python manage.py benchmark_search --groups 1000000 --rounds 15 --load-requests 400
    python manage.py benchmark_search --groups 1000000 --only-sql --clustered

What it measures (README.md, "Measuring the search", has the figures of the last run):

- Rounds, interleaved: each round times the trivial view (/helse/, the same middleware), a cold
  search (the public data version bumped first, so the response cache misses), the same search
  warm (served from the cache), a group page and a varied search (a place, topic and words never
  asked before, so the cache misses without a bump). Noise lands on all of them alike; the
  ratios to the trivial request of the same round are reported as median and p95.
- Load: gunicorn with 2 workers on 127.0.0.1 and 8 client threads sending a bounded number of
  requests: requests per second of the trivial view, of varied searches (all cache misses) and
  of a realistic mix (80 % repeats of a few common searches), each twice, alternating.
- SQL: per public page, the query count and the SQL milliseconds (wall time of each query, cold
  cache); the SQL of every topic × word search, in both lists and near dense and sparse places
  (the worst searches: a topic and a word no group shares). At the radius + topic + text
  search: EXPLAIN ANALYZE of the search statement next to a hand-written SQL floor of the same
  search.
- Weight: per public page, the HTML bytes, the bytes on the wire (as sent with
  Accept-Encoding: gzip, br) and the compressed CSS/JS it links (Brotli, as WhiteNoise serves it).

Seeding is SQL (generate_series), so 1,000,000 groups take three to five minutes (most of it
the topic triggers and the two indexes of group_terms). The seeded rows are COMMITTED (gunicorn
must see them) and deleted again at the end, also after an error or Ctrl-C; run it against a
scratch or development database, never production. Run it in production mode
(DEBUG=false, Redis, collected static files) for figures that mean something; the header says
which mode it ran in.
"""

from __future__ import annotations

import gzip
import http.client
import itertools
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from contactpoints.models import ContactPoint
from groups.models import Group, Topic
from selvhjelp.cache import bump_public_data_version
from selvhjelp.geo import EARTH_RADIUS_KM, bounding_box
from selvhjelp.models import Municipality, PostalCode
from selvhjelp.weight import asset_bytes, linked_assets

TRIVIAL_URL = "/helse/"
SEARCH_URL = "/grupper/?sted=Oslo&avstand=25"
PREFIX = "benchmark-"
# Words in the seeded descriptions; "gruppe" is in every one (the worst case for text search).
PHRASES = [
    "sorg etter å ha mistet noen",
    "angst og uro i hverdagen",
    "pårørende til en med rusproblemer",
    "samlivsbrudd og skilsmisse",
    "ensomhet og å finne fellesskap",
    "kroniske smerter og utmattelse",
    "spiseforstyrrelser",
    "å leve med depresjon",
]
TOPICS = [
    ("Sorg", "sorg"),
    ("Angst", "angst"),
    ("Pårørende", "parorende"),
    ("Ensomhet", "ensomhet"),
]
WORDS = ["sorg", "angst", "pårørende", "ensomhet", "smerter", "depresjon", "gruppe", "brudd"]
RADII = ["5", "10", "25", "50", "100"]
# Dense and sparse places, south and north, for the sweep of every topic and word.
SWEEP_PLACES = ["Oslo", "Bergen", "Lillehammer", "Holtålen", "Tromsø", "Vardø"]


class Command(BaseCommand):
    help = "Times the group search against its floors (trivial view, SQL floor, bytes)."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, default=10_000)
        parser.add_argument("--rounds", type=int, default=40)
        parser.add_argument("--load-requests", type=int, default=400)
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn load test.")
        parser.add_argument("--only-sql", action="store_true", help="Seed, SQL part, clean up.")
        parser.add_argument(
            "--clustered",
            action="store_true",
            help="Every group in a municipality meets on the same weekday and is open or closed "
            "alike (the worst case for reading nearest first).",
        )

    def handle(self, *args, groups: int, rounds: int, load_requests: int, **options):
        self.out = self.stdout.write
        started = time.perf_counter()
        created_topics: list[int] = []
        try:
            seed_seconds = self._seed(groups, created_topics, clustered=options["clustered"])
            self.out(
                f"# {groups:,} groups seeded with SQL in {seed_seconds:.1f} s"
                f"{' (clustered)' if options['clustered'] else ''} · "
                f"DEBUG={settings.DEBUG} · cache "
                f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} · "
                f"{os.cpu_count()} CPUs · PostgreSQL {connection.pg_version}"
            )
            with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
                self._sql_floor()
                self._sql_every_search()
                if not options["only_sql"]:
                    self._sql_per_page()
                    self._rounds(rounds)
                    self._weight()
            if not options["only_sql"] and not options["no_load"]:
                self._load(load_requests)
        finally:
            self._clean_up(created_topics)
            self.out(f"# done in {time.perf_counter() - started:.0f} s, seeded rows deleted")

    # Seeding ---------------------------------------------------------------------------------

    def _seed(self, count: int, created_topics: list[int], *, clustered: bool = False) -> float:
        started = time.perf_counter()
        self._clean_up([])  # a run that was killed hard may have left its rows
        postal = PostalCode.objects.select_related("municipality").get(code="0182")
        self.contact_point = ContactPoint.objects.create(
            name="Benchmark kontaktpunkt",
            slug=f"{PREFIX}kontaktpunkt",
            host_organisation="Benchmark",
            host_kind=ContactPoint.HostKind.OTHER,
            postal_code=postal,
            municipality=postal.municipality,
            latitude=postal.latitude,
            longitude=postal.longitude,
        )
        topic_ids = []
        for name, slug in TOPICS:
            # The demo data may hold the topic under another slug: its name is unique too.
            topic = Topic.objects.filter(Q(slug=slug) | Q(name=name)).first()
            if topic is None:
                topic = Topic.objects.create(slug=slug, name=name)
                created_topics.append(topic.pk)
            topic_ids.append(topic.pk)
        self.topic_slugs = list(
            Topic.objects.filter(pk__in=topic_ids).values_list("slug", flat=True)
        )
        field = Group._meta.get_field
        # The weekday and "open": from a hash of n, so that any municipality has groups on
        # every day, open and closed. `clustered`: from n itself, which (with 357 municipalities,
        # a multiple of 7 and of 3) gives every group in a municipality the same weekday and the
        # same "open".
        spread = "n" if clustered else "(hashint8(n)::bigint + 2147483648)"
        weekday = f"1 + {spread} %% 7"
        is_open = f"{spread} %% 3 <> 0"
        with connection.cursor() as cursor:
            # Municipalities picked by a multiplicative hash of n (spread, repeatable); points
            # jittered by up to ~5 km, each group's its own (a group's real point is its postal
            # code's, shared with others: an index of points has an easier time with those).
            cursor.execute(
                f"""
                WITH m AS (
                    SELECT row_number() OVER (ORDER BY number) AS i, number, name,
                           latitude, longitude
                    FROM selvhjelp_municipality WHERE latitude IS NOT NULL
                ), total AS (SELECT count(*) AS c FROM m)
                INSERT INTO groups_group (
                    name, slug, description, audience, format, weekday, frequency, status,
                    open_for_new_members, size_limit, public_area, latitude, longitude,
                    venue_address, language, last_confirmed_on, is_published, created_at,
                    updated_at, contact_point_id, municipality_id, approval_status,
                    public_postcode
                )
                SELECT 'Gruppe ' || n, %(prefix)s || n,
                       'En selvhjelpsgruppe for deg som kjenner på '
                           || (%(phrases)s::text[])[1 + n %% cardinality(%(phrases)s::text[])],
                       %(audience)s,
                       CASE WHEN n %% 10 = 0 THEN 'digital' ELSE 'fysisk' END,
                       {weekday}, %(frequency)s, %(status)s, {is_open}, 8,
                       m.name || ' sentrum',
                       m.latitude + ((n * 37) %% 10007 - 5003) / 100000.0,
                       m.longitude + ((n * 53) %% 10009 - 5004) / 50000.0,
                       '', '', current_date, true, now(), now(), %(cp)s, m.number,
                       %(approved)s, ''
                FROM generate_series(1, %(count)s) AS n
                CROSS JOIN total
                JOIN m ON m.i = 1 + (n::bigint * 7919) %% total.c
                """,  # noqa: S608 - only the weekday and "open" expressions above are formatted in
                {
                    "prefix": PREFIX,
                    "phrases": PHRASES,
                    "audience": field("audience").get_default(),
                    "frequency": field("frequency").get_default(),
                    "status": Group.Status.RUNNING,
                    "approved": Group.Approval.APPROVED,
                    "cp": self.contact_point.pk,
                    "count": count,
                },
            )
            cursor.execute(
                """
                INSERT INTO groups_group_topics (group_id, topic_id)
                SELECT id, (%(topics)s::bigint[])[1 + id %% cardinality(%(topics)s::bigint[])]
                FROM groups_group WHERE contact_point_id = %(cp)s
                """,
                {"topics": topic_ids, "cp": self.contact_point.pk},
            )
            # As autovacuum leaves a table in use: statistics, hint bits and the visibility map
            # (index-only scans), so the first timings do not pay for the bulk insert.
            cursor.execute("VACUUM ANALYZE groups_group")
            cursor.execute("VACUUM ANALYZE groups_group_topics")
            cursor.execute(
                "SELECT slug FROM groups_group WHERE contact_point_id = %s AND format <> 'digital'"
                " ORDER BY id LIMIT 200",
                [self.contact_point.pk],
            )
            self.group_slugs = [row[0] for row in cursor.fetchall()]
        self.places = list(
            Municipality.objects.filter(latitude__isnull=False).values_list("name", flat=True)
        )
        bump_public_data_version()
        return time.perf_counter() - started

    def _clean_up(self, created_topics: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM contactpoints_contactpoint WHERE slug = %s",
                [f"{PREFIX}kontaktpunkt"],
            )
            row = cursor.fetchone()
            if row:
                cursor.execute(
                    "DELETE FROM groups_group_topics WHERE group_id IN "
                    "(SELECT id FROM groups_group WHERE contact_point_id = %s)",
                    row,
                )
                cursor.execute("DELETE FROM groups_group WHERE contact_point_id = %s", row)
                ContactPoint.objects.filter(pk=row[0]).delete()
        Topic.objects.filter(pk__in=created_topics).delete()
        bump_public_data_version()

    # URLs --------------------------------------------------------------------------------------

    def _varied_urls(self, count: int, seed: int) -> list[str]:
        """Searches that differ in place, radius, topic or words, so each misses the cache."""
        rng = random.Random(seed)
        urls = set()
        while len(urls) < count:
            parts = [f"sted={rng.choice(self.places)}", f"avstand={rng.choice(RADII)}"]
            if rng.random() < 0.5:
                parts.append(f"tema={rng.choice(self.topic_slugs)}")
            if rng.random() < 0.5:
                parts.append(f"q={rng.choice(WORDS)}")
            urls.add("/grupper/?" + "&".join(parts))
        urls = sorted(urls)
        rng.shuffle(urls)
        return urls

    def _public_pages(self) -> list[tuple[str, str]]:
        group_url = reverse("groups:group-detail", args=[self.group_slugs[0]])
        return [
            ("front page", "/"),
            ("search, no place", "/grupper/"),
            ("search, place", SEARCH_URL),
            ("search, common word", "/grupper/?q=gruppe"),
            ("search, radius+topic+text", "/grupper/?sted=Oslo&avstand=50&tema=sorg&q=sorg"),
            ("search, digital", "/grupper/?format=digital"),
            ("group page", group_url),
            ("what is self-help", reverse("groups:what-is-self-help")),
            ("contact points", reverse("contactpoints:contactpoint-search") + "?sted=Oslo"),
        ]

    # In-process rounds ------------------------------------------------------------------------

    def _rounds(self, rounds: int) -> None:
        client = Client(HTTP_X_FORWARDED_PROTO="https")  # production redirects http
        varied = self._varied_urls(rounds + 3, seed=1)
        kinds = ["trivial", "cold", "warm", "group page", "varied"]
        times: dict[str, list[float]] = {kind: [] for kind in kinds}

        def timed(url: str) -> float:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            return elapsed

        for n in range(rounds + 3):  # the first three warm the process up and are dropped
            sample = {"trivial": timed(TRIVIAL_URL)}
            bump_public_data_version()
            sample["cold"] = timed(SEARCH_URL)
            sample["warm"] = timed(SEARCH_URL)
            sample["group page"] = timed(
                reverse("groups:group-detail", args=[self.group_slugs[n % len(self.group_slugs)]])
            )
            sample["varied"] = timed(varied[n])
            if n >= 3:
                for kind in kinds:
                    times[kind].append(sample[kind])
        self.out(f"\n## In-process, {rounds} interleaved rounds (Django test client)")
        self.out(
            f"{'request':<12}{'median ms':>10}{'p95 ms':>9}{'ratio median':>14}{'ratio p95':>11}"
        )
        for kind in kinds:
            ms = [t * 1000 for t in times[kind]]
            ratios = [t / base for t, base in zip(times[kind], times["trivial"], strict=True)]
            self.out(
                f"{kind:<12}{statistics.median(ms):>10.2f}{_p95(ms):>9.2f}"
                f"{statistics.median(ratios):>13.1f}×{_p95(ratios):>10.1f}×"
            )

    # SQL ---------------------------------------------------------------------------------------

    @contextmanager
    def _sql_timer(self):
        timings: list[float] = []

        def wrapper(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append(time.perf_counter() - started)

        with connection.execute_wrapper(wrapper):
            yield timings

    def _sql_per_page(self) -> None:
        client = Client(HTTP_X_FORWARDED_PROTO="https")  # production redirects http
        self.out("\n## SQL per public page (cold cache; wall time of each query, median of 5)")
        self.out(f"{'page':<28}{'queries':>8}{'SQL ms':>9}{'max query ms':>14}")
        for label, url in self._public_pages():
            totals, maxima, counts = [], [], []
            for _ in range(5):
                bump_public_data_version()
                with self._sql_timer() as timings:
                    response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                totals.append(sum(timings) * 1000)
                maxima.append(max(timings, default=0) * 1000)
                counts.append(len(timings))
            self.out(
                f"{label:<28}{counts[-1]:>8}{statistics.median(totals):>9.2f}"
                f"{statistics.median(maxima):>14.2f}"
            )

    def _sql_floor(self) -> None:
        """EXPLAIN ANALYZE of the search statement for radius + topic + text, as the search view
        sends it (groups/services/search.py: the page, its capped count, names and topics),
        next to a hand-written SQL floor: the same filters over the radius's bounding box,
        sorted by distance, the first 20 (no count, no names). The view's text filter also
        matches topic names (an EXISTS more), so the floor is a little narrower."""
        from groups.forms.search import GroupSearchForm
        from groups.services import search
        from groups.topics import all_topics

        form = GroupSearchForm({"sted": "Oslo", "avstand": "50", "tema": "sorg", "q": "sorg"})
        assert form.is_valid(), form.errors
        origin, radius = form.origin(), form.radius_km()
        sent = []

        def record(execute, sql, params, many, context):
            sent.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            search.near(
                search.Filters(**form.filters()), all_topics(), origin=origin, radius_km=radius
            )
        [(statement, statement_params)] = [(sql, p) for sql, p in sent if "WITH hits" in sql]
        south, north, west, east = bounding_box(origin.latitude, origin.longitude, radius)
        topic = Topic.objects.get(slug="sorg")
        floor_sql = """
            SELECT g.id, g.name, g.slug, g.public_area, g.weekday, g.start_time, g.starts_on,
                   g.municipality_id, d.km
            FROM groups_group g
            CROSS JOIN LATERAL (SELECT 2 * %(r)s * asin(sqrt(least(1.0,
                power(sin(radians(g.latitude - %(lat)s) / 2), 2)
                + cos(radians(%(lat)s)) * cos(radians(g.latitude))
                  * power(sin(radians(g.longitude - %(lon)s) / 2), 2)))) AS km) d
            WHERE g.is_published AND g.stale_since IS NULL AND g.status <> 'avsluttet'
              AND g.format <> 'digital'
              AND g.latitude BETWEEN %(s)s AND %(n)s AND g.longitude BETWEEN %(w)s AND %(e)s
              AND g.search_vector @@ websearch_to_tsquery('norwegian', %(q)s)
              AND EXISTS (SELECT 1 FROM groups_group_topics t
                          WHERE t.group_id = g.id AND t.topic_id = %(topic)s)
              AND d.km <= %(radius)s
            ORDER BY d.km, g.name LIMIT 20
        """
        params = {
            "r": EARTH_RADIUS_KM,
            "lat": origin.latitude,
            "lon": origin.longitude,
            "s": south,
            "n": north,
            "w": west,
            "e": east,
            "q": "sorg",
            "topic": topic.pk,
            "radius": radius,
        }

        def statement_ms() -> float:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + statement, statement_params)
                return _execution_ms("\n".join(row[0] for row in cursor.fetchall()))

        def floor() -> float:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + floor_sql, params)
                return _execution_ms("\n".join(row[0] for row in cursor.fetchall()))

        results = {"search statement": [], "SQL floor": []}
        for _ in range(7):  # interleaved, like the rounds
            results["search statement"].append(statement_ms())
            results["SQL floor"].append(floor())
        floor_ms = statistics.median(results["SQL floor"])
        self.out(
            "\n## Radius + topic + text (Oslo, 50 km, topic sorg, word «sorg»), EXPLAIN ANALYZE"
        )
        self.out(f"{'query':<20}{'median ms':>10}{'p95 ms':>9}{'× floor':>9}")
        for label, values in results.items():
            self.out(
                f"{label:<20}{statistics.median(values):>10.2f}{_p95(values):>9.2f}"
                f"{statistics.median(values) / max(floor_ms, 1e-6):>8.1f}×"
            )

    def _sql_every_search(self) -> None:
        """The SQL of every combination of topic and word (none, each of TOPICS, each of
        WORDS), for both lists without a place and near SWEEP_PLACES within 25 and 100 km: a
        topic and a word that no group shares read the most (groups/services/search.py). Then
        the same with a weekday and "open only" too."""
        from groups.services import search
        from groups.topics import all_topics, current_version
        from selvhjelp.geo import place_lookup

        topics = all_topics(current_version())
        by_slug = {topic.slug: topic for topic in topics}
        origins = [place_lookup(name) for name in SWEEP_PLACES]
        for extra, title in [({}, ""), ({"weekday": 3, "open_only": True}, ", Wednesday, open")]:
            timed: list[tuple[float, str]] = []
            for slug, word in itertools.product([None, *self.topic_slugs], ["", *WORDS]):
                filters = search.Filters(text=word, topic=by_slug.get(slug), **extra)
                label = f"tema={slug or '-'} q={word or '-'}{title}"
                calls = {
                    "list": partial(
                        search.listed, filters, topics, digital=False, order="municipality"
                    ),
                    "digital": partial(search.listed, filters, topics, digital=True, order="start"),
                }
                for origin, radius in itertools.product(origins, (25, 100)):
                    calls[f"{origin.name} {radius} km"] = partial(
                        search.near, filters, topics, origin=origin, radius_km=radius
                    )
                for where, call in calls.items():
                    with self._sql_timer() as timings:
                        call()
                    timed.append((sum(timings) * 1000, f"{where}, {label}"))
            values = sorted(ms for ms, _ in timed)
            self.out(
                f"\n## SQL of every topic × word search{title} ({len(values)} searches: both "
                f"lists, {', '.join(SWEEP_PLACES)} within 25 and 100 km)"
            )
            self.out(
                f"median {statistics.median(values):.1f} ms · p95 {_p95(values):.1f} ms · "
                f"max {values[-1]:.1f} ms · over 100 ms: {sum(ms > 100 for ms in values)}"
            )
            for ms, label in sorted(timed, reverse=True)[:5]:
                self.out(f"{ms:>9.1f} ms  {label}")

    # Weight ------------------------------------------------------------------------------------

    def _weight(self) -> None:
        client = Client(HTTP_X_FORWARDED_PROTO="https")  # production redirects http
        self.out("\n## Weight per public page (bytes; assets as Brotli, map tiles not counted)")
        self.out(
            f"{'page':<28}{'HTML':>8}{'HTML wire':>10}{'encoding':>9}{'CSS+JS':>8}{'total':>8}"
        )
        for label, url in self._public_pages():
            response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
            assert response.status_code == 200, (url, response.status_code)
            wire = response.content
            encoding = response.get("Content-Encoding", "-")
            html = gzip.decompress(wire) if encoding == "gzip" else wire
            assets = sum(asset_bytes(path) for path in linked_assets(html.decode()))
            self.out(
                f"{label:<28}{len(html):>8,}{len(wire):>10,}{encoding:>9}{assets:>8,}"
                f"{len(wire) + assets:>8,}"
            )

    # Load --------------------------------------------------------------------------------------

    def _load(self, requests: int) -> None:
        port = _free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        allowed = env.get("ALLOWED_HOSTS")
        if allowed is not None and "127.0.0.1" not in allowed:
            env["ALLOWED_HOSTS"] = allowed + ",127.0.0.1"
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "gunicorn", "selvhjelp.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            _wait_for(port)
            hot = ["/grupper/?sted=Oslo", "/grupper/", "/grupper/?sted=Bergen",
                   "/grupper/?sted=Trondheim", "/grupper/?format=digital",
                   "/grupper/?q=sorg", "/grupper/?sted=Stavanger&tema=sorg",
                   "/grupper/?sted=Tromsø", "/grupper/?sted=Oslo&avstand=10",
                   "/grupper/?sted=Kristiansand"]  # fmt: skip
            rng = random.Random(2)
            scenarios = {"trivial": lambda n: [TRIVIAL_URL] * requests}
            scenarios["varied"] = lambda n: self._varied_urls(requests, seed=100 + n)
            scenarios["80 % repeats"] = lambda n: [
                rng.choice(hot) if rng.random() < 0.8 else url
                for url in self._varied_urls(requests, seed=200 + n)
            ]
            for url in (TRIVIAL_URL, SEARCH_URL):  # each worker imports and connects
                for _ in range(4):
                    _fetch(port, url)
            rates: dict[str, list[float]] = {kind: [] for kind in scenarios}
            for n in range(2):
                for kind, urls in scenarios.items():
                    rates[kind].append(_hammer(port, urls(n)))
            self.out(
                f"\n## Load: gunicorn, 2 sync workers, 8 client threads, {requests} requests "
                "per run, 2 runs each alternating (client on the same machine)"
            )
            self.out(f"{'scenario':<14}{'req/s':>8}{'of trivial':>12}")
            trivial = statistics.median(rates["trivial"])
            for kind, values in rates.items():
                rate = statistics.median(values)
                self.out(f"{kind:<14}{rate:>8.0f}{rate / trivial:>11.1%}")
        finally:
            server.terminate()
            server.wait(timeout=30)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _execution_ms(plan: str) -> float:
    return float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _fetch(port, TRIVIAL_URL)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _fetch(port: int, url: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET",
            quote(url, safe="/?=&"),
            headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
        )
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
        return response.status
    finally:
        conn.close()


def _hammer(port: int, urls: list[str]) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda url: _fetch(port, url), urls))
    return len(urls) / (time.perf_counter() - started)
