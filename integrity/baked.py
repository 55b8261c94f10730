"""Baked querysets: a selector's statement compiled once per process, then run again with new values.

Building a queryset and compiling it to SQL costs Django more than PostgreSQL spends running most of
the short statements a page sends (a row by its key, a rule's articles, a review's scores): 0.4–1 ms of
Python against 0.1–0.3 ms of SQL. A baked query builds and compiles its statement once, with
stand-in values, and afterwards only puts the new values in their places; the rows still become model
instances through the ORM's own iterator (select_related, prefetch_related and converters included),
and the statement still goes through Django's cursor (logged, counted, wrapped).

    @baked
    def review_page_row(*, pk):
        return Review.objects.select_related("rule").filter(pk=pk)

    review = review_page_row.first(pk=pk)

The statement is compiled twice, with two sets of stand-in values; the parameters that differ between
the two are where the values go, and a statement that differs between the two is refused. So the build
function must be *shape-pure*: its values may only be compared with columns (``field=value``,
``field__in=values``, ``field__gte=value``), never change which statement is built, and each must reach
the SQL unchanged (no ``__startswith``, no ``__date`` of a string). Values are ints, strings and dates,
or lists of ints or strings (one statement per length of list; an empty list, a list longer than 1,400
items or an int beyond PostgreSQL's bigint runs the queryset as built, as without baking), never None;
a value of another type than at baking, or a value that does not reach the statement as a parameter, is
refused with TypeError or ImproperlyConfigured rather than run wrong. Results are lists (``.list()``,
``.first()``; ``limit=n`` reads the first n rows): a baked statement is not a queryset to refine.
"""

import copy
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

_MAX_ITEMS = 1_400  # items of a list value that get stand-ins of their own (see _one_stand_in); longer: unbaked
_BIGINT = (-(2**63), 2**63 - 1)  # an int outside it is no row for the ORM, and an error for SQLite's driver
_KEPT = 64  # compiled statements kept per baked query (one per list length and limit); the oldest go first


def _one_stand_in(index: int, position: int, value, variant: int):
    """A value of the type of `value` for the index-th name (position-th item of a list), in one of two
    variants. The statement is compiled with each variant; the parameters that differ between the two are
    where the values go. Ints stay within 1–32,767, which every integer column accepts (Django answers an
    out-of-range value with "no rows" instead of a parameter)."""
    if isinstance(value, bool) or value is None:
        raise TypeError("Baked queries take ints, strings and dates as values (a bool or None changes the statement).")
    if isinstance(value, int):
        if index >= 10:
            raise TypeError("Baked queries take at most ten values.")
        return 1 + index * 3_000 + position + variant * 1_500  # the two variants' ranges never overlap
    if isinstance(value, str):
        return f"\x1fbaked-{variant}-{index}-{position}\x1f"
    if isinstance(value, date) and not isinstance(value, datetime):
        return date(1001 + variant, 1, 1) + timedelta(days=index)
    raise TypeError(f"Baked queries take ints, strings, dates and lists of ints or strings, not {type(value).__name__}")


def _stand_in(index: int, value, variant: int):
    if isinstance(value, (list, tuple)):
        if any(isinstance(item, date) for item in value):
            raise TypeError("Baked queries take lists of ints or strings.")
        return [_one_stand_in(index, position, item, variant) for position, item in enumerate(value)]
    return _one_stand_in(index, 0, value, variant)


def _kind(value) -> type:
    if isinstance(value, (list, tuple)):
        return list
    return str if isinstance(value, str) else date if isinstance(value, date) else int


def _check(name: str, value, kind: type, item_kind: type | None) -> None:
    if kind is list:
        if not isinstance(value, (list, tuple)) or any(
            isinstance(item, bool) or not isinstance(item, item_kind) for item in value
        ):
            raise TypeError(f"{name}={value!r}: this baked query takes a list of {item_kind.__name__} there.")
    elif value is None or isinstance(value, (bool, datetime, list, tuple)) or not isinstance(value, kind):
        raise TypeError(f"{name}={value!r}: this baked query takes a {kind.__name__} there.")


