"""Scale data for the benchmarks, bulk-loaded into PostgreSQL with COPY.

`generate("province")` adds, beside the demo data (`seed_demo` at scale 1), a province-sized
organisation, people, rules with their versions, articles, transitions, consultations and history,
inbox messages, and the execution data of the apps that exist (acknowledgements, tasks, feedback ...).

Each model family is one generator function registered with ``@family``; a family whose models or
tables do not exist yet is reported as "not built" and skipped, one whose table no longer matches
its columns is reported with the error and rolled back alone. Adding a family is ~30 lines::

    @family("reviews", order=70, requires=("reviews.Review",))
    def reviews(ctx):
        Review = ctx.model("reviews.Review")
        rules = ctx.ids["rules_in_force"]
        ids = ctx.reserve(Review, ctx.size.reviews)
        ctx.copy(
            Review,
            ["id", "rule_id", "status", "due_on", "created_by_id", "created_at"],
            ((pk, ctx.rng.choice(rules), "open", ctx.today + timedelta(days=pk % 90), ctx.officer_id, ctx.now)
             for pk in ids),
            history=True,
        )

``ctx.copy`` fills every column not listed from the model's defaults (blank text, NULL, the field
default, now for auto_now), or refuses the family when a required column has no default.
"""

import io
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import texts

CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class Size:
    units: int
    people: int
    rules: int
    acknowledgements: int
    feedback: int
    tasks: int
    reviews: int
    notifications: int
    campaigns: int
    inbox_per_bench_user: int


SIZES = {
    "province": Size(5_000, 200_000, 50_000, 1_000_000, 200_000, 100_000, 20_000, 400_000, 500, 2_000),
    "small": Size(50, 2_000, 500, 10_000, 2_000, 1_000, 200, 4_000, 5, 200),
    "tiny": Size(12, 120, 30, 300, 60, 40, 10, 200, 2, 20),
}

# The demo accounts the page benchmark logs in as: their inboxes get inbox_per_bench_user messages.
BENCH_USERS = ("admin", "officer", "officer2", "liaison", "cadre", "leader")


class MissingColumn(Exception):
    """A generator does not fill a required column (the model grew a field without a default)."""


@dataclass
class TableStats:
    rows: int = 0
    seconds: float = 0.0


@dataclass
class Family:
    name: str
    fn: Callable
    order: int
    requires: tuple


_families: list[Family] = []


def family(name: str, *, order: int, requires: tuple = ()):
    """Register a generator of one model family; ``requires`` lists "app_label.Model" it writes."""

    def register(fn):
        _families[:] = [f for f in _families if f.name != name]
        _families.append(Family(name, fn, order, tuple(requires)))
        return fn

    return register


def families() -> list[Family]:
    return sorted(_families, key=lambda f: f.order)


