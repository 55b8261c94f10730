"""Migrations of PostgreSQL-only features (full-text search, GIN indexes): they run their SQL on
PostgreSQL and do nothing on other databases (the embedded SQLite run)."""

from django.db import migrations


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """A migration operation that executes `forward` (or, unapplied, `backward`) on PostgreSQL only."""

    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for sql in statements:
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward))
