"""Where each kind of dataset gets its figures: the other apps' own services, never a copy
of their logic.

A source has two functions: `stamp(dataset)`, cheap (one aggregate query), that changes
whenever the figures may have changed, and `build(dataset)`, which computes the table.
Only aggregates and the names of units, categories, forms and projects leave this module:
no person (reporter, member, officer), no text a citizen wrote, no note.

Report-form completeness is imported here and nowhere else in this app, so that its move
to `dxboard/reporting/` is a one-line change.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard import revision
from dxboard.collection.models import DataValue
from dxboard.community import services as community
from dxboard.community.models import Member, Team
from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.evaluation.services import evaluate_many
from dxboard.evaluation.views import statuses  # the labels the dashboard shows
from dxboard.feedback import stats
from dxboard.feedback.models import FieldReport
from dxboard.indicators.models import Target
from dxboard.opendata.models import Dataset, SourceKind
from dxboard.opendata.tables import Field, Table, Value, number
from dxboard.periods import InvalidPeriod, Period, parse_period, periods_between
from dxboard.projects.models import Item
from dxboard.reporting.models import ReportForm, Submission
from dxboard.reporting.services.completeness import completeness
from dxboard.units.models import Unit, UnitKind

Stamp = tuple[Any, ...]


@dataclass(frozen=True)
class Source:
    stamp: Callable[[Dataset], Stamp]
    build: Callable[[Dataset], Table]
    # When the figures last changed (`metadata_modified`): one aggregate query.
    last_change: Callable[[Dataset], datetime | None]


def periods_of(dataset: Dataset) -> list[Period]:
    """The periods the dataset covers (its temporal coverage), first to last."""
    try:
        first, last = parse_period(dataset.period_start), parse_period(dataset.period_end)
    except InvalidPeriod as error:
        raise InvalidInput(str(error), [ErrorDetail("period_start", str(error))]) from None
    return periods_between(first, last)


def units_of(dataset: Dataset) -> list[Unit]:
    """The covered unit, then its communes in force (a commune covers itself alone)."""
    root = dataset.coverage
    communes = (
        Unit.objects.in_force()
        .filter(path__startswith=root.path, kind=UnitKind.COMMUNE)
        .exclude(pk=root.pk)
        .order_by("sort_key")
    )
    return [root, *communes]


def _aggregate_stamp(queryset: QuerySet[Any], field: str) -> Stamp:
    row = queryset.order_by().aggregate(last=Max(field), n=Count("pk"))
    return (row["last"], row["n"])


def _max_updated(queryset: QuerySet[Any]) -> datetime | None:
    last: datetime | None = queryset.order_by().aggregate(last=Max("updated_at"))["last"]
    return last


def _last(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def _local_date(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).date().isoformat() if moment else None


# --- programme results ---------------------------------------------------------------------

EVALUATION_FIELDS = [
    Field("unit_code", "text", "Mã đơn vị", "Unit code"),
    Field("unit_name", "text", "Tên đơn vị", "Unit name"),
    Field("period", "text", "Kỳ", "Period"),
    Field("period_label", "text", "Tên kỳ", "Period label"),
    Field("indicator_code", "text", "Mã chỉ tiêu", "Indicator code"),
    Field("indicator_name", "text", "Tên chỉ tiêu", "Indicator name"),
    Field("unit_of_measure", "text", "Đơn vị tính", "Unit of measure"),
    Field("actual", "numeric", "Thực hiện", "Actual"),
    Field("target", "numeric", "Mục tiêu", "Target"),
    Field("achievement", "numeric", "Tỷ lệ đạt (%)", "Achievement (%)"),
    Field("status", "text", "Mức đạt (mã)", "Status code"),
    Field("status_label", "text", "Mức đạt", "Status"),
]


def _evaluation_values(dataset: Dataset) -> QuerySet[DataValue]:
    programme = dataset.programme
    assert programme is not None  # a check constraint holds it
    elements = {
        element
        for pair in programme.indicators.order_by().values_list("numerator_id", "denominator_id")
        for element in pair
        if element is not None
    }
    return DataValue.objects.filter(
        data_element__in=list(elements), unit__path__startswith=dataset.coverage.path
    )


def _revision_cached() -> bool:
    """Whether results may be kept under the data revision (off in tests, whose writes
    never commit and so never bump it: see conftest.py)."""
    return bool(settings.DXBOARD_EVALUATION_CACHE_SECONDS)


def _evaluation_stamp(dataset: Dataset) -> Stamp:
    # Values, units, targets and programmes bump the revision: it alone says "unchanged",
    # in one primary-key read (the aggregate over a province's values takes 1.6 s on SQLite).
    if _revision_cached():
        return (revision.current(),)
    return (revision.current(), *_aggregate_stamp(_evaluation_values(dataset), "updated_at"))


def _evaluation_build(dataset: Dataset) -> Table:
    programme = dataset.programme
    assert programme is not None
    units, periods = units_of(dataset), periods_of(dataset)
    results = evaluate_many(programme, units, periods, user=None)
    labels = {name: str(info.label) for name, info in statuses(programme).items()}
    # A national table has ~3 M rows: each repeated text (period, indicator, status) is
    # one shared string, not a copy per row (the table took 3.8 GB with copies).
    shared: dict[str | None, str | None] = {}

    def one(text: str | None) -> str | None:
        return shared.setdefault(text, text)

    period_texts = [(p.code, str(p.label)) for p in periods]
    rows: list[tuple[Value, ...]] = []
    for unit in units:
        for period, (period_code, period_label) in zip(periods, period_texts, strict=True):
            for result in results[(unit.code, period.code)].indicators:
                rows.append(
                    (
                        unit.code,
                        unit.name,
                        period_code,
                        period_label,
                        one(result.code),
                        one(result.name),
                        one(result.unit_of_measure),
                        number(_rounded(result.actual, result.decimals)),
                        number(_rounded(result.target, 6)),
                        number(_rounded(result.achievement, 1)),
                        one(result.status),
                        one(labels.get(result.status, result.status)),
                    )
                )
    return Table(EVALUATION_FIELDS, rows)


def _evaluation_last(dataset: Dataset) -> datetime | None:
    if not _revision_cached():
        return _evaluation_last_now(dataset)
    key = f"opendata:evaluation-last:{dataset.pk}:{revision.current()}"
    found: tuple[datetime | None] | None = cache.get(key)
    if found is None:
        found = (_evaluation_last_now(dataset),)
        cache.set(key, found, settings.DXBOARD_EVALUATION_CACHE_SECONDS)
    return found[0]


def _evaluation_last_now(dataset: Dataset) -> datetime | None:
    targets = Target.objects.filter(programme=dataset.programme).aggregate(last=Max("updated_at"))
    values = _evaluation_values(dataset).order_by().aggregate(last=Max("updated_at"))
    return _last(values["last"], targets["last"])


def _rounded(value: Any, places: int) -> float | None:
    from dxboard.evaluation.rules import round_for_display

    return round_for_display(value, places)


# --- field-report statistics -----------------------------------------------------------------

FEEDBACK_FIELDS = [
    Field("period", "text", "Kỳ", "Period"),
    Field("period_label", "text", "Tên kỳ", "Period label"),
    Field("unit_code", "text", "Mã xã, phường", "Commune code"),
    Field("unit_name", "text", "Tên xã, phường", "Commune name"),
    Field("category_code", "text", "Mã lĩnh vực", "Category code"),
    Field("category_name", "text", "Lĩnh vực", "Category"),
    Field("received", "int", "Tiếp nhận", "Received"),
    Field("accepted", "int", "Đã nhận xử lý", "Accepted"),
    Field("resolved", "int", "Đã giải quyết", "Resolved"),
    Field("resolution_rate", "numeric", "Tỷ lệ giải quyết (%)", "Resolution rate (%)"),
    Field("on_time", "int", "Đúng hạn", "On time"),
    Field("on_time_rate", "numeric", "Tỷ lệ đúng hạn (%)", "On-time rate (%)"),
    Field("overdue", "int", "Quá hạn", "Overdue"),
]


def _feedback_reports(dataset: Dataset) -> QuerySet[FieldReport]:
    periods = periods_of(dataset)
    return stats.reports_for(dataset.coverage, periods[0].start, periods[-1].end)


def _feedback_stamp(dataset: Dataset) -> Stamp:
    # `overdue` moves with the clock: a new day is a new table.
    return (timezone.localdate(), *_aggregate_stamp(_feedback_reports(dataset), "updated_at"))


def _feedback_build(dataset: Dataset) -> Table:
    rows: list[tuple[Value, ...]] = []
    for period in periods_of(dataset):
        reports = stats.reports_for(dataset.coverage, period.start, period.end)
        grouped = stats.breakdown(
            reports, "unit__code", "unit__name", "category__code", "category__name"
        )
        for keys, figures in sorted(
            grouped, key=lambda item: (item[0]["unit__code"], item[0]["category__code"])
        ):
            rows.append(
                (
                    period.code,
                    str(period.label),
                    keys["unit__code"],
                    keys["unit__name"],
                    keys["category__code"],
                    keys["category__name"],
                    figures.received,
                    figures.accepted,
                    figures.resolved,
                    figures.resolution_rate,
                    figures.on_time,
                    figures.on_time_rate,
                    figures.overdue,
                )
            )
    return Table(FEEDBACK_FIELDS, rows)


def _feedback_last(dataset: Dataset) -> datetime | None:
    return _max_updated(_feedback_reports(dataset))


# --- community teams -------------------------------------------------------------------------

COMMUNITY_FIELDS = [
    Field("period", "text", "Kỳ", "Period"),
    Field("period_label", "text", "Tên kỳ", "Period label"),
    Field("as_of", "text", "Số liệu đến ngày", "As of"),
    Field("unit_code", "text", "Mã xã, phường", "Commune code"),
    Field("unit_name", "text", "Tên xã, phường", "Commune name"),
    Field("teams", "int", "Số tổ", "Teams"),
    Field("members", "int", "Số thành viên", "Members"),
    Field("units_with_team", "int", "Thôn, ấp có tổ", "Hamlets with a team"),
    Field("units_total", "int", "Tổng số thôn, ấp", "Hamlets"),
]


def _community_stamp(dataset: Dataset) -> Stamp:
    teams = Team.objects.filter(unit__path__startswith=dataset.coverage.path)
    members = Member.objects.filter(team__unit__path__startswith=dataset.coverage.path)
    # Members have no modification time: their count and the latest join or leave date.
    member_row = members.aggregate(
        n=Count("pk"), joined=Max("joined_on"), left=Max("left_on"), created=Max("created_at")
    )
    return (timezone.localdate(), *_aggregate_stamp(teams, "updated_at"), *member_row.values())


def _community_build(dataset: Dataset) -> Table:
    today = timezone.localdate()
    rows: list[tuple[Value, ...]] = []
    for period in periods_of(dataset):
        if period.start > today:
            continue
        as_of = min(period.end, today)
        for row in community.per_commune(dataset.coverage, as_of=as_of):
            commune = row["commune"]
            rows.append(
                (
                    period.code,
                    str(period.label),
                    as_of.isoformat(),
                    commune.code,
                    commune.name,
                    row["teams"],
                    row["members"],
                    row["units_with_team"],
                    row["units_total"],
                )
            )
    return Table(COMMUNITY_FIELDS, rows)


def _community_last(dataset: Dataset) -> datetime | None:
    teams = Team.objects.filter(unit__path__startswith=dataset.coverage.path)
    members = Member.objects.filter(team__unit__path__startswith=dataset.coverage.path)
    return _last(
        teams.aggregate(last=Max("updated_at"))["last"],
        members.aggregate(last=Max("created_at"))["last"],
    )


# --- projects --------------------------------------------------------------------------------

PROJECT_FIELDS = [
    Field("code", "text", "Mã", "Code"),
    Field("name", "text", "Tên nhiệm vụ, dự án", "Name"),
    Field("kind", "text", "Loại", "Kind"),
    Field("plan_code", "text", "Mã kế hoạch", "Plan code"),
    Field("lead_agency_code", "text", "Mã đơn vị chủ trì", "Lead agency code"),
    Field("lead_agency_name", "text", "Đơn vị chủ trì", "Lead agency"),
    Field("start_date", "text", "Ngày bắt đầu", "Start date"),
    Field("deadline", "text", "Hạn hoàn thành", "Deadline"),
    Field("status", "text", "Trạng thái", "Status"),
    Field("progress", "int", "Tiến độ (%)", "Progress (%)"),
    Field("planned_budget", "int", "Kinh phí kế hoạch (đồng)", "Planned budget (VND)"),
    Field("disbursed_budget", "int", "Kinh phí đã giải ngân (đồng)", "Disbursed budget (VND)"),
    Field("budget_source", "text", "Nguồn kinh phí", "Budget source"),
]


def _project_items(dataset: Dataset) -> QuerySet[Item]:
    periods = periods_of(dataset)
    return Item.objects.filter(
        lead_agency__path__startswith=dataset.coverage.path,
        start_date__lte=periods[-1].end,
        deadline__gte=periods[0].start,
    )


def _projects_stamp(dataset: Dataset) -> Stamp:
    # "overdue" moves with the clock.
    return (timezone.localdate(), *_aggregate_stamp(_project_items(dataset), "updated_at"))


def _projects_build(dataset: Dataset) -> Table:
    items = (
        _project_items(dataset)
        .with_state()  # type: ignore[attr-defined]  # ItemQuerySet, typed as a QuerySet
        .select_related("plan", "lead_agency")
        .order_by("plan__code", "code")
    )
    rows: list[tuple[Value, ...]] = [
        (
            item.code,
            item.name,
            item.kind,
            item.plan.code,
            item.lead_agency.code,
            item.lead_agency.name,
            item.start_date.isoformat(),
            item.deadline.isoformat(),
            item.state,  # annotated by with_state
            item.progress,
            item.planned_budget,
            item.disbursed_budget,
            item.budget_source,
        )
        for item in items
    ]
    return Table(PROJECT_FIELDS, rows)


def _projects_last(dataset: Dataset) -> datetime | None:
    return _max_updated(_project_items(dataset))


# --- report-form completeness ------------------------------------------------------------------

COMPLETENESS_FIELDS = [
    Field("form_code", "text", "Mã biểu mẫu", "Form code"),
    Field("form_name", "text", "Tên biểu mẫu", "Form name"),
    Field("period", "text", "Kỳ", "Period"),
    Field("period_label", "text", "Tên kỳ", "Period label"),
    Field("deadline", "text", "Hạn nộp", "Deadline"),
    Field("unit_code", "text", "Mã đơn vị", "Unit code"),
    Field("unit_name", "text", "Tên đơn vị", "Unit name"),
    Field("reported", "int", "Đã nộp (1/0)", "Reported (1/0)"),
    Field("timeliness", "text", "Đúng hạn", "Timeliness"),
    Field("submitted_on", "text", "Ngày nộp", "Submitted on"),
]


class _System:
    """The platform itself reading every unit, as the cron jobs do (`user=None` elsewhere);
    completeness() wants a user object."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None


