from datetime import date, datetime
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrity.baked import baked
from integrity.models import Notification, Unit, User
from integrity.tests.factories import NotificationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@baked
def members_of(*, unit_id):
    return User.objects.filter(unit_id=unit_id).select_related("unit__parent").order_by("username")


@baked
def unit_by_code(*, code):
    return Unit.objects.filter(code=code)


@baked
def unit_with_children(*, pk):
    return Unit.objects.filter(pk=pk).prefetch_related("children")


def test_rows_are_those_of_the_queryset_with_related_objects_and_new_values_each_call():
    parent = UnitFactory(name="City")
    units = [UnitFactory(parent=parent) for _ in range(3)]
    for unit in units:
        UserFactory.create_batch(2, unit=unit)
    for unit in units:
        expected = list(User.objects.filter(unit_id=unit.pk).select_related("unit__parent").order_by("username"))
        with CaptureQueriesContext(connection) as captured:
            rows = members_of.list(unit_id=unit.pk)
            assert [r.pk for r in rows] == [e.pk for e in expected]
            assert {r.unit.name for r in rows} == {unit.name} and {r.unit.parent.name for r in rows} == {"City"}
            assert rows[0].full_name == expected[0].full_name and rows[0].date_joined == expected[0].date_joined
        assert len(captured) == 1  # the related units came in the same statement
    assert members_of.list(unit_id=0) == []


def test_the_statement_is_compiled_once_for_every_call():
    units = UnitFactory.create_batch(4)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiled:
        fresh = baked(lambda *, code: Unit.objects.filter(code=code))
        found = [fresh.first(code=unit.code) for unit in units]
    assert [u.pk for u in found] == [u.pk for u in units]
    assert compiled.call_count == 2  # twice at baking (two sets of stand-ins), then never again


def test_strings_reach_the_database_as_parameters_unchanged():
    awkward = UnitFactory(code="o-brien-x", name="O'Brien; DROP TABLE x --")
    Unit.objects.filter(pk=awkward.pk).update(code="it's-中文-%_\\")
    assert unit_by_code.first(code="it's-中文-%_\\").pk == awkward.pk
    assert unit_by_code.first(code="it's-中文-%") is None  # no pattern matching: compared as it is


def test_prefetch_related_and_dates_work_as_in_the_queryset():
    parent = UnitFactory()
    children = UnitFactory.create_batch(2, parent=parent)
    with CaptureQueriesContext(connection) as captured:
        found = unit_with_children.first(pk=parent.pk)
        assert sorted(c.pk for c in found.children.all()) == sorted(c.pk for c in children)
    assert len(captured) == 2
    person = UserFactory()
    NotificationFactory.create_batch(2, recipient=person)
    on_or_after = baked(
        lambda *, user_id, day: Notification.objects.filter(recipient_id=user_id, created_at__date__gte=day)
    )
    today = timezone.localdate()
    assert len(on_or_after.list(user_id=person.pk, day=today)) == 2
    assert on_or_after.list(user_id=person.pk, day=date(today.year + 1, 1, 1)) == []


def test_values_of_another_type_none_and_bools_are_refused():
    unit = UnitFactory()
    assert unit_by_code.first(code=unit.code).pk == unit.pk
    with pytest.raises(TypeError):
        unit_by_code.list(code=5)
    with pytest.raises(TypeError):
        unit_by_code.list(code=None)
    with pytest.raises(TypeError):
        members_of.list(unit_id=True)
    with pytest.raises(TypeError):
        baked(lambda *, day: Unit.objects.filter(created_at__date=day)).list(day=datetime(2026, 1, 1))


def test_a_statement_that_changes_with_its_values_is_refused():
    with pytest.raises(ImproperlyConfigured, match="changes with the values"):
        baked(lambda *, n: Unit.objects.filter(depth=n) if n > 1000 else Unit.objects.filter(pk=n)).list(n=3)
    with pytest.raises(ImproperlyConfigured, match="changed"):  # a value changed on its way, even to an int
        baked(lambda *, ids: Unit.objects.filter(pk__in=[i + 1 for i in ids])).list(ids=[1, 2])


def test_small_integer_columns_take_baked_values():
    parent = UnitFactory()
    child = UnitFactory(parent=parent)
    at_depth = baked(lambda *, depth: Unit.objects.filter(depth=depth, pk__in=[parent.pk, child.pk]).order_by("pk"))
    assert [u.pk for u in at_depth.list(depth=child.depth)] == [child.pk]
    assert [u.pk for u in at_depth.list(depth=parent.depth)] == [parent.pk]


