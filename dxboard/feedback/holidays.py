"""Vietnamese public holidays: the defaults of any year, loaded into the `Holiday` table.

The defaults of a year are the statutory holidays computed by the `holidays` package
(Labour Code 2019, art. 112, with the lunar dates of Tết and of the Hùng Kings'
commemoration, and the compensatory days of art. 111), plus the longer official Tết
breaks the government announced for the years listed in `OFFICIAL_SCHEDULES`.
Once a year has rows in the table, the table is what counts: province officers edit it
on the "Ngày nghỉ lễ" page or in the admin. A year with no row yet uses its defaults,
so a deadline in 2027 or later still skips Tết before anyone has loaded that year.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays as holiday_calendars
from django.db import transaction


def _days(first: date, last: date, name: str) -> list[tuple[date, str]]:
    count = (last - first).days + 1
    return [(first + timedelta(days=i), name) for i in range(count)]


# The schedules the government announced (longer than the statutory five days of Tết).
OFFICIAL_SCHEDULES: dict[int, list[tuple[date, str]]] = {
    2025: [
        (date(2025, 1, 1), "Tết Dương lịch"),
        # The official 9-day Tết break, 25/01/2025–02/02/2025.
        *_days(date(2025, 1, 25), date(2025, 2, 2), "Tết Nguyên đán Ất Tỵ"),
        (date(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        (date(2025, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
        (date(2025, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2025, 9, 1), "Quốc khánh (ngày liền kề)"),
        (date(2025, 9, 2), "Quốc khánh"),
    ],
    2026: [
        (date(2026, 1, 1), "Tết Dương lịch"),
        # The official 9-day Tết break, 14/02/2026–22/02/2026.
        *_days(date(2026, 2, 14), date(2026, 2, 22), "Tết Nguyên đán Bính Ngọ"),
        (date(2026, 4, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        # 26/4/2026 is a Sunday: the next working day is taken off instead.
        (date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương"),
        (date(2026, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
        (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2026, 9, 1), "Quốc khánh (ngày liền kề)"),
        (date(2026, 9, 2), "Quốc khánh"),
    ],
}


def default_holidays(year: int) -> list[tuple[date, str]]:
    """The default holidays of a year, in date order: statutory days and official breaks.

    Where both name a day, the official schedule's name is kept.
    """
    days = dict(holiday_calendars.country_holidays("VN", years=year, language="vi").items())
    days.update(dict(OFFICIAL_SCHEDULES.get(year, [])))
    return sorted(days.items())


@transaction.atomic
def load_default_holidays(years: list[int] | None = None) -> int:
    """Add the default holidays of the given years (by default those with an official
    schedule); returns how many were new. Dates already in the table keep their
    (possibly edited) names.
    """
    from .models import Holiday

    created = 0
    for year in years or sorted(OFFICIAL_SCHEDULES):
        for day, name in default_holidays(year):
            _obj, was_created = Holiday.objects.get_or_create(
                date=day, defaults={"name": name[:150]}
            )
            created += int(was_created)
    return created
