"""URLs built often (the navigation on every page, object links in lists): each URL pattern is
reversed once, then filled in for every use.

Django's reverse() matches the pattern again on each call; a table of 25 rows with two links each
spends more on that than on its query. `link()` gives the same URL as `reverse(name, kwargs=...)`
for the path converters the project uses (int and str).
"""

import re
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import lazy

# Stand-ins reversed in place of the values: digits, so that both int and str converters accept them,
# and long enough not to occur in any other part of a path.
_STAND_IN = 7_305_911_846_200
_SAFE = "!$&'()*+,;=~:@"  # reverse() leaves RFC 3986 sub-delimiters, "~", ":" and "@" unescaped
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]+")  # nothing to escape (ids, codes)


@lru_cache(maxsize=256)
def _pattern(name, keys, script_prefix, urlconf):
    """The URL with a stand-in for each keyword, split into the literal parts around them."""
    stand_ins = {key: str(_STAND_IN + i) for i, key in enumerate(keys)}
    url = reverse(name, kwargs=stand_ins, urlconf=urlconf)
    parts = [url]
    for key, stand_in in stand_ins.items():
        for i, part in enumerate(parts):
            if isinstance(part, str) and stand_in in part:
                before, after = part.split(stand_in, 1)
                parts[i : i + 1] = [before, (key,), after]
                break
    return tuple(parts)


def link(name: str, **kwargs) -> str:
    """The URL named `name` with these keyword values, like reverse(name, kwargs=kwargs). A value that
    no converter of ours accepts (None, empty, or with a "/") goes to reverse(), which refuses it."""
    values = {key: str(value) for key, value in kwargs.items()}
    if any(value is None for value in kwargs.values()) or any(not v or "/" in v for v in values.values()):
        return reverse(name, kwargs=kwargs)
    parts = _pattern(name, tuple(sorted(kwargs)), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return "".join(part if isinstance(part, str) else _escaped(values[part[0]]) for part in parts)


def _escaped(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else quote(value, safe=_SAFE)


# link() when the URL is first shown: for lists built by the thousand where few are shown, like the
# reminder sweep's items (only those sent need their URL).
lazy_link = lazy(link, str)