def _report_form(dataset: Dataset) -> ReportForm:
    form = ReportForm.objects.filter(code=dataset.report_form_code).first()
    if form is None:
        message = _("Không tìm thấy biểu mẫu “%(code)s”.") % {"code": dataset.report_form_code}
        raise InvalidInput(message, [ErrorDetail("report_form_code", message)])
    return form


def _completeness_stamp(dataset: Dataset) -> Stamp:
    submissions = Submission.objects.filter(
        form__code=dataset.report_form_code,
        period__in=[p.code for p in periods_of(dataset)],
        unit__path__startswith=dataset.coverage.path,
    )
    return (timezone.localdate(), *_aggregate_stamp(submissions, "updated_at"))


def _completeness_build(dataset: Dataset) -> Table:
    form = _report_form(dataset)
    today = timezone.localdate()
    pairs = [(form, p) for p in periods_of(dataset) if p.start <= today]
    results = completeness(
        _System(),  # type: ignore[arg-type]
        pairs,
        within=dataset.coverage,
        with_units=True,
    )
    rows: list[tuple[Value, ...]] = []
    for item in results:
        for status in sorted(item.units, key=lambda s: s.unit.sort_key):
            rows.append(
                (
                    form.code,
                    form.name,
                    item.period.code,
                    str(item.period.label),
                    item.info.deadline.isoformat(),
                    status.unit.code,
                    status.unit.name,
                    int(status.reported),
                    status.timeliness,
                    _local_date(status.submitted_at),
                )
            )
    return Table(COMPLETENESS_FIELDS, rows)