def test_a_value_that_changes_on_its_way_or_misses_the_parameters_is_refused():
    with pytest.raises(ImproperlyConfigured, match="changed"):
        baked(lambda *, prefix: Unit.objects.filter(path__startswith=prefix)).list(prefix="1/")
    with pytest.raises(ImproperlyConfigured, match="do not reach"):
        baked(lambda *, n: Unit.objects.order_by("pk")).list(n=3)  # a value the statement never uses
    with pytest.raises((ImproperlyConfigured, ValueError)):  # a slice is SQL text, not a parameter
        baked(lambda *, n: Unit.objects.order_by("pk")[:n]).list(n=3)
    with pytest.raises(ImproperlyConfigured, match="cannot return rows"):
        baked(lambda *, pk: Unit.objects.filter(pk__in=[])).list(pk=1)


@baked
def units_among(*, ids):
    return Unit.objects.filter(pk__in=ids).order_by("pk")


def test_lists_of_values_one_statement_per_length_and_an_empty_list_built_for_the_call():
    units = UnitFactory.create_batch(5)
    pks = [u.pk for u in units]
    assert [u.pk for u in units_among.list(ids=pks[:2])] == pks[:2]
    assert [u.pk for u in units_among.list(ids=pks[2:4])] == pks[2:4]
    assert [u.pk for u in units_among.list(ids=list(reversed(pks[1:4])))] == pks[1:4]
    assert [u.pk for u in units_among.list(ids=(pks[0], pks[0]))] == pks[:1]  # duplicates are harmless
    with CaptureQueriesContext(connection) as captured:
        assert units_among.list(ids=[]) == []
    assert len(captured) == 0  # pk IN () is answered without asking the database, as by the queryset
    shapes = {key[0] for key in units_among._prepared}
    assert (("ids", 2),) in shapes and (("ids", 3),) in shapes
    with pytest.raises(TypeError):
        units_among.list(ids=[str(pks[0]), str(pks[1])])
    with pytest.raises(TypeError):
        units_among.list(ids=pks[0])


def test_a_limit_reads_the_first_rows_with_a_statement_of_its_own():
    units = UnitFactory.create_batch(4)
    ordered = baked(lambda *, kind: Unit.objects.filter(kind=kind).order_by("pk"))
    kind = units[0].kind
    expected = list(Unit.objects.filter(kind=kind).order_by("pk").values_list("pk", flat=True))
    assert [u.pk for u in ordered.list(kind=kind, limit=2)] == expected[:2]
    assert [u.pk for u in ordered.list(kind=kind, limit=3)] == expected[:3]
    assert [u.pk for u in ordered.list(kind=kind)] == expected
    assert len(ordered._prepared) == 3


def test_count_counts_the_rows_of_the_statement_up_to_a_limit():
    units = UnitFactory.create_batch(5)
    kind = units[0].kind
    of_kind = baked(lambda *, kind: Unit.objects.filter(kind=kind).order_by().values("pk"))
    expected = Unit.objects.filter(kind=kind).count()
    assert of_kind.count(kind=kind) == expected >= 5
    assert of_kind.count(kind=kind, limit=3) == 3
    assert of_kind.count(kind="no-such-kind") == 0
    assert units_among.count(ids=[units[0].pk, units[1].pk]) == 2 and units_among.count(ids=[]) == 0


def test_big_ints_and_long_lists_are_answered_as_by_the_queryset():
    units = UnitFactory.create_batch(3)
    assert unit_by_pk.first(pk=2**70) is None  # beyond bigint: no row, as the ORM says (no driver error)
    many = [u.pk for u in units] + list(range(10**9, 10**9 + 1_500))
    assert sorted(u.pk for u in units_among.list(ids=many)) == sorted(u.pk for u in units)  # long: unbaked
    assert units_among.count(ids=many) == 3


@pytest.mark.django_db(transaction=True)
def test_a_statement_compiled_on_one_thread_runs_on_another_threads_connection(django_db_blocker):
    import threading

    units = UnitFactory.create_batch(2)
    assert unit_by_pk.first(pk=units[0].pk).pk == units[0].pk  # compiled on this thread's connection
    found = []

    def other_thread():
        with django_db_blocker.unblock():
            found.append(unit_by_pk.first(pk=units[1].pk))
            from django.db import connection as thread_connection

            thread_connection.close()

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert found and found[0] is not None and found[0].pk == units[1].pk


@baked
def unit_by_pk(*, pk):
    return Unit.objects.filter(pk=pk)
