"""Sends an issue to N recipients through a local SMTP sink (aiosmtpd, in its own process) and
compares the rate with a plain smtplib loop over one connection to the same sink, in the same
run. Each size runs in a fresh process so its peak RSS is its own.

    python manage.py benchmark_newsletter                 # 10,000 and 100,000
    python manage.py benchmark_newsletter --sizes 2000

It writes benchmark rows (a district office, subscribers, an issue) to the configured database
and deletes them at the end. Never run it against production.
"""

from __future__ import annotations

import json
import resource
import smtplib
import socket
import subprocess
import sys
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from newsletter.models import Issue, Subscriber
from newsletter.rendering import render_issue
from newsletter.services import sending
from selvhjelp.models import DistrictOffice


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CommandError("the SMTP sink did not start")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class Command(BaseCommand):
    help = "Newsletter sending rate and memory against a plain smtplib loop (aiosmtpd sink)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--single", type=int, help="internal: one size, in this process")
        parser.add_argument("--port", type=int)

    def handle(self, *args, sizes, single=None, port=None, **options):
        if single:
            self.stdout.write(json.dumps(self._run_one(single, port)))
            return
        if not settings.DEBUG:
            raise CommandError("The benchmark writes test rows: development only (DEBUG on).")
        port = _free_port()
        sink = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{port}",
                "-c",
                "aiosmtpd.handlers.Sink",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port)
            self.stdout.write("recipients  plain smtplib/s  newsletter/s  ratio  peak RSS (MB)")
            for size in sizes:
                out = subprocess.run(  # noqa: S603
                    [
                        sys.executable,
                        "manage.py",
                        "benchmark_newsletter",
                        "--single",
                        str(size),
                        "--port",
                        str(port),
                    ],  # fmt: skip
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=settings.BASE_DIR,
                ).stdout
                r = json.loads(out.strip().splitlines()[-1])
                self.stdout.write(
                    f"{size:>10}  {r['plain_rate']:>14.0f}  {r['rate']:>12.0f}  "
                    f"{r['rate'] / r['plain_rate']:>5.0%}  {r['peak_rss_mb']:>6.1f} "
                    f"(before sending {r['rss_before_mb']:.1f})"
                )
        finally:
            sink.terminate()
            sink.wait(timeout=10)

    def _run_one(self, size: int, port: int) -> dict:
        settings.EMAIL_BACKEND = "selvhjelp.smtp.SMTPBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.NEWSLETTER_RATE_PER_SECOND = 1_000_000  # measure the machinery, not the pacer
        settings.NEWSLETTER_MAX_PER_HOUR = 0
        settings.NEWSLETTER_PAUSE_ERROR_RATE = 100

        tag = uuid.uuid4().hex[:8]
        office = DistrictOffice.objects.create(name=f"Benchmark {tag}", slug=f"benchmark-{tag}")
        try:
            with connection.cursor() as cursor:
                # generate_series: the subscribers never pass through this process's memory.
                cursor.execute(
                    f"""
                    INSERT INTO {Subscriber._meta.db_table}
                        (email, name, lists, region_id, public_id, consent_version,
                         consent_channel, created_at, confirmed_at, soft_bounces)
                    SELECT 'b' || n || '-{tag}@benchmark.invalid', '', ARRAY['general'], %s,
                           gen_random_uuid(), 'benchmark', 'benchmark', now(), now(), 0
                    FROM generate_series(1, %s) AS n
                    """,  # noqa: S608 (tag is hex from uuid4)
                    [office.pk, size],
                )
            issue = Issue.objects.create(
                subject="Benchmark",
                body_markdown="## Hei\n\nEt nyhetsbrev med **litt** tekst og en [lenke](https://selvhjelp.example/).\n"
                * 3,
                office=office,
                status=Issue.Status.SENDING,
            )
            plain_rate = self._plain_loop(size, port, issue)
            rss_before = _peak_rss_mb()
            started = time.perf_counter()
            result = sending.issue_send(issue_id=issue.pk)
            elapsed = time.perf_counter() - started
            sent = issue.deliveries.filter(status="sent").count()
            if result != "sent" or sent != size:
                raise CommandError(f"sending ended with {result!r}, {sent} of {size} sent")
            return {
                "size": size,
                "plain_rate": plain_rate,
                "rate": size / elapsed,
                "peak_rss_mb": _peak_rss_mb(),
                "rss_before_mb": rss_before,
            }
        finally:
            Issue.objects.filter(office=office).delete()
            Subscriber.objects.filter(region=office).delete()
            office.delete()

    def _plain_loop(self, size: int, port: int, issue: Issue) -> float:
        """The simplest sender: one connection, one pre-built message, a new To each time."""
        rendered = render_issue(issue)
        message = sending.build_message(
            rendered, delivery_id=0, email="x@benchmark.invalid", public_id=uuid.uuid4()
        ).message()
        del message["To"]
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for n in range(size):
                to = f"p{n}@benchmark.invalid"
                message["To"] = to
                smtp.sendmail("post@selvhjelp.example", [to], message.as_bytes(linesep="\r\n"))
                del message["To"]
        return size / (time.perf_counter() - started)
