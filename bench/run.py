"""`make bench` (SIZE=province by default): a fresh bench database, the data, every measurement,
bench/results/<timestamp>-<size>.json and docs/performance.md.

    python -m bench.run --size small
    python -m bench.run --size province --keep-db          # re-measure without regenerating
"""

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/integrity_bench"
# How long the public form is loaded, per size (seconds).
FORM_SECONDS = {"tiny": 5, "small": 15, "province": 30}


class Out:
    def write(self, message):
        print(message, flush=True)


def _recreate_database(url: str):
    import psycopg2
    from environ import Env

    config = Env.db_url_config(url)
    name = config["NAME"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def cpu_check() -> dict:
    """A fixed pure-Python workload (no I/O), timed 15 times: this VM's speed moves from minute to minute,
    and the figure lets two runs, or two parts of one run, be compared. Microseconds; lower is faster."""
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        for _ in range(2000):
            sum(range(200))
        times.append((time.perf_counter() - t0) * 1e6)
    times.sort()
    return {"best_us": round(times[0]), "median_us": round(times[len(times) // 2])}


def machine() -> dict:
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "postgresql": pg,
        "shared_buffers": shared_buffers,
        "python": platform.python_version(),
        # Which build: the same version runs 10-12 % apart (Debian's, with PGO and LTO, against pyenv's).
        "python_executable": os.path.realpath(sys.executable),
        "django": django.get_version(),
        "os": platform.platform(),
    }


def row_counts() -> dict:
    from django.apps import apps
    from django.db import connection

    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cur:
        for model in apps.get_models():
            table = model._meta.db_table
            if table in tables and not table.startswith(("django_", "auth_")) and "historical" not in table:
                cur.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[model._meta.label] = cur.fetchone()[0]
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="province", choices=["tiny", "small", "province"])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--keep-db", action="store_true", help="Measure the existing bench database.")
    parser.add_argument("--requests", type=int, default=50, help="Timed requests per page.")
    parser.add_argument("--skip", action="append", default=[], choices=["pages", "sweep", "form"])
    parser.add_argument("--no-docs", action="store_true", help="Do not rewrite docs/performance.md.")
    parser.add_argument(
        "--page", action="append", default=[], help="Measure only the pages whose name contains this (repeatable)."
    )
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "integrity.settings.bench"
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(HERE.parent))
    out = Out()
    started = time.perf_counter()
    load_before = os.getloadavg()
    if not args.keep_db:
        out.write(f"Fresh database {args.database_url.rsplit('/', 1)[-1]} …")
        _recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command

    from . import pages, public_form, sweep
    from .report import write_docs

    result = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "size": args.size,
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
    }
    if not args.keep_db:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        result["migrate_seconds"] = round(time.perf_counter() - t0, 1)
        from integrity.demo import seeders

        from .generate import generate

        t0 = time.perf_counter()
        for seeder in seeders():
            seeder(stdout=out, scale=1)
        result["demo_seconds"] = round(time.perf_counter() - t0, 1)
        out.write(f"Generating {args.size} …")
        result["generation"] = generate(args.size, stdout=out).as_dict()
    result["rows"] = row_counts()
    if "pages" not in args.skip:
        out.write("Pages …")
        chosen = [p for p in pages.PAGES if any(part in p.name for part in args.page)] if args.page else None
        result["cpu_check_before_pages"] = cpu_check()
        result["pages"] = pages.run(requests=args.requests, pages=chosen, stdout=out, facts=result)
        result["cpu_check_after_pages"] = cpu_check()
    if "sweep" not in args.skip:
        out.write("Reminder sweep …")
        result["sweep"] = sweep.run(stdout=out)
    if "form" not in args.skip:
        out.write("Public form …")
        result["public_form"] = public_form.run(
            database_url=args.database_url, seconds=FORM_SECONDS[args.size], stdout=out
        )
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{stamp}-{args.size}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    out.write(f"Results: {path.relative_to(HERE.parent)}")
    if not args.no_docs:
        docs = write_docs(path)
        out.write(f"Table: {docs.relative_to(HERE.parent)}")
    return result


if __name__ == "__main__":
    main()
