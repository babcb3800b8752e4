"""Cut-off windows, deadlines and the open/closed/locked state of a form's periods.

The defaults follow Decree 09/2019/NĐ-CP (Nghị định 09/2019/NĐ-CP quy định về chế độ
báo cáo của cơ quan hành chính nhà nước), Article 12.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.periods import InvalidPeriod, Period, PeriodType, parse_period, period_of

from ..models import FormPeriod, PeriodState, ReportForm


def _day_in_month(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def cutoff_window(form: ReportForm, period: Period) -> tuple[dt.date, dt.date]:
    """The dates whose figures belong to `period` (first and last day, inclusive).

    Decree 09/2019/NĐ-CP, Article 12, Clause 1: figures are counted from the 15th of the
    month before the period to the 14th of the period's last month:
      - month: 15th of the previous month to the 14th of this month;
      - quarter: 15th of the month before the quarter to the 14th of its last month;
      - half-year: 15 December of the previous year to 14 June, or 15 June to 14 December;
      - year: 15 December of the previous year to 14 December.
    A form may move the cut-off day (`form.cutoff_day`, 14 by default).
    """
    before = period.start - dt.timedelta(days=1)  # a day of the month before the period
    start = _day_in_month(before.year, before.month, form.cutoff_day + 1)
    end = _day_in_month(period.end.year, period.end.month, form.cutoff_day)
    return start, end


def deadline_of(form: ReportForm, period: Period, override: dt.date | None = None) -> dt.date:
    """The last day on which a unit's report of `period` is on time.

    Decree 09/2019/NĐ-CP, Article 12, Clause 2 lets the agency that issues a report set its
    deadline after the cut-off day; DXBoard's default is the cut-off day plus
    `form.deadline_days` (6), i.e. the 20th of the period's last month. A date set by the
    province for one period (`FormPeriod.deadline`) wins.
    """
    if override is not None:
        return override
    return cutoff_window(form, period)[1] + dt.timedelta(days=form.deadline_days)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a day in the project's time zone: a submission up to and
    including this instant is on time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


@dataclass(frozen=True)
class PeriodInfo:
    form: ReportForm
    period: Period
    window_start: dt.date
    window_end: dt.date
    deadline: dt.date
    entry_closes: dt.date
    state: str  # PeriodState value, or "not_open" before the window starts
    explicit: bool

    @property
    def deadline_at(self) -> dt.datetime:
        return end_of_day(self.deadline)

    @property
    def is_open(self) -> bool:
        return self.state == PeriodState.OPEN

    @property
    def state_label(self) -> str:
        if self.state == "not_open":
            return _("Chưa mở")
        return str(PeriodState(self.state).label)

    def closed_message(self) -> str:
        label = self.period.label
        if self.state == "not_open":
            return _("Kỳ %(period)s chưa mở nhập số liệu (mở từ ngày %(date)s).") % {
                "period": label,
                "date": self.window_start.strftime("%d/%m/%Y"),
            }
        if self.state == PeriodState.LOCKED:
            return _("Kỳ %(period)s đã khóa sổ; không sửa được số liệu.") % {"period": label}
        return _(
            "Kỳ %(period)s đã đóng nhập số liệu (ngày %(date)s). Liên hệ Sở để được mở lại nếu cần."
        ) % {"period": label, "date": self.entry_closes.strftime("%d/%m/%Y")}


def period_info(
    form: ReportForm,
    period: Period | str,
    *,
    today: dt.date | None = None,
    explicit: FormPeriod | None = None,
    lookup: bool = True,
) -> PeriodInfo:
    """Dates and state of one period of a form.

    Without an explicit `FormPeriod`, a period is open from the start of its cut-off window
    until its deadline plus the form's grace days, "not open" before, closed after.
    """
    if isinstance(period, str):
        period = parse_form_period(form, period)
    today = today or timezone.localdate()
    if explicit is None and lookup:
        explicit = FormPeriod.objects.filter(form=form, period=period.code).first()
    start, end = cutoff_window(form, period)
    deadline = deadline_of(form, period, explicit.deadline if explicit else None)
    closes = deadline + dt.timedelta(days=form.grace_days)
    if explicit is not None:
        state = explicit.state
    elif today < start:
        state = "not_open"
    elif today <= closes:
        state = PeriodState.OPEN
    else:
        state = PeriodState.CLOSED
    return PeriodInfo(form, period, start, end, deadline, closes, state, explicit is not None)


def parse_form_period(form: ReportForm, code: str, path: str = "period") -> Period:
    """Parse a period code and check it has the form's period type."""
    try:
        period = parse_period(code)
    except InvalidPeriod as error:
        raise InvalidInput(str(error), [ErrorDetail(path, str(error))]) from None
    if period.type.value != form.period_type:
        message = _("Biểu mẫu %(form)s báo cáo theo %(type)s; kỳ “%(code)s” không phù hợp.") % {
            "form": form.code,
            "type": form.get_period_type_display().lower(),
            "code": code,
        }
        raise InvalidInput(message, [ErrorDetail(path, message)])
    return period


def require_open(info: PeriodInfo) -> None:
    if not info.is_open:
        message = info.closed_message()
        raise InvalidInput(message, [ErrorDetail("period", message)])


def reporting_period(form: ReportForm, today: dt.date | None = None) -> Period:
    """The period due next: the first one whose deadline is today or later.

    This is the period the province follows in its overview ("17 of 20 forms complete").
    """
    today = today or timezone.localdate()
    period = period_of(today, PeriodType(form.period_type)).previous()
    while deadline_of(form, period) < today:
        period = period.next()
    return period


def open_periods(form: ReportForm, today: dt.date | None = None) -> list[PeriodInfo]:
    """Periods a unit can enter figures for today (newest first), explicit states included."""
    today = today or timezone.localdate()
    current = reporting_period(form, today)
    explicit = {fp.period: fp for fp in form.form_periods.all()}
    candidates = [current.next(), current]
    period = current.previous()
    for _step in range(24):
        info = period_info(
            form, period, today=today, explicit=explicit.get(period.code), lookup=False
        )
        if info.entry_closes < today and period.code not in explicit:
            break
        candidates.append(period)
        period = period.previous()
    for code, row in explicit.items():
        if row.state == PeriodState.OPEN and code not in {p.code for p in candidates}:
            try:
                candidates.append(parse_form_period(form, code))
            except InvalidInput:
                continue
    result = []
    for period in sorted(set(candidates), key=lambda p: p.start, reverse=True):
        info = period_info(
            form, period, today=today, explicit=explicit.get(period.code), lookup=False
        )
        if info.is_open:
            result.append(info)
    return result
