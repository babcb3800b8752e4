from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dxboard.feedback.deadlines import HolidayCalendar, add_working_hours, working_hours_between
from dxboard.feedback.models import Holiday

from .factories import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2025, 3, 3, 8), 2, at(2025, 3, 3, 10)),  # a plain Monday morning
        (at(2025, 3, 3, 10, 30), 2, at(2025, 3, 3, 14, 30)),  # across the lunch break
        (at(2025, 3, 3, 7, 30), 4, at(2025, 3, 3, 11, 30)),  # ends exactly at lunch
        (at(2025, 3, 3, 12), 1, at(2025, 3, 3, 14, 30)),  # starts during lunch
        (at(2025, 3, 3, 6), 1, at(2025, 3, 3, 8, 30)),  # starts before office hours
        (at(2025, 3, 3, 19), 1, at(2025, 3, 4, 8, 30)),  # starts in the evening
        (at(2025, 3, 7, 16), 2, at(2025, 3, 10, 8, 30)),  # Friday afternoon to Monday
        (at(2025, 3, 8, 10), 1, at(2025, 3, 10, 8, 30)),  # starts on a Saturday
        (at(2025, 3, 3, 8), 16, at(2025, 3, 5, 9)),  # two working days and more
        (at(2025, 1, 24, 16), 7.5, at(2025, 2, 3, 16)),  # across the 9-day Tết 2025 break
        (at(2026, 2, 13, 16, 30), 1, at(2026, 2, 23, 8)),  # across Tết 2026
        (at(2025, 4, 29, 16), 2, at(2025, 5, 2, 8, 30)),  # across 30/4 and 1/5
        (at(2025, 8, 29, 16), 2, at(2025, 9, 3, 8, 30)),  # across 1/9 and 2/9
        (at(2026, 4, 24, 16), 2, at(2026, 4, 28, 8, 30)),  # Giỗ Tổ 2026 and its day off
    ],
)
def test_it_adds_working_hours(start, hours, expected):
    assert add_working_hours(start, hours) == expected


def test_zero_hours_is_the_start():
    moment = at(2025, 3, 8, 10)
    assert add_working_hours(moment, 0) == moment


def test_it_keeps_the_time_zone_of_the_start():
    start = datetime(2025, 3, 3, 1, 0, tzinfo=ZoneInfo("UTC"))  # 08:00 in Vietnam
    result = add_working_hours(start, 1)
    assert result.tzinfo == ZoneInfo("UTC")
    assert result == at(2025, 3, 3, 9)


def test_it_refuses_a_naive_start():
    with pytest.raises(ValueError):
        add_working_hours(datetime(2025, 3, 3, 8), 1)


def test_a_holiday_added_by_the_province_counts_at_once():
    Holiday.objects.create(date=at(2025, 3, 4).date(), name="Ngày nghỉ của tỉnh")
    assert add_working_hours(at(2025, 3, 3, 16), 2) == at(2025, 3, 5, 8, 30)


def test_working_time_comes_from_settings(settings):
    settings.DXBOARD_WORKING_PERIODS = [("08:00", "12:00")]
    settings.DXBOARD_WORKING_WEEKDAYS = [0, 1, 2, 3, 4, 5]
    assert add_working_hours(at(2025, 3, 3, 11), 2) == at(2025, 3, 4, 9)
    assert add_working_hours(at(2025, 3, 8, 11), 2) == at(2025, 3, 10, 9)  # Saturday works


def test_a_fixed_calendar_needs_no_database():
    calendar = HolidayCalendar([at(2025, 3, 4).date()])
    assert add_working_hours(at(2025, 3, 3, 16), 2, calendar) == at(2025, 3, 5, 8, 30)


def test_it_counts_working_hours_between_two_moments():
    assert working_hours_between(at(2025, 3, 3, 8), at(2025, 3, 5, 9)) == 16
    assert working_hours_between(at(2025, 1, 24, 16), at(2025, 2, 3, 16)) == 7.5
    assert working_hours_between(at(2025, 3, 5), at(2025, 3, 4)) == 0


def test_a_deadline_in_2027_skips_tet_before_anyone_loads_the_year():
    # Nobody has entered 2027 in the table: the statutory days (Tết Đinh Mùi: 04/02 to
    # 10/02/2027, lunar dates computed by the holidays package) still count.
    assert not Holiday.objects.filter(date__year=2027).exists()
    assert add_working_hours(at(2027, 2, 3, 16), 2) == at(2027, 2, 11, 8, 30)


def test_the_table_wins_once_a_year_has_rows():
    Holiday.objects.create(date=datetime(2027, 3, 1).date(), name="Nghỉ theo quyết định của tỉnh")
    # 2027 now has a row: only the table counts, so Tết no longer comes from the defaults.
    assert add_working_hours(at(2027, 2, 5, 8), 1) == at(2027, 2, 5, 9)
    assert add_working_hours(at(2027, 2, 26, 16), 2) == at(2027, 3, 2, 8, 30)


@pytest.mark.parametrize("year", [2027, 2030, 2035])
def test_defaults_exist_for_any_year_with_tet_and_national_day(year):
    from dxboard.feedback.holidays import default_holidays

    names = [name for _day, name in default_holidays(year)]
    assert any("Tết Nguyên Đán" in name for name in names)
    assert any(day.month == 9 and day.day == 2 for day, _name in default_holidays(year))
