"""Vietnamese public holidays: the default list, loaded into the `Holiday` table.

This dictionary is the one place where the defaults live. After loading, the table is
what counts: province officers edit it on the "Ngày nghỉ lễ" page or in the admin.
Dates follow the Labour Code 2019 (art. 112) and the yearly official schedules; a
holiday falling on a weekly rest day gives a compensatory day off (art. 111).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction


def _days(first: date, last: date, name: str) -> list[tuple[date, str]]:
    count = (last - first).days + 1
    return [(first + timedelta(days=i), name) for i in range(count)]


DEFAULT_HOLIDAYS: dict[int, list[tuple[date, str]]] = {
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


@transaction.atomic
def load_default_holidays(years: list[int] | None = None) -> int:
    """Add the default holidays of the given years (all by default); returns how many were new.

    Dates already in the table keep their (possibly edited) names.
    """
    from .models import Holiday

    created = 0
    for year in years or sorted(DEFAULT_HOLIDAYS):
        for day, name in DEFAULT_HOLIDAYS.get(year, []):
            _obj, was_created = Holiday.objects.get_or_create(date=day, defaults={"name": name})
            created += int(was_created)
    return created
