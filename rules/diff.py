"""Article-by-article comparison of two versions, with words highlighted inside changed articles."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# A token is one CJK character, one word, a run of spaces, or one other character.
_TOKEN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W\u3400-\u9fff\uf900-\ufaff]+|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def highlight(old: str, new: str) -> tuple[str, str]:
    """HTML of old and new with removed words in <del> and added words in <ins> (all text escaped)."""
    a, b = tokens(old), tokens(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
        else:
            if old_part:
                left.append(f"<del>{old_part}</del>")
            if new_part:
                right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - every piece is escaped


@dataclass
class ArticleChange:
    kind: str  # unchanged, changed, moved, added, removed
    old_number: int | None
    new_number: int | None
    old_html: str
    new_html: str


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=tokens(a), b=tokens(b), autojunk=False).ratio()


def compare_articles(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> list[ArticleChange]:
    """Pair the articles of two versions: identical text (moved if renumbered), then similar text
    (changed), and what is left is removed or added. Rows come in the new version's order."""
    old_left = dict(old)
    pairs: dict[int, int] = {}  # new number → old number
    by_text = {}
    for number, text in old:
        by_text.setdefault(text.strip(), []).append(number)
    for number, text in new:
        candidates = [n for n in by_text.get(text.strip(), []) if n in old_left]
        if candidates:
            match = min(candidates, key=lambda n: abs(n - number))
            pairs[number] = match
            del old_left[match]
    for number, text in new:
        if number in pairs or not old_left:
            continue
        best = max(old_left, key=lambda n: (_similarity(old_left[n], text), -abs(n - number)))
        if _similarity(old_left[best], text) >= 0.4:
            pairs[number] = best
            del old_left[best]
    old_text = dict(old)
    rows = []
    for number, text in new:
        if number in pairs:
            before = old_text[pairs[number]]
            if before.strip() == text.strip():
                kind = "unchanged" if pairs[number] == number else "moved"
                rows.append(ArticleChange(kind, pairs[number], number, escape(before), escape(text)))
            else:
                left, right = highlight(before, text)
                rows.append(ArticleChange("changed", pairs[number], number, left, right))
        else:
            rows.append(ArticleChange("added", None, number, "", escape(text)))
    for number in sorted(old_left):
        position = next((i for i, r in enumerate(rows) if r.old_number and r.old_number > number), len(rows))
        rows.insert(position, ArticleChange("removed", number, None, escape(old_left[number]), ""))
    return rows


def compare_fields(old: dict, new: dict, labels: dict) -> list[tuple[str, str, str]]:
    """[(label, old html, new html)] for each named field whose value differs."""
    rows = []
    for name, label in labels.items():
        if (old.get(name) or "") != (new.get(name) or ""):
            left, right = highlight(old.get(name) or "", new.get(name) or "")
            rows.append((label, left, right))
    return rows
