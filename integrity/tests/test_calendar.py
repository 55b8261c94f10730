"""Working days: weekends off, holidays off, make-up working days on."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError

from integrity.calendar import add_working_days, is_working_day, working_days_between
from integrity.models import CalendarDay

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 9, 25)
MONDAY = date(2026, 9, 28)


@pytest.fixture
def national_day():
    """2026: 1–7 October off (Thu 1 – Wed 7), Sunday 27 September and Saturday 10 October worked."""
    for day in range(1, 8):
        CalendarDay.objects.create(date=date(2026, 10, day), is_working_day=False, note="National Day")
    CalendarDay.objects.create(date=date(2026, 9, 27), is_working_day=True, note="Make-up day")
    CalendarDay.objects.create(date=date(2026, 10, 10), is_working_day=True, note="Make-up day")


def test_weekends_are_not_working_days():
    assert add_working_days(FRIDAY, 1) == MONDAY
    assert add_working_days(MONDAY, -1) == FRIDAY
    assert add_working_days(FRIDAY, 0) == FRIDAY
    assert add_working_days(MONDAY, 5) == MONDAY + timedelta(days=7)
    assert working_days_between(FRIDAY, MONDAY) == 1
    assert working_days_between(MONDAY, FRIDAY) == -1
    assert working_days_between(MONDAY, MONDAY) == 0
    assert is_working_day(date(2026, 9, 26)) is False


def test_holidays_are_skipped_and_make_up_days_count(national_day):
    assert is_working_day(date(2026, 9, 27)) is True  # a Sunday worked
    assert is_working_day(date(2026, 10, 1)) is False  # a Thursday off
    assert add_working_days(FRIDAY, 1) == date(2026, 9, 27)
    # From Tue 29 September: Wed 30, then the holiday, then Thu 8, Fri 9, Sat 10 (make-up), Mon 12.
    assert add_working_days(date(2026, 9, 29), 1) == date(2026, 9, 30)
    assert add_working_days(date(2026, 9, 29), 2) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 29), 4) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 12)
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1


def test_adding_the_days_between_lands_on_the_day(national_day):
    start = date(2026, 9, 1)
    for offset in range(-40, 60):
        end = start + timedelta(days=offset)
        if is_working_day(end):
            assert add_working_days(start, working_days_between(start, end)) == end


def test_a_long_time_limit_reads_the_calendar_in_one_query(national_day, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert add_working_days(date(2026, 9, 1), 60) > date(2026, 11, 1)
    with django_assert_max_num_queries(1):
        assert working_days_between(date(2026, 1, 1), date(2026, 12, 31)) > 200


def test_a_date_is_listed_once():
    CalendarDay.objects.create(date=FRIDAY, note="x")
    with pytest.raises(IntegrityError):
        CalendarDay.objects.create(date=FRIDAY, note="y")