def _completeness_last(dataset: Dataset) -> datetime | None:
    submissions = Submission.objects.filter(
        form__code=dataset.report_form_code, unit__path__startswith=dataset.coverage.path
    )
    return _max_updated(submissions)


# --- scorecards ------------------------------------------------------------------------------

SCORECARD_FIELDS = [
    Field("year", "int", "Năm", "Year"),
    # Departments and communes are ranked in separate sets of the same year.
    Field("set_code", "text", "Mã bộ chỉ số", "Scorecard code"),
    Field("unit_code", "text", "Mã đơn vị", "Unit code"),
    Field("unit_name", "text", "Tên đơn vị", "Unit name"),
    Field("score", "numeric", "Tổng điểm", "Total score"),
    Field("max_score", "numeric", "Điểm tối đa", "Maximum score"),
    Field("rank", "int", "Xếp hạng", "Rank"),
]
SCORECARDS_MODULE = "dxboard.scorecards.services"


def published_results() -> Callable[[Unit, int], Iterable[Any]] | None:
    """`dxboard.scorecards.services.published_results(unit, year)` once that app has it.

    Each result it yields is read as a mapping or an object with `unit_code`, `unit_name`,
    `points` (or `score`), `rank` (and optionally `set_code`, `max_points`, `updated_at`).
    """
    try:
        module = importlib.import_module(SCORECARDS_MODULE)
    except ModuleNotFoundError:
        return None
    function = getattr(module, "published_results", None)
    return function if callable(function) else None


