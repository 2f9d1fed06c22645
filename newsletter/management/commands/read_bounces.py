from django.core.management.base import BaseCommand

from newsletter.services.bounces import bounces_read_folder


class Command(BaseCommand):
    help = "Read bounce (RFC 3464) and complaint (ARF) messages from a folder, one per file."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="default: NEWSLETTER_BOUNCE_FOLDER")

    def handle(self, *args, folder=None, **options):
        counts = bounces_read_folder(folder)
        self.stdout.write(f"{counts['files']} files read, {counts['suppressed']} suppressed")
