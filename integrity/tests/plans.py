"""Reading PostgreSQL's plans in tests: which indexes can answer a statement."""

from django.db import connection


def plan_without_seqscan(sql, params, *, ordered_by_index=False, index_scans_only=False) -> str:
    """PostgreSQL's plan for the statement with sequential scans off: what the indexes can answer (on a
    test database's few rows a sequential scan always wins, so it is taken out of the choice).
    ordered_by_index: sorting is off too, so the plan shows which index gives the rows in order.
    index_scans_only: bitmap scans are off too, so the plan shows the one index that answers alone."""
    switches = ["enable_seqscan"]
    switches += ["enable_sort"] if ordered_by_index else []
    switches += ["enable_bitmapscan"] if index_scans_only else []
    with connection.cursor() as cursor:
        for switch in switches:
            cursor.execute(f"SET {switch} = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for switch in switches:
                cursor.execute(f"SET {switch} = on")


def plan_of(queryset, **switches) -> str:
    return plan_without_seqscan(*queryset.query.sql_with_params(), **switches)