def _read(result: Any, name: str) -> Any:
    if isinstance(result, Mapping):
        return result.get(name)
    return getattr(result, name, None)


def _years(dataset: Dataset) -> list[int]:
    return sorted({p.year for p in periods_of(dataset)})


def _scorecard_results(dataset: Dataset) -> list[tuple[int, list[Any]]]:
    function = published_results()
    if function is None:
        return []
    return [(year, list(function(dataset.coverage, year))) for year in _years(dataset)]


def _scorecards_stamp(dataset: Dataset) -> Stamp:
    # No cheap question tells that published results changed: ask for them (a published
    # scorecard is small) and let their content be the stamp.
    return (
        revision.current(),
        tuple(
            (year, tuple(repr(sorted(_as_row(r).items())) for r in results))
            for year, results in _scorecard_results(dataset)
        ),
    )


def _as_row(result: Any) -> dict[str, Any]:
    row = {
        name: _read(result, name)
        for name in ("unit_code", "unit_name", "rank", "set_code", "max_points")
    }
    # The scorecards app's ResultRow calls the total `points`.
    points = _read(result, "points")
    row["score"] = points if points is not None else _read(result, "score")
    return row


def _scorecards_last(dataset: Dataset) -> datetime | None:
    return _last(
        *(_read(r, "updated_at") for _year, results in _scorecard_results(dataset) for r in results)
    )