def _fmt(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class Context:
    """What generators share: the size, a seeded random source, ids made so far, COPY and stats."""

    def __init__(self, size: Size, *, seed: int = 2026, drop_indexes: bool = True):
        self.size = size
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.ids: dict[str, list] = {}
        self.data: dict[str, object] = {}
        self.stats: dict[str, TableStats] = defaultdict(TableStats)
        self.drop_indexes = drop_indexes
        self.dropped: dict[str, list[str]] = {}
        self.touched_with_ids: set[str] = set()
        self._next_id: dict[str, int] = {}
        self._fill_cache: dict = {}
        self.officer_id = None

    # ---- helpers for generators -------------------------------------------------------------
    @staticmethod
    def model(label: str):
        return apps.get_model(label)

    def cursor(self):
        return connection.cursor()

    def reserve(self, model, count: int) -> range:
        """Primary keys for count new rows (the sequence is moved past them at the end)."""
        table = model._meta.db_table
        if table not in self._next_id:
            with connection.cursor() as cur:
                cur.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) + 1 FROM "{table}"')
                self._next_id[table] = cur.fetchone()[0]
        start = self._next_id[table]
        self._next_id[table] = start + count
        return range(start, start + count)

    def aware(self, day: date, hour: int = 9) -> datetime:
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour))

    def _fill_values(self, model, columns: list[str]) -> list[tuple[str, object]]:
        """(column, constant) for the model's concrete columns the generator did not list."""
        key = (model, tuple(columns))
        if key in self._fill_cache:
            return self._fill_cache[key]
        given = set(columns)
        fill = []
        for f in model._meta.concrete_fields:
            if f.attname in given or f.column in given:
                continue
            if f.primary_key:
                continue  # the database's sequence gives it
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now
            elif f.has_default():
                if f.unique and callable(f.default):
                    raise MissingColumn(f"{model._meta.label}.{f.name} is unique with a computed default")
                value = f.get_default()
                if isinstance(value, list | dict):
                    import json

                    value = json.dumps(value)
            elif f.null:
                value = None
            elif f.blank and f.empty_strings_allowed:
                value = ""
            else:
                raise MissingColumn(f"{model._meta.label}.{f.name} is required and the generator does not fill it")
            fill.append((f.column, value))
        self._fill_cache[key] = fill
        return fill

    def copy(self, model, columns: list[str], rows: Iterable[tuple], *, history=None) -> int:
        """COPY rows (tuples in ``columns`` order, attnames) into the model's table.

        history: None, or a dict for the simple-history table: {"date": column giving history_date
        (default: now), "user": column giving history_user_id (default: none)}; one "+" record a row.
        """
        table = model._meta.db_table
        columns = [model._meta.get_field(c).column for c in columns]
        pk_column = model._meta.pk.column
        first = None
        if history is not None and pk_column not in columns:
            # History rows repeat the primary key: give the rows theirs here.
            first = self.reserve(model, 0).start
            rows = ((first + i, *row) for i, row in enumerate(rows))
            columns = [pk_column, *columns]
        fill = self._fill_values(model, columns)
        all_columns = columns + [c for c, _ in fill]
        fill_text = "".join("\t" + _fmt(v) for _, v in fill)
        if model._meta.pk.column in columns:
            self.touched_with_ids.add(table)
        self._before_load(table)
        hist = None
        if history is not None and hasattr(model, "history"):
            hist = self._history_plan(model, all_columns, fill, history)
            self._before_load(hist["table"])
        started = time.perf_counter()
        total = 0
        buf = io.StringIO()
        hbuf = io.StringIO() if hist else None
        n = 0
        for row in rows:
            line = "\t".join(_fmt(v) for v in row) + fill_text
            buf.write(line)
            buf.write("\n")
            if hist:
                values = line.split("\t")
                hbuf.write("\t".join(hist["pick"](values)))
                hbuf.write("\n")
            n += 1
            if n >= CHUNK_ROWS:
                self._flush(table, all_columns, buf, hist, hbuf)
                total += n
                n = 0
                buf = io.StringIO()
                hbuf = io.StringIO() if hist else None
        if n:
            self._flush(table, all_columns, buf, hist, hbuf)
            total += n
        seconds = time.perf_counter() - started
        if first is not None:
            self._next_id[table] = first + total
        self.stats[table].rows += total
        self.stats[table].seconds += seconds
        if hist:
            self.stats[hist["table"]].rows += total
        return total

    def copy_m2m(self, model, field_name: str, pairs: Iterable[tuple[int, int]]) -> int:
        through = model._meta.get_field(field_name).remote_field.through
        source = model._meta.get_field(field_name).m2m_column_name()
        target = model._meta.get_field(field_name).m2m_reverse_name()
        return self.copy(through, [source, target], pairs)

    # ---- internals ------------------------------------------------------------------------------
    def _flush(self, table, columns, buf, hist, hbuf):
        cols = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cur:
            buf.seek(0)
            cur.cursor.copy_expert(f'COPY "{table}" ({cols}) FROM STDIN', buf)
            if hist:
                hbuf.seek(0)
                hcols = ", ".join(f'"{c}"' for c in hist["columns"])
                cur.cursor.copy_expert(f'COPY "{hist["table"]}" ({hcols}) FROM STDIN', hbuf)

    def _history_plan(self, model, all_columns, fill, history):
        hmodel = model.history.model
        position = {c: i for i, c in enumerate(all_columns)}
        date_pos = position.get(model._meta.get_field(history["date"]).column) if history.get("date") else None
        user_pos = position.get(history["user"]) if history.get("user") else None
        now = _fmt(self.now)
        picks = []
        hcolumns = []
        for f in hmodel._meta.concrete_fields:
            if f.column == "history_id":
                continue
            hcolumns.append(f.column)
            if f.column in position:
                picks.append(("col", position[f.column]))
            elif f.column == "history_date":
                picks.append(("col", date_pos) if date_pos is not None else ("const", now))
            elif f.column == "history_type":
                picks.append(("const", "+"))
            elif f.column == "history_user_id":
                picks.append(("col", user_pos) if user_pos is not None else ("const", "\\N"))
            elif f.null:
                picks.append(("const", "\\N"))
            elif f.blank and f.empty_strings_allowed:
                picks.append(("const", ""))
            else:
                raise MissingColumn(f"{hmodel._meta.label}.{f.name} has no value")

        def pick(values):
            return [values[i] if kind == "col" else i for kind, i in picks]

        return {"table": hmodel._meta.db_table, "columns": hcolumns, "pick": pick}

    def _before_load(self, table):
        """Drop the table's plain (non-unique) indexes before its first load; recreated at the end."""
        if not self.drop_indexes or table in self.dropped:
            return
        with connection.cursor() as cur:
            cur.execute(
                """SELECT i.relname, pg_get_indexdef(x.indexrelid)
                   FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                   WHERE t.relname = %s AND NOT x.indisunique AND NOT x.indisprimary""",
                [table],
            )
            found = cur.fetchall()
            for name, _definition in found:
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        self.dropped[table] = [d.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1) for _, d in found]

    def finish(self):
        """Recreate dropped indexes, move sequences past the loaded ids."""
        with connection.cursor() as cur:
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for table, definitions in self.dropped.items():
                started = time.perf_counter()
                for definition in definitions:
                    cur.execute(definition)
                if definitions:
                    self.stats[table].seconds += time.perf_counter() - started
            for table in sorted(self.touched_with_ids):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )


