"""Pagination for every list page: exact counts up to a cap, open-ended pages beyond it.

Counting every matching row (``COUNT(*)`` over tens of thousands of rules, feedback items or
acknowledgements) costs more than the page itself and nobody reads page 2,000. So the paginator
counts at most ``INTEGRITY_COUNT_CAP`` + 1 rows: up to the cap, pages show the exact count and
"Page N of M"; above it, "more than 1,000" and "Page N", and the next page is offered while one more
row exists. Sorting and filters still reach every row; the downloads still hold all of them.

A page within the counted rows is read first, with one row more than it shows: when none follows,
the rows read give the exact count and no ``COUNT`` is sent, so a list that fits on its page (a
task's reports, a person's feedback, a campaign's reviews) costs one statement, not two.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import SimpleLazyObject, cached_property, empty


class OpenEndedPage(Page):
    """A page past the counted rows: whether a next one exists is known from one extra row."""

    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self):
        return self.has_more

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    """A Paginator whose count stops at ``cap`` + 1 rows (see the module docstring)."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, first_rows=None, count_rows=None, **kwargs):
        # A function that builds the queryset: built only if a page or the count needs it (first_rows and
        # count_rows may answer both).
        if callable(object_list) and not hasattr(object_list, "query"):
            object_list = SimpleLazyObject(object_list)
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else settings.INTEGRITY_COUNT_CAP
        # first_rows(n): the first n rows of the same list, read another way (a baked query: integrity.baked);
        # count_rows(n): the number of its rows, at most n, counted another way.
        self.first_rows = first_rows
        self.count_rows = count_rows

    def _check_object_list_is_ordered(self):
        if isinstance(self.object_list, SimpleLazyObject) and self.object_list._wrapped is empty:
            return  # built later, if ever; its builder orders it
        super()._check_object_list_is_ordered()

    def _is_query(self) -> bool:
        return self.first_rows is not None or self.count_rows is not None or hasattr(self.object_list, "query")

    @cached_property
    def count(self):
        if self.count_rows is not None:
            return self.count_rows(self.cap + 1)
        rows = self.object_list
        if not hasattr(rows, "query"):
            return len(rows)
        query = rows.query
        if query.distinct or query.combinator or query.group_by is not None or query.values_select:
            limited = rows.order_by()[: self.cap + 1]
        else:
            limited = rows.order_by().values("pk")[: self.cap + 1]
        return limited.count()

    @property
    def is_capped(self) -> bool:
        """More rows than were counted; a list already in memory is always counted whole."""
        return self._is_query() and self.count > self.cap

    @cached_property
    def num_pages(self):
        if self.is_capped:
            return None  # unknown: "Page N", and a next link while rows remain
        return super().num_pages

    def validate_number(self, number):
        if not self.is_capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return OpenEndedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number):
        """The page from ?page=; a bad number gives the first page, one past the end the last counted."""
        page = self._page_read_first(number)
        if page is not None:
            return page
        if not self.is_capped:
            return super().get_page(number)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(1 if _below_one(number) else -(-self.cap // self.per_page))

    def _page_read_first(self, number):
        """The page read before any count, or None where the count must come first (a number below one, a
        page beyond the counted rows, a list in memory). With one row more than the page shows: where none
        follows, the count is the rows before the page plus those on it. Not a number: the first page."""
        if "count" in self.__dict__ or self.orphans or not self._is_query():
            return None
        try:
            number = int(number if number is not None else 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if number < 1 or bottom + self.per_page > self.cap:
            return None
        if number == 1 and self.first_rows is not None:
            rows = list(self.first_rows(self.per_page + 1))
        else:
            rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) > self.per_page:  # more follow: counted as before
            if self.is_capped:
                return OpenEndedPage(rows[: self.per_page], number, self, has_more=True)
            return self._get_page(rows[: self.per_page], number, self)
        if not rows and (number > 1 or not self.allow_empty_first_page):
            return None  # past the end: the count finds the last page
        self.__dict__["count"] = bottom + len(rows)
        return self._get_page(rows, number, self)


def _below_one(number) -> bool:
    try:
        return int(number) < 1
    except (TypeError, ValueError):
        return True


def paginate(request, queryset, per_page=None, param="page", first_rows=None, count_rows=None):
    """A page of the queryset from ?<param>=; bad or out-of-range numbers give the nearest page.
    `first_rows(n)`: the queryset's first n rows read another way (a baked query), for the first page;
    `count_rows(n)`: its number of rows, at most n, counted another way. `queryset` may be a function
    that builds it, called only where those two do not answer."""
    paginator = CappedPaginator(
        queryset, per_page or settings.INTEGRITY_PAGE_SIZE, first_rows=first_rows, count_rows=count_rows
    )
    return paginator.get_page(request.GET.get(param))


def querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
