"""Reporting periods in DHIS2's period codes.

    2024      year                  "Năm 2024"
    2024S1    half-year (S1, S2)    "6 tháng đầu năm 2024" / "6 tháng cuối năm 2024"
    2024Q1    quarter (Q1..Q4)      "Quý I/2024"
    202403    month                 "Tháng 3/2024"

A period is a closed range of dates. `contains` and `sub_periods` let the evaluation
engine roll figures up from months or quarters to the period asked for.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _


class PeriodType(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[self.value]


PERIOD_TYPE_CHOICES = [
    (PeriodType.MONTH.value, "Tháng"),
    (PeriodType.QUARTER.value, "Quý"),
    (PeriodType.HALF_YEAR.value, "6 tháng"),
    (PeriodType.YEAR.value, "Năm"),
]

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<month>\d{2})|Q(?P<quarter>\d)|S(?P<half>\d))?$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MIN_YEAR, MAX_YEAR = 1990, 2100


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    type: PeriodType
    code: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """The period as Vietnamese reports write it ("Quý I/2024")."""
        year = self.start.year
        if self.type == PeriodType.YEAR:
            return _("Năm %(year)s") % {"year": year}
        if self.type == PeriodType.HALF_YEAR:
            if self.start.month == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": year}
            return _("6 tháng cuối năm %(year)s") % {"year": year}
        if self.type == PeriodType.QUARTER:
            quarter = ROMAN[(self.start.month - 1) // 3 + 1]
            return _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}
        return _("Tháng %(month)s/%(year)s") % {"month": self.start.month, "year": year}

    def __str__(self) -> str:
        return self.code

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def sub_periods(self, period_type: PeriodType) -> list[Period]:
        """The periods of `period_type` inside this one, in order (empty if larger)."""
        if period_type.months > self.type.months:
            return []
        result = []
        current = self.start
        while current <= self.end:
            period = period_of(current, period_type)
            result.append(period)
            current = period.end + timedelta(days=1)
        return result

    def previous(self) -> Period:
        return period_of(self.start - timedelta(days=1), self.type)

    def next(self) -> Period:
        return period_of(self.end + timedelta(days=1), self.type)


def _build(year: int, first_month: int, period_type: PeriodType) -> Period:
    last_month = first_month + period_type.months - 1
    start = date(year, first_month, 1)
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    if period_type == PeriodType.YEAR:
        code = f"{year}"
    elif period_type == PeriodType.HALF_YEAR:
        code = f"{year}S{(first_month - 1) // 6 + 1}"
    elif period_type == PeriodType.QUARTER:
        code = f"{year}Q{(first_month - 1) // 3 + 1}"
    else:
        code = f"{year}{first_month:02d}"
    return Period(start, end, period_type, code)


def parse_period(code: str) -> Period:
    """Parse a DHIS2 period code; raise InvalidPeriod with a Vietnamese message otherwise."""
    text = (code or "").strip()
    match = _PATTERN.match(text)
    if not match:
        raise InvalidPeriod(
            _("Kỳ “%(code)s” không hợp lệ: dùng 2024, 2024S1, 2024Q1 hoặc 202403.") % {"code": code}
        )
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidPeriod(_("Năm %(year)s nằm ngoài khoảng cho phép.") % {"year": year})
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InvalidPeriod(_("Kỳ “%(code)s”: tháng phải từ 01 đến 12.") % {"code": code})
        return _build(year, month, PeriodType.MONTH)
    if match["quarter"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise InvalidPeriod(_("Kỳ “%(code)s”: quý phải từ Q1 đến Q4.") % {"code": code})
        return _build(year, 3 * quarter - 2, PeriodType.QUARTER)
    if match["half"]:
        half = int(match["half"])
        if half not in (1, 2):
            raise InvalidPeriod(_("Kỳ “%(code)s”: nửa năm là S1 hoặc S2.") % {"code": code})
        return _build(year, 6 * half - 5, PeriodType.HALF_YEAR)
    return _build(year, 1, PeriodType.YEAR)


def period_of(day: date, period_type: PeriodType) -> Period:
    """The period of `period_type` that contains `day`."""
    months = period_type.months
    first_month = (day.month - 1) // months * months + 1
    return _build(day.year, first_month, period_type)


def periods_between(first: Period, last: Period) -> list[Period]:
    """Consecutive periods of `first`'s type from `first` to `last`, inclusive."""
    result = []
    current = first
    while current.start <= last.start:
        result.append(current)
        current = current.next()
    return result


def last_finished(period_type: PeriodType, today: date) -> Period:
    """The latest period of this type that has ended before `today`."""
    return period_of(today, period_type).previous()
