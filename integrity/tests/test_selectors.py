import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from integrity.models import Notification, Unit, User
from integrity.selectors import count_each, counts_by, not_inactive
from integrity.services import notification_send
from integrity.tests.factories import NotificationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    parent = UnitFactory(name="Finance bureau 100%")
    for index in range(3):
        UnitFactory(parent=parent, name=f"Section {index}")
    people = UserFactory.create_batch(4, unit=parent)
    NotificationFactory.create_batch(2, recipient=people[0])
    NotificationFactory(recipient=people[1])
    return parent, people


def test_each_count_equals_the_querysets_own(organisation, django_assert_num_queries):
    parent, people = organisation
    querysets = {
        "units": Unit.objects.all(),
        "children": Unit.objects.filter(parent=parent),
        "percent_in_name": Unit.objects.filter(name__contains="100%"),  # a LIKE parameter with a literal %
        "first_persons_inbox": Notification.objects.filter(recipient=people[0]),
        "joined": User.objects.filter(notifications__isnull=False).distinct(),
        "none": User.objects.filter(Q(username="nobody") & Q(is_active=True)),
    }
    expected = {name: qs.count() for name, qs in querysets.items()}
    assert expected["children"] == 3 and expected["percent_in_name"] == 1 and expected["joined"] == 2
    with django_assert_num_queries(1):
        counts = count_each(**querysets)
    assert counts == expected


def test_no_querysets_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_each() == {}


def test_not_inactive_keeps_the_same_rows_as_a_join_on_active_people(make_user):
    stayed, left = make_user(), make_user()
    for person in (stayed, left):
        notification_send(recipient=person, subject="Hello", body="", url="/")
    User.objects.filter(pk=left.pk).update(is_active=False)
    kept = Notification.objects.filter(not_inactive("recipient"))
    assert list(kept) == list(Notification.objects.filter(recipient__is_active=True))
    assert [n.recipient_id for n in kept] == [stayed.pk]
    assert "JOIN" not in str(kept.query)


def test_count_each_answers_an_empty_queryset_without_asking(make_user):
    make_user()
    with CaptureQueriesContext(connection) as captured:
        assert count_each(nobody=User.objects.none()) == {"nobody": 0}
    assert not captured.captured_queries
    counts = count_each(nobody=User.objects.none(), everyone=User.objects.all())
    assert counts == {"nobody": 0, "everyone": User.objects.count()}
    assert list(counts) == ["nobody", "everyone"]


def test_counts_by_groups_the_rows_by_fields_and_flags_in_one_statement(django_assert_num_queries):
    root = UnitFactory(code="root")
    children = [UnitFactory(parent=root) for _ in range(3)]
    UnitFactory(parent=children[0])
    Unit.objects.filter(pk=children[1].pk).update(is_active=False)
    units = Unit.objects.filter(path__startswith=root.path)
    with django_assert_num_queries(1):
        rows = counts_by(units, "depth", active=Q(is_active=True))
    assert sum(row["n"] for row in rows) == units.count() == 5
    expected = {}
    for unit in units:
        key = (unit.depth, unit.is_active)
        expected[key] = expected.get(key, 0) + 1
    assert {(row["depth"], row["active"]): row["n"] for row in rows} == expected
    assert counts_by(Unit.objects.none(), "depth") == []


def test_unit_members_first_rows_are_the_first_rows_of_the_members():
    from integrity.selectors import unit_members, unit_members_pages

    unit = UnitFactory()
    UserFactory.create_batch(4, unit=unit)
    UserFactory(unit=unit, is_leading_cadre=True)
    UserFactory(unit=unit, is_active=False)
    expected = list(unit_members(unit=unit))
    assert len(expected) == 5 and expected[0].is_leading_cadre
    for n in (1, 5, 6):
        assert [p.pk for p in unit_members_pages(unit=unit)[0](n)] == [p.pk for p in expected[:n]]
