"""Working days: time limits are counted in working days, with public holidays and make-up days.

Monday to Friday are working days and weekends are not, unless a ``CalendarDay`` row says
otherwise (a holiday on a weekday, a make-up working day on a weekend). Each function reads
the overrides for the range it needs in one query.
"""

from datetime import date, timedelta

from .models import CalendarDay


def _overrides(start: date, end: date) -> dict[date, bool]:
    low, high = min(start, end), max(start, end)
    return dict(CalendarDay.objects.filter(date__range=(low, high)).values_list("date", "is_working_day"))


def _working(day: date, overrides: dict[date, bool]) -> bool:
    return overrides.get(day, day.weekday() < 5)


def is_working_day(day: date) -> bool:
    return _working(day, _overrides(day, day))


def add_working_days(start: date, n: int) -> date:
    """The date n working days after start (start itself not counted); n < 0 goes back.

    add_working_days(friday, 1) is the next Monday, unless that Monday is a holiday.
    n == 0 gives start itself.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    # Read the overrides a stretch at a time: holidays rarely take more than 2 weeks per 5 days.
    span = remaining * 2 + 14
    while remaining:
        overrides = _overrides(day + timedelta(days=step), day + timedelta(days=step * span))
        for _ in range(span):
            day += timedelta(days=step)
            if _working(day, overrides):
                remaining -= 1
                if not remaining:
                    break
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days after a, up to and including b; negative when b is before a.

    So add_working_days(a, working_days_between(a, b)) is b whenever b is a working day.
    """
    if a == b:
        return 0
    sign = 1 if b > a else -1
    low, high = (a + timedelta(days=1), b) if sign > 0 else (b + timedelta(days=1), a)
    overrides = _overrides(low, high)
    count = sum(1 for i in range((high - low).days + 1) if _working(low + timedelta(days=i), overrides))
    return sign * count
