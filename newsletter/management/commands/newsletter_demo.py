from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsletter.demo import create_demo_newsletter


class Command(BaseCommand):
    help = "Demo newsletter data; --subscribers 5000 for the sending walk-through."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=300)

    def handle(self, *args, subscribers: int, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG is off).")
        counts = create_demo_newsletter(subscribers=subscribers)
        self.stdout.write(f"{counts['subscribers']} demo subscribers, {counts['issues']} issues")
