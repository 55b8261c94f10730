"""The operability check: missing elements and vague wording, in English and Chinese."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import ELEMENTS

VAGUE_PHRASES = [
    "as appropriate",
    "in principle",
    "relevant departments",
    "relevant units",
    "where necessary",
    "if necessary",
    "in a timely manner",
    "as soon as possible",
    "strictly control",
    "原则上",
    "适当",
    "有关部门",
    "相关部门",
    "视情况",
    "必要时",
    "及时",
    "酌情",
    "一般情况下",
]
_VAGUE_RE = re.compile("|".join(re.escape(p) for p in sorted(VAGUE_PHRASES, key=len, reverse=True)), re.IGNORECASE)


@dataclass(frozen=True)
class CheckItem:
    kind: str  # "missing" or "vague"
    where: str
    detail: str
    anchor: str = ""


def vague_phrases_in(text: str) -> list[str]:
    seen = []
    for match in _VAGUE_RE.finditer(text or ""):
        phrase = match.group(0)
        if phrase.lower() not in [s.lower() for s in seen]:
            seen.append(phrase)
    return seen


def operability_check(*, elements: dict, articles: list[tuple[int, str]]) -> list[CheckItem]:
    """Open items of a draft: each empty element, and each vague phrase with where it stands."""
    items = []
    for name, label in ELEMENTS:
        value = (elements.get(name) or "").strip()
        if not value:
            items.append(CheckItem("missing", str(label), _("This element is empty: say it plainly."), name))
        for phrase in vague_phrases_in(value):
            items.append(CheckItem("vague", str(label), _("Vague wording: “%(phrase)s”") % {"phrase": phrase}, name))
    for number, text in articles:
        for phrase in vague_phrases_in(text):
            where = _("Article %(number)s") % {"number": number}
            detail = _("Vague wording: “%(phrase)s”") % {"phrase": phrase}
            items.append(CheckItem("vague", where, detail, f"article-{number}"))
    return items


def check_version(version, *, articles=None) -> list[CheckItem]:
    """The version's open items; `articles`: its articles, where the caller has read them already."""
    elements = {name: getattr(version, name) for name, _label in ELEMENTS}
    articles = [(a.number, a.text) for a in (version.articles.all() if articles is None else articles)]
    return operability_check(elements=elements, articles=articles)