def _scorecards_build(dataset: Dataset) -> Table:
    rows: list[tuple[Value, ...]] = []
    for year, results in _scorecard_results(dataset):
        for result in results:
            row = _as_row(result)
            rows.append(
                (
                    year,
                    str(row["set_code"] or ""),
                    str(row["unit_code"]),
                    str(row["unit_name"] or ""),
                    number(row["score"]),
                    number(row["max_points"]),
                    number(row["rank"]),
                )
            )
    return Table(SCORECARD_FIELDS, rows)


SOURCES: dict[str, Source] = {
    SourceKind.EVALUATION: Source(_evaluation_stamp, _evaluation_build, _evaluation_last),
    SourceKind.FEEDBACK: Source(_feedback_stamp, _feedback_build, _feedback_last),
    SourceKind.COMMUNITY: Source(_community_stamp, _community_build, _community_last),
    SourceKind.PROJECTS: Source(_projects_stamp, _projects_build, _projects_last),
    SourceKind.COMPLETENESS: Source(_completeness_stamp, _completeness_build, _completeness_last),
    SourceKind.SCORECARDS: Source(_scorecards_stamp, _scorecards_build, _scorecards_last),
}


def source_for(dataset: Dataset) -> Source:
    return SOURCES[dataset.source]


def first_day(dataset: Dataset) -> date:
    return periods_of(dataset)[0].start


def last_day(dataset: Dataset) -> date:
    return periods_of(dataset)[-1].end
