"""Statistics of field reports, for a unit and a date range, computed in SQL.

Definitions (the same for the stats page, the API and the indicator feed):

- The reports counted for a unit are, for an administrative unit (province, commune),
  those that happened in its subtree (`unit`), and for an agency (sở, ban, other), those
  it handles (`agency` in its subtree).
- The period is a cohort: reports *received* (submitted) between its first and last day,
  local time. Every other figure describes that cohort as of now.
- received: reports received in the period.
- accepted: of those, reports accepted (not rejected, not still waiting).
- resolved: of those, reports resolved or closed.
- resolutionRate = resolved / accepted × 100.
- onTime: resolved reports whose resolution time is not after their deadline, the
  deadline including approved extensions (`due_at`).
- onTimeRate = onTime / resolved × 100.
- overdue: accepted reports not resolved yet whose deadline has passed.
- meanHoursToResolve: mean calendar hours from receipt to resolution of resolved reports.
- satisfactionRate = ratings of 4 or 5 stars / all ratings × 100.
Rates are percentages rounded to one decimal; None when the denominator is 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dxboard.units.models import ADMINISTRATIVE_KINDS, Unit

from .models import DONE_STATUSES, RUNNING_STATUSES, FieldReport


@dataclass(frozen=True)
class Figures:
    received: int
    accepted: int
    resolved: int
    on_time: int
    overdue: int
    ratings: int
    satisfied: int
    mean_hours_to_resolve: float | None

    @property
    def resolution_rate(self) -> float | None:
        return percent(self.resolved, self.accepted)

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.on_time, self.resolved)

    @property
    def satisfaction_rate(self) -> float | None:
        return percent(self.satisfied, self.ratings)

    def as_api(self) -> dict:
        return {
            "received": self.received,
            "accepted": self.accepted,
            "resolved": self.resolved,
            "resolutionRate": self.resolution_rate,
            "onTime": self.on_time,
            "onTimeRate": self.on_time_rate,
            "overdue": self.overdue,
            "meanHoursToResolve": self.mean_hours_to_resolve,
            "satisfactionRate": self.satisfaction_rate,
        }

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            resolution_rate=self.resolution_rate,
            on_time_rate=self.on_time_rate,
            satisfaction_rate=self.satisfaction_rate,
        )
        return data


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in the platform's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time(0), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
    )


def reports_for(unit: Unit | None, start: date, end: date) -> QuerySet[FieldReport]:
    low, high = local_range(start, end)
    return _in_area(FieldReport.objects.filter(created_at__gte=low, created_at__lt=high), unit)


def _in_area(reports: QuerySet[FieldReport], unit: Unit | None) -> QuerySet[FieldReport]:
    """A province's or commune's reports are those that happened there; an agency's,
    those it handles."""
    if unit is None:
        return reports
    if unit.kind in ADMINISTRATIVE_KINDS:
        return reports.filter(unit__path__startswith=unit.path)
    return reports.filter(agency__path__startswith=unit.path)


def report_years(unit: Unit) -> list[int]:
    """The years in which the unit received reports, newest first (the local year)."""
    first_and_last = _in_area(FieldReport.objects.all(), unit).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    if first_and_last["last"] is None:
        return []
    first = timezone.localtime(first_and_last["first"]).year
    last = timezone.localtime(first_and_last["last"]).year
    return list(range(last, first - 1, -1))


def figure_expressions(now: datetime | None = None) -> dict:
    """Aggregates that turn a set of reports into `Figures` (usable in annotate too)."""
    now = now or timezone.now()
    done = Q(status__in=DONE_STATUSES)
    return {
        "received": Count("pk"),
        "accepted": Count("pk", filter=Q(accepted_at__isnull=False)),
        "resolved": Count("pk", filter=done),
        "on_time": Count("pk", filter=done & Q(resolved_at__lte=F("due_at"))),
        "overdue": Count("pk", filter=Q(status__in=RUNNING_STATUSES, due_at__lt=now)),
        "ratings": Count("pk", filter=Q(rating__isnull=False)),
        "satisfied": Count("pk", filter=Q(rating__gte=4)),
        "mean_duration": Avg(
            ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()),
            filter=done,
        ),
    }


def to_figures(row: dict) -> Figures:
    duration = row.get("mean_duration")
    if duration is not None and not isinstance(duration, timedelta):
        duration = timedelta(microseconds=float(duration))  # some backends answer microseconds
    return Figures(
        received=row["received"],
        accepted=row["accepted"],
        resolved=row["resolved"],
        on_time=row["on_time"],
        overdue=row["overdue"],
        ratings=row["ratings"],
        satisfied=row["satisfied"],
        mean_hours_to_resolve=(
            round(duration.total_seconds() / 3600, 1) if duration is not None else None
        ),
    )


def figures(unit: Unit | None, start: date, end: date, *, category=None) -> Figures:
    reports = reports_for(unit, start, end)
    if category is not None:
        reports = reports.filter(category=category)
    return to_figures(reports.aggregate(**figure_expressions()))


def breakdown(reports: QuerySet[FieldReport], *fields: str) -> list[tuple[dict, Figures]]:
    """Figures grouped by `fields` (e.g. "unit__code", "unit__name"), one query."""
    rows = reports.order_by().values(*fields).annotate(**figure_expressions())
    result = [({f: row[f] for f in fields}, to_figures(row)) for row in rows]
    return sorted(result, key=lambda item: (-item[1].received, str(item[0])))


def by_month(reports: QuerySet[FieldReport]) -> list[tuple[date, Figures]]:
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (
        reports.order_by()
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(**figure_expressions())
        .order_by("month")
    )
    return [
        (row["month"].date() if hasattr(row["month"], "date") else row["month"], to_figures(row))
        for row in rows
    ]
