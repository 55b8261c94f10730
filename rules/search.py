"""The one place that knows how rules are searched: PostgreSQL full text + trigram, or a plain fallback."""

from django.db import connection
from django.db.models.expressions import RawSQL


def _like_pattern(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_rules(queryset, q: str):
    """Rules whose code, title or article text matches q.

    On PostgreSQL: words through the full-text GIN index (`simple` configuration, so no
    stemming surprises in either language) or substrings through the trigram GIN index —
    which is what finds Chinese words inside unsegmented Chinese text. Elsewhere (the
    embedded SQLite run): a case-insensitive substring match.
    """
    q = (q or "").strip()[:200]
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        matching = RawSQL(
            "SELECT id FROM rules_rule WHERE to_tsvector('simple', search_text) @@ plainto_tsquery('simple', %s)"
            " OR search_text ILIKE %s",
            [q, _like_pattern(q)],
        )
        return queryset.filter(pk__in=matching)
    return queryset.filter(search_text__icontains=q)
