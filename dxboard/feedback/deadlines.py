"""Deadlines in working time: working hours on working days, minus public holidays.

The default working day is Monday to Friday, 07:30–11:30 and 13:30–17:00 (7.5 hours).
Operators change it with two optional settings:

    DXBOARD_WORKING_PERIODS = [("07:30", "11:30"), ("13:30", "17:00")]
    DXBOARD_WORKING_WEEKDAYS = [0, 1, 2, 3, 4]   # Monday = 0

Holidays come from the `Holiday` table; a year with no row in it uses the defaults of
`holidays.py` (statutory holidays of any year, lunar dates computed).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULT_PERIODS = (("07:30", "11:30"), ("13:30", "17:00"))
DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)
# A deadline never looks further than this for working time (guards a misconfiguration).
MAX_SEARCH_DAYS = 3660


def _parse(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def working_periods() -> list[tuple[time, time]]:
    periods = getattr(settings, "DXBOARD_WORKING_PERIODS", DEFAULT_PERIODS)
    return sorted((_parse(start), _parse(end)) for start, end in periods)


def working_weekdays() -> set[int]:
    return set(getattr(settings, "DXBOARD_WORKING_WEEKDAYS", DEFAULT_WEEKDAYS))


class HolidayCalendar:
    """Holidays read from the database one year at a time, then kept in memory.

    Pass one calendar to many calls (the demo, a recomputation) to read each year once.
    """

    def __init__(self, dates: Iterable[date] | None = None) -> None:
        self._fixed = set(dates) if dates is not None else None
        self._years: dict[int, set[date]] = {}

    def is_holiday(self, day: date) -> bool:
        if self._fixed is not None:
            return day in self._fixed
        if day.year not in self._years:
            from .holidays import default_holidays
            from .models import Holiday

            stored = set(Holiday.objects.filter(date__year=day.year).values_list("date", flat=True))
            self._years[day.year] = stored or {d for d, _name in default_holidays(day.year)}
        return day in self._years[day.year]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in working_weekdays() and not self.is_holiday(day)


def add_working_hours(
    start: datetime,
    hours: float | int | Decimal,
    calendar: HolidayCalendar | None = None,
) -> datetime:
    """The moment when `hours` of working time have passed after `start`.

    Time outside the working periods (nights, lunch, weekends, holidays) does not count.
    A deadline that ends exactly at the end of a period is that end (11:30, not 13:30).
    `start` must be timezone-aware; the answer is in the same time zone.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if hours < 0:
        raise ValueError("hours must not be negative")
    calendar = calendar or HolidayCalendar()
    local_zone = ZoneInfo(settings.TIME_ZONE)
    cursor = start.astimezone(local_zone)
    remaining = timedelta(hours=float(hours))
    if not remaining:
        return start
    periods = working_periods()
    day = cursor.date()
    for _ in range(MAX_SEARCH_DAYS):
        if calendar.is_working_day(day):
            for period_start, period_end in periods:
                begin = datetime.combine(day, period_start, tzinfo=local_zone)
                end = datetime.combine(day, period_end, tzinfo=local_zone)
                if cursor >= end:
                    continue
                begin = max(begin, cursor)
                available = end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
                cursor = end
        day += timedelta(days=1)
        cursor = max(cursor, datetime.combine(day, time(0), tzinfo=local_zone))
    raise ValueError("no working time found; check the working-time settings")


def working_hours_between(
    start: datetime, end: datetime, calendar: HolidayCalendar | None = None
) -> float:
    """Working hours from `start` to `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0.0
    calendar = calendar or HolidayCalendar()
    local_zone = ZoneInfo(settings.TIME_ZONE)
    start, end = start.astimezone(local_zone), end.astimezone(local_zone)
    total = timedelta()
    day = start.date()
    periods = working_periods()
    while day <= end.date():
        if calendar.is_working_day(day):
            for period_start, period_end in periods:
                begin = max(datetime.combine(day, period_start, tzinfo=local_zone), start)
                finish = min(datetime.combine(day, period_end, tzinfo=local_zone), end)
                if finish > begin:
                    total += finish - begin
        day += timedelta(days=1)
    return total.total_seconds() / 3600