@dataclass
class Report:
    size: str
    families: dict = field(default_factory=dict)  # name -> {"status", "seconds", "rows", "error"?}
    tables: dict = field(default_factory=dict)  # table -> {"rows", "seconds", "rows_per_s"}
    seconds: float = 0.0
    rows: int = 0
    analyze_seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def as_dict(self):
        return {**asdict(self), "rows_per_second": round(self.rows_per_second)}


def _model_available(label: str) -> bool:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return model._meta.db_table in connection.introspection.table_names()


def generate(size_name: str, *, stdout=None, seed: int = 2026, drop_indexes: bool | None = None) -> Report:
    """Bulk-load the named size (demo accounts must exist: run the demo seeders first)."""
    from . import families as _registered  # noqa: F401  (registers the generators)
    from . import families_execution as _registered_execution  # noqa: F401

    size = SIZES[size_name]
    if drop_indexes is None:
        drop_indexes = size.rules >= 1000
    ctx = Context(size, seed=seed, drop_indexes=drop_indexes)
    report = Report(size=size_name)
    started = time.perf_counter()

    def say(message):
        if stdout is not None:
            stdout.write(message)

    with transaction.atomic():
        with connection.cursor() as cur:
            # Foreign keys are consistent by construction; skipping their triggers doubles COPY speed.
            cur.execute("SET LOCAL session_replication_role = replica")
        for fam in families():
            missing = [label for label in fam.requires if not _model_available(label)]
            if missing:
                report.families[fam.name] = {"status": "not built", "missing": missing}
                say(f"  {fam.name}: not built ({', '.join(missing)} missing)")
                continue
            before = {t: s.rows for t, s in ctx.stats.items()}
            t0 = time.perf_counter()
            try:
                with transaction.atomic():
                    fam.fn(ctx)
            except NotImplementedError:
                report.families[fam.name] = {"status": "no generator yet"}
                say(f"  {fam.name}: models exist but bench/families.py has no generator for them yet")
                continue
            except (MissingColumn, DatabaseError) as error:
                report.families[fam.name] = {"status": "failed", "error": str(error).strip()[:500]}
                say(f"  {fam.name}: FAILED — {str(error).strip()[:300]}")
                continue
            seconds = time.perf_counter() - t0
            rows = sum(s.rows - before.get(t, 0) for t, s in ctx.stats.items())
            report.families[fam.name] = {
                "status": "ok",
                "rows": rows,
                "seconds": round(seconds, 2),
                "rows_per_s": round(rows / seconds) if seconds else 0,
            }
            say(f"  {fam.name}: {rows:,} rows in {seconds:.1f}s ({rows / max(seconds, 1e-9):,.0f} rows/s)")
        t0 = time.perf_counter()
        ctx.finish()
        say(f"  indexes and sequences: {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # What autovacuum does to insert-heavy tables in production (PostgreSQL 13+): statistics for the
        # planner, and the visibility map that lets counts be answered from an index alone.
        cur.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    report.analyze_seconds = round(time.perf_counter() - t0, 2)
    report.seconds = round(time.perf_counter() - started, 2)
    report.rows = sum(s.rows for s in ctx.stats.values())
    report.tables = {
        t: {"rows": s.rows, "seconds": round(s.seconds, 2), "rows_per_s": round(s.rows / s.seconds) if s.seconds else 0}
        for t, s in sorted(ctx.stats.items())
    }
    say(
        f"Generated {report.rows:,} rows in {report.seconds:.1f}s ({report.rows_per_second:,.0f} rows/s), "
        f"VACUUM ANALYZE {report.analyze_seconds:.1f}s."
    )
    return report


__all__ = ["SIZES", "Context", "Size", "family", "families", "generate", "texts"]
