from django.core.management.base import BaseCommand

from selvhjelp import jobs


class Command(BaseCommand):
    help = "Runs every scheduled job once (the daily jobs and the outbox sweep)."

    def handle(self, *args, **options):
        for name, result in jobs.run_all().items():
            self.stdout.write(f"{name}: {result}")
