"""The one place that knows how rules are searched: PostgreSQL full text, or a plain fallback.

PostgreSQL's parser does not split Chinese into words: a run of Chinese characters becomes one
lexeme, so a word inside it could not be found. The search document therefore adds every pair of
adjacent Chinese characters (bigrams) as words of their own, and a Chinese query becomes the AND
of its bigrams (a single character: a prefix match). One GIN index over the stored column
rules_rule.search_vector = to_tsvector('simple', search_text) (migration 0006) then answers English
words, codes and Chinese words alike.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MARK = "\n\u2063"  # separates the readable text from the bigram section


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def search_document(parts) -> str:
    """The text stored in Rule.search_text: the parts, then the bigrams of their Chinese runs."""
    text = "\n".join(p for p in parts if p)
    grams = []
    for run in _CJK_RUN.findall(text):
        grams.extend(_bigrams(run))
    return f"{text}{_MARK}{' '.join(grams)}" if grams else text


def _tsquery(q: str) -> str:
    """A to_tsquery('simple', ...) string: Latin words and Chinese bigrams, all required."""
    terms = []
    for token in _WORD.findall(q.lower()):
        for piece in re.split(r"([\u3400-\u9fff\uf900-\ufaff]+)", token):
            if not piece:
                continue
            if _CJK_RUN.fullmatch(piece):
                if len(piece) == 1:
                    terms.append(f"{piece}:*")
                else:
                    terms.extend(_bigrams(piece))
            else:
                terms.append(piece)
    return " & ".join(dict.fromkeys(terms))


def search_rules(queryset, q: str):
    """Rules whose code, title or article text matches q (every word of it).

    On PostgreSQL: the full-text GIN index (`simple` configuration, so no stemming surprises in
    either language), or the exact code. Elsewhere (the embedded SQLite run): a case-insensitive
    substring match.
    """
    q = (q or "").strip()[:200]
    if not q:
        return queryset
    if connection.vendor != "postgresql":
        return queryset.filter(search_text__icontains=q)
    query = _tsquery(q)
    if not query:
        return queryset.filter(code__iexact=q)
    # Both conditions on the rule's own row, so that PostgreSQL combines the GIN index and the
    # index on UPPER(code) (a BitmapOr) instead of testing every rule against a subquery.
    matching = RawSQL(
        '"rules_rule"."search_vector" @@ to_tsquery(\'simple\', %s)',
        [query],
        output_field=BooleanField(),
    )
    return queryset.filter(Q(matching) | Q(code__iexact=q))
