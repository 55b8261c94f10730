import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrity.models import Notification, Unit
from integrity.pagination import CappedPaginator
from integrity.tests.factories import NotificationFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    UnitFactory.create_batch(12)
    return Unit.objects.order_by("pk")


def test_below_the_cap_the_count_and_pages_are_exact(units):
    paginator = CappedPaginator(units, 5, cap=20)
    assert paginator.count == 12 and not paginator.is_capped
    assert paginator.num_pages == 3
    last = paginator.get_page(3)
    assert [u.pk for u in last] == [u.pk for u in units][10:]
    assert not last.has_next() and last.has_previous()
    assert paginator.get_page(99).number == 3  # past the end: the last page, as before
    assert paginator.get_page("x").number == 1


def test_above_the_cap_pages_go_on_while_rows_remain(units):
    paginator = CappedPaginator(units, 5, cap=7)
    assert paginator.is_capped and paginator.num_pages is None
    all_pks = [u.pk for u in units]
    first, third = paginator.get_page(1), paginator.get_page(3)
    assert [u.pk for u in first] == all_pks[:5] and first.has_next() and not first.has_previous()
    assert [u.pk for u in third] == all_pks[10:] and not third.has_next() and third.has_previous()
    assert third.start_index() == 11 and third.end_index() == 12
    # Beyond the rows, negative or not a number: a page that exists, never an error.
    assert paginator.get_page(50).number == 2  # the last page within the counted rows
    assert paginator.get_page(-1).number == 1
    assert paginator.get_page("abc").number == 1


def test_the_count_stops_at_the_cap(units):
    paginator = CappedPaginator(units, 5, cap=3)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 4
    assert len(captured) == 1
    assert "LIMIT 4" in captured[0]["sql"] and "ORDER BY" not in captured[0]["sql"]


def test_distinct_and_annotated_lists_are_counted_as_listed(units):
    from django.db.models import Count

    annotated = Unit.objects.annotate(n=Count("members")).order_by("pk")
    assert CappedPaginator(annotated, 5, cap=100).count == 12
    assert CappedPaginator(Unit.objects.distinct().order_by("pk"), 5, cap=100).count == 12
    assert CappedPaginator(list(units), 5, cap=100).count == 12
    in_memory = CappedPaginator(list(units), 5, cap=3)  # a list is counted whole, whatever its length
    assert in_memory.count == 12 and not in_memory.is_capped and in_memory.num_pages == 3


def test_a_long_list_says_more_than_the_cap_in_both_languages(client, officer, settings):
    settings.INTEGRITY_COUNT_CAP = 5
    settings.INTEGRITY_PAGE_SIZE = 3
    UnitFactory.create_batch(8)
    client.force_login(officer)
    page = client.get("/units/").content.decode()
    assert "More than 5" in page and "Page 1" in page and "Page 1 of" not in page
    assert 'rel="next"' in page
    second = client.get("/units/?page=2").content.decode()
    assert 'rel="prev"' in second
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "超过 5 条" in client.get("/units/").content.decode()


def test_the_unread_badge_stops_at_99(client, cadre):
    NotificationFactory.create_batch(101, recipient=cadre)
    client.force_login(cadre)
    page = client.get("/inbox/").content.decode()
    assert 'data-testid="unread-count">99+<' in page
    read = list(Notification.objects.filter(recipient=cadre).values_list("pk", flat=True)[:3])
    Notification.objects.filter(pk__in=read).update(read_at=timezone.now())
    assert 'data-testid="unread-count">98<' in client.get("/inbox/").content.decode()


def test_a_list_that_ends_on_its_page_is_counted_from_its_rows(units):
    all_pks = [u.pk for u in units]
    with CaptureQueriesContext(connection) as captured:
        page = CappedPaginator(units.all(), 20, cap=100).get_page(None)
        assert [u.pk for u in page] == all_pks
        assert page.paginator.count == 12 and page.paginator.num_pages == 1 and not page.has_next()
    assert len(captured) == 1 and "COUNT" not in captured[0]["sql"].upper()
    with CaptureQueriesContext(connection) as captured:
        last = CappedPaginator(units.all(), 5, cap=100).get_page("3")
        assert [u.pk for u in last] == all_pks[10:] and last.paginator.count == 12
        assert last.has_previous() and not last.has_next() and last.start_index() == 11
    assert len(captured) == 1
    with CaptureQueriesContext(connection) as captured:
        empty = CappedPaginator(Unit.objects.none().order_by("pk"), 5, cap=100).get_page(1)
        assert list(empty) == [] and empty.paginator.count == 0 and empty.paginator.num_pages == 1
    assert len(captured) == 0  # an empty queryset asks nothing


