import time

from django.core.management.base import BaseCommand, CommandError

from integrity.demo import seeders

NAMED_SCALES = ("tiny", "small", "province")


def _scale(value: str):
    """An integer (N× the demo volumes) or a named benchmark size (bench/generate.py)."""
    if value in NAMED_SCALES:
        return value
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"--scale takes a number or one of: {', '.join(NAMED_SCALES)}.") from None


class Command(BaseCommand):
    help = (
        "Create the demo organisation, accounts and records (idempotent). --scale N makes N× more; "
        "--scale small|province loads the benchmark data set (bench/) with COPY on PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="1",
            help="Multiply the generated volumes by N (bulk inserts), or a benchmark size: "
            + ", ".join(NAMED_SCALES)
            + ".",
        )

    def handle(self, *args, scale, **options):
        scale = _scale(str(scale))
        if isinstance(scale, int) and scale < 1:
            raise CommandError("--scale must be 1 or more.")
        started = time.monotonic()
        for seeder in seeders():
            seeder(stdout=self.stdout, scale=scale if isinstance(scale, int) else 1)
        if isinstance(scale, str):
            from django.db import connection

            if connection.vendor != "postgresql":
                raise CommandError("Named scales load with PostgreSQL's COPY: set DATABASE_URL to PostgreSQL.")
            from bench.generate import generate  # bench/ is not an installed app: imported on demand

            self.stdout.write(f"Benchmark data set {scale!r}:")
            generate(scale, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s."))
