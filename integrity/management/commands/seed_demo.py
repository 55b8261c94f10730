import time

from django.core.management.base import BaseCommand, CommandError

from integrity.demo import seeders


class Command(BaseCommand):
    help = "Create the demo organisation, accounts and records (idempotent). --scale N makes N× more."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the generated volumes by N (bulk inserts).")

    def handle(self, *args, scale, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        started = time.monotonic()
        for seeder in seeders():
            seeder(stdout=self.stdout, scale=scale)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s."))