class _Prepared:
    """One compiled statement: the queryset built with stand-ins, its compiler after compiling, the SQL,
    and for each parameter either where its value comes from or its fixed value."""

    __slots__ = ("queryset", "compiler", "sql", "params", "kinds")

    def __init__(self, build, values: dict, limit: int | None, using: str, counting: bool = False):
        names = sorted(values)
        compiled = []
        for variant in (0, 1):
            stand_ins = {name: _stand_in(i, values[name], variant) for i, name in enumerate(names)}
            queryset = build(**stand_ins)
            if counting:  # the rows' keys alone, unsorted: what COUNT(*) needs of them
                queryset = queryset.order_by().values("pk")
            if limit is not None:
                queryset = queryset[:limit]
            compiler = queryset.query.get_compiler(using=using)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                message = f"{build.__qualname__} builds a statement that cannot return rows."
                raise ImproperlyConfigured(message) from None
            compiled.append((stand_ins, queryset, compiler, sql, list(params)))
        (stand_ins, queryset, compiler, sql, params), (other_stand_ins, _, _, other_sql, other_params) = compiled
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(f"{build.__qualname__}: the statement changes with the values.")
        # stand-in of the first variant -> (name, position or None, whether the backend sent it as ISO text)
        places = {}
        for name, stand_in in stand_ins.items():
            if isinstance(stand_in, list):
                places.update({(type(item), item): (name, position, False) for position, item in enumerate(stand_in)})
            else:
                places[(type(stand_in), stand_in)] = (name, None, False)
                if isinstance(stand_in, date):  # SQLite's backend sends dates as text
                    places[(str, stand_in.isoformat())] = (name, None, True)
        slots = []  # (True, (name, position, as text)) where a value goes, (False, param) for a fixed parameter
        for param, other in zip(params, other_params, strict=True):
            if param == other and type(param) is type(other):
                slots.append((False, param))
                continue
            place = places.get((type(param), param))
            if place is None or other != _value_at(other_stand_ins, place):
                raise ImproperlyConfigured(f"{build.__qualname__}: a value reaches the SQL changed ({param!r}).")
            slots.append((True, place))
        reached = {payload[:2] for is_value, payload in slots if is_value}
        missing = sorted({place[0] for place in places.values() if place[:2] not in reached and not place[2]})
        if missing:
            raise ImproperlyConfigured(f"{build.__qualname__}: {missing} do not reach the SQL as parameters.")
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = tuple(slots)
        self.kinds = {
            name: (_kind(values[name]), _kind(values[name][0]) if isinstance(values[name], (list, tuple)) else None)
            for name in names
        }

    def params_for(self, values: dict) -> tuple:
        for name, (kind, item_kind) in self.kinds.items():
            _check(name, values[name], kind, item_kind)
        return tuple(_value_at(values, payload) if is_value else payload for is_value, payload in self.params)

    def run(self, values: dict, using: str) -> list:
        params = self.params_for(values)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[using]  # this thread's connection, not the one it was compiled on
        sql = self.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        queryset = self.queryset._chain()
        queryset.query.get_compiler = lambda using=None, connection=None, elide_empty=True: compiler
        return list(queryset)


def _unbakeable(values: dict) -> bool:
    """Values that change the statement or that a driver refuses: an empty or very long list, an int
    outside PostgreSQL's bigint. The queryset is then built for the call, as without baking."""
    for value in values.values():
        items = value if isinstance(value, (list, tuple)) else (value,)
        if isinstance(value, (list, tuple)) and not 0 < len(value) <= _MAX_ITEMS:
            return True
        if any(isinstance(item, int) and not _BIGINT[0] <= item <= _BIGINT[1] for item in items):
            return True
    return False


def _value_at(values: dict, place: tuple):
    """The value (or stand-in) that goes to a parameter's place."""
    name, position, as_text = place
    value = values[name] if position is None else values[name][position]
    return value.isoformat() if as_text else value


class BakedQuery:
    """A statement built by `build(**values)`, compiled once per set of value names, length of each list
    value, limit and database (see the module docstring)."""

    def __init__(self, build):
        self.build = build
        self._prepared = {}
        self.__doc__ = build.__doc__
        self.__name__ = getattr(build, "__name__", "baked")
        self.__qualname__ = getattr(build, "__qualname__", self.__name__)

    def _for(self, values: dict, limit: int | None, using: str, counting: bool = False) -> _Prepared:
        shape = tuple(
            (name, len(value) if isinstance(value, (list, tuple)) else None) for name, value in sorted(values.items())
        )
        # The active time zone goes into statements that compare dates of timestamps (__date).
        key = (shape, limit, counting, using, connections[using].timezone_name, timezone.get_current_timezone_name())
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = _Prepared(self.build, values, limit, using, counting)
            while len(self._prepared) >= _KEPT:
                self._prepared.pop(next(iter(self._prepared)))
            self._prepared[key] = prepared
        return prepared

    def list(self, *, limit: int | None = None, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        """Every row of the statement for these values (the first `limit`), as the queryset would give them."""
        if _unbakeable(values):
            queryset = self.build(**values)
            return list(queryset if limit is None else queryset[:limit])
        return self._for(values, limit, using).run(values, using)

    def statement(
        self, *, limit: int | None = None, counting: bool = False, using: str = DEFAULT_DB_ALIAS, **values
    ) -> tuple[str, tuple]:
        """The SQL and parameters of the statement for these values (no list may be empty or longer than
        _MAX_ITEMS; `counting`: the rows' keys alone, as count() counts them), for a caller that puts it into
        a statement of its own."""
        prepared = self._for(values, limit, using, counting)
        return prepared.sql, prepared.params_for(values)

    def count(self, *, limit: int | None = None, using: str = DEFAULT_DB_ALIAS, **values) -> int:
        """The number of rows of the statement for these values (at most `limit`), counted by the database
        over the rows' keys alone (the statement without its order and columns, compiled once as well)."""
        if _unbakeable(values):
            queryset = self.build(**values).order_by().values("pk")
            return (queryset if limit is None else queryset[:limit]).count()
        prepared = self._for(values, limit, using, counting=True)
        params = prepared.params_for(values)
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({prepared.sql}) counted", params)  # noqa: S608 (the ORM's SQL)
            return int(cursor.fetchone()[0])

    def pages(self, **values) -> tuple:
        """(first_rows, count_rows) for the paginator (integrity.pagination): the first n rows of the statement
        for these values, and their number up to n."""
        return (lambda n: self.list(limit=n, **values)), (lambda n: self.count(limit=n, **values))

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values):
        """The first row, or None: for statements that find one row by a unique key."""
        rows = self.list(using=using, **values)
        return rows[0] if rows else None


def baked(build) -> BakedQuery:
    """Decorator: the build function's statement, compiled once (see the module docstring)."""
    return BakedQuery(build)