def test_a_page_with_rows_after_it_is_counted_as_before(units):
    all_pks = [u.pk for u in units]
    with CaptureQueriesContext(connection) as captured:
        first = CappedPaginator(units.all(), 5, cap=100).get_page(1)
        assert [u.pk for u in first] == all_pks[:5] and first.has_next()
        assert first.paginator.count == 12 and first.paginator.num_pages == 3
    assert len(captured) == 2 and "COUNT" in captured[1]["sql"].upper()
    capped = CappedPaginator(units.all(), 5, cap=10).get_page(1)
    assert capped.paginator.is_capped and capped.has_next() and [u.pk for u in capped] == all_pks[:5]


def test_pages_the_rows_cannot_settle_are_counted_first(units):
    all_pks = [u.pk for u in units]
    past_the_end = CappedPaginator(units.all(), 5, cap=100).get_page(9)
    assert past_the_end.number == 3 and [u.pk for u in past_the_end] == all_pks[10:]
    beyond_the_cap = CappedPaginator(units.all(), 5, cap=7).get_page(3)  # 10 + 5 > 7: counted, open-ended
    assert beyond_the_cap.paginator.is_capped and [u.pk for u in beyond_the_cap] == all_pks[10:]
    assert CappedPaginator(units.all(), 5, cap=100).get_page(0).number == 3  # below one: as Django (the last)
    assert CappedPaginator(units.all(), 5, cap=100).get_page("2.5").number == 1
    no_empty_first = CappedPaginator(Unit.objects.none().order_by("pk"), 5, cap=100, allow_empty_first_page=False)
    with pytest.raises(Exception):  # noqa: B017 — Django's EmptyPage, as without reading first
        no_empty_first.get_page(1)


def test_the_first_page_can_be_read_by_another_way_to_the_same_rows(units):
    from integrity.baked import baked

    ordered = baked(lambda *, depth: Unit.objects.filter(depth=depth).order_by("pk"))
    depth = units[0].depth
    same = Unit.objects.filter(depth=depth).order_by("pk")
    expected = list(same.values_list("pk", flat=True))
    short = CappedPaginator(same, 20, cap=100, first_rows=lambda n: ordered.list(depth=depth, limit=n)).get_page(1)
    assert [u.pk for u in short] == expected and short.paginator.count == len(expected)
    long = CappedPaginator(same.all(), 5, cap=100, first_rows=lambda n: ordered.list(depth=depth, limit=n))
    first, second = long.get_page(1), long.get_page(2)
    assert [u.pk for u in first] == expected[:5] and first.has_next() and long.count == len(expected)
    assert [u.pk for u in second] == expected[5:10]  # later pages from the queryset itself


def test_a_list_built_only_when_needed_and_counted_another_way(units):
    from integrity.baked import baked

    ordered = baked(lambda *, depth: Unit.objects.filter(depth=depth).order_by("pk"))
    depth = units[0].depth
    expected = list(Unit.objects.filter(depth=depth).order_by("pk").values_list("pk", flat=True))
    built = []

    def build():
        built.append(1)
        return Unit.objects.filter(depth=depth).order_by("pk")

    paginator = CappedPaginator(
        build,
        5,
        cap=100,
        first_rows=lambda n: ordered.list(depth=depth, limit=n),
        count_rows=lambda n: ordered.count(depth=depth, limit=n),
    )
    first = paginator.get_page(1)
    assert [u.pk for u in first] == expected[:5] and paginator.count == len(expected) and first.has_next()
    assert built == []  # the first page and the count came from the baked query
    second = paginator.get_page(2)
    assert [u.pk for u in second] == expected[5:10] and built == [1]
    capped = CappedPaginator(build, 5, cap=7, count_rows=lambda n: ordered.count(depth=depth, limit=n))
    assert capped.is_capped and capped.count == 8 and capped.num_pages is None
