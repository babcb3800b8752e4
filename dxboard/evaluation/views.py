"""The IOC dashboard: where a unit stands against its programme's targets in a period.

`index` lets the user choose a programme and sends them to its dashboard for their top unit
and the last finished quarter. `dashboard` shows KPI tiles, the status chart, the indicator
table, and for the chosen indicator its trend with the projection to the programme's end
and the ranking of the child units (the `indicator_panel_partial.html` partial, swapped by
htmx when the user picks another indicator).

Everything is read through `dxboard.evaluation.services`, which decides access: a public
programme is readable by anybody (also anonymous) for any unit inside its own unit;
otherwise the unit must be visible to the user (an outsider gets a 404, an anonymous
visitor the login page). Tables are rendered on the server; the ECharts charts read their
data from `json_script` blocks and are only an enhancement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dxboard.errors import InvalidInput, NotFound
from dxboard.evaluation import services
from dxboard.evaluation.services import (
    NO_DATA,
    NO_TARGET,
    Evaluation,
    IndicatorResult,
    Projection,
)
from dxboard.indicators import services as indicator_services
from dxboard.indicators.models import Programme
from dxboard.numbers import vn_number
from dxboard.periods import Period, PeriodType, last_finished, parse_period, period_of
from dxboard.units.models import Unit
from dxboard.units.resolve import parse_as_of

# The day the 2025 reorganisation took effect: the label of a ranking's former basis.
REFORM_DAY = dt.date(2025, 7, 1)

CSS_CLASSES = ["status-met", "status-ge70", "status-ge50", "status-lt50"]
MAX_TREND_POINTS = 40


# --- helpers -----------------------------------------------------------------------------


@dataclass
class StatusInfo:
    name: str
    label: str
    css: str


def statuses(programme: Programme) -> dict[str, StatusInfo]:
    """Labels and CSS classes of the programme's status buckets, "no data" and "no target"."""
    t1, t2, t3 = (vn_number(t) for t in programme.thresholds)
    names = services.bucket_names(programme)
    labels = [
        _("Đạt, vượt (≥ %(t1)s %%)") % {"t1": t1},
        _("Từ %(t2)s đến dưới %(t1)s %%") % {"t1": t1, "t2": t2},
        _("Từ %(t3)s đến dưới %(t2)s %%") % {"t2": t2, "t3": t3},
        _("Dưới %(t3)s %%") % {"t3": t3},
    ]
    result = {
        name: StatusInfo(name, label, css)
        for name, label, css in zip(names, labels, CSS_CLASSES, strict=True)
    }
    result[NO_DATA] = StatusInfo(NO_DATA, _("Chưa có số liệu"), "status-nodata")
    result[NO_TARGET] = StatusInfo(NO_TARGET, _("Chưa có chỉ tiêu"), "status-notarget")
    return result


def default_period(programme: Programme, today=None) -> Period:
    """The last finished quarter, kept inside the programme's years."""
    period = last_finished(PeriodType.QUARTER, today or timezone.localdate())
    if period.year > programme.end_year:
        return parse_period(f"{programme.end_year}Q4")
    if period.year < programme.start_year:
        return parse_period(f"{programme.start_year}Q1")
    return period


def period_choices(programme: Programme, today=None) -> list[tuple[str, list[Period]]]:
    """Years, half-years and quarters from the programme's start to the current period."""
    today = today or timezone.localdate()
    last_year = min(programme.end_year, max(today.year, programme.start_year))
    groups: list[tuple[str, list[Period]]] = []
    for label, kind in (
        (_("Năm"), PeriodType.YEAR),
        (_("6 tháng"), PeriodType.HALF_YEAR),
        (_("Quý"), PeriodType.QUARTER),
    ):
        current = period_of(today, kind)
        items = [
            p
            for year in range(last_year, programme.start_year - 1, -1)
            for p in reversed(parse_period(str(year)).sub_periods(kind))
            if p.start <= current.start
        ]
        groups.append((label, items))
    return groups


def top_unit(user, programme: Programme) -> Unit:
    """The unit a user's dashboard opens on: the programme's unit when they see it (or the
    programme is public), otherwise their highest unit inside it."""
    owner = programme.owner_unit
    if not user.is_authenticated or user.is_superuser:
        return owner
    if owner.is_visible_to(user):
        return owner
    inside = (
        Unit.objects.visible_to(user)
        .in_force()
        .filter(path__startswith=owner.path)
        .order_by("depth", "sort_key")
        .first()
    )
    return inside or owner


def dashboard_url(programme: Programme, unit: Unit, period: Period, indicator: str = "") -> str:
    """The dashboard of a unit; a former unit's carries `asOf=` its last day, because
    its code may name another unit today (80 was Long An, is now Tây Ninh)."""
    params = {"unit": unit.code, "period": period.code}
    if unit.valid_to is not None:
        params["asOf"] = unit.valid_to.isoformat()
    if indicator:
        params["indicator"] = indicator
    return f"{reverse('evaluation:dashboard', args=[programme.code])}?{urlencode(params)}"


def _boundary(unit: Unit, periods: list[Period]) -> Period | None:
    """The period in which the unit took over from its former units (1 July 2025), when
    the trend runs across it: the chart marks it. One query, only then."""
    began = unit.valid_from
    if not periods or began is None or not (periods[0].start < began <= periods[-1].end):
        return None
    if not unit.successions_in.exists():
        return None
    return next(p for p in periods if p.end >= began)


def _float(value: Decimal | None, places: int = 6) -> float | None:
    return None if value is None else round(float(value), places)


def _row(row: IndicatorResult, info: dict[str, StatusInfo]) -> dict[str, Any]:
    achievement = row.achievement
    return {
        "code": row.code,
        "name": row.name,
        "unit_of_measure": row.unit_of_measure,
        "direction": row.direction,
        "actual": vn_number(row.actual, row.decimals),
        "target": vn_number(row.target) if row.target is not None else "—",
        "achievement": (vn_number(achievement, 1) + " %") if achievement is not None else "—",
        "bar": int(min(round(achievement), 100)) if achievement is not None else 0,
        "numerator": vn_number(row.numerator) if row.numerator is not None else "",
        "denominator": vn_number(row.denominator) if row.denominator is not None else "",
        "status": info[row.status],
        "estimated": row.estimated,
    }


def _summary(evaluation: Evaluation, info: dict[str, StatusInfo]) -> dict[str, Any]:
    summary = evaluation.summary
    rate = summary.met_rate
    counts = [(info[name], count) for name, count in summary.counts.items()]
    counts += [(info[NO_DATA], summary.no_data), (info[NO_TARGET], summary.no_target)]
    return {
        "total": summary.total,
        "with_target": summary.with_target,
        "met": summary.met,
        "rate": (vn_number(rate, 1) + " %") if rate is not None else "—",
        "headline": _("%(met)s/%(total)s chỉ tiêu đạt, %(rate)s")
        % {
            "met": summary.met,
            "total": summary.with_target,
            "rate": (vn_number(rate, 1) + " %") if rate is not None else "—",
        },
        "counts": counts,
    }


def _trend_periods(programme: Programme, period: Period) -> list[Period]:
    first = parse_period(str(programme.start_year)).sub_periods(period.type)[0]
    if first.start > period.start:
        return [period]
    periods = []
    current = first
    while current.start <= period.start:
        periods.append(current)
        current = current.next()
    return periods[-MAX_TREND_POINTS:]


def _projection_until(programme: Programme, period: Period) -> tuple[Period, str]:
    """Project from whole years up to the chosen period; quarters when under two years."""
    year = period.year if period.end.month == 12 else period.year - 1
    if year >= programme.start_year + 1:
        return parse_period(str(min(year, programme.end_year))), PeriodType.YEAR
    return period, PeriodType.QUARTER


def _at_risk(programme: Programme, projection: Projection) -> bool:
    achievement = services.bounded_projection(projection)[1]
    return achievement is not None and services.status_for(programme, achievement) != services.MET


def _indicator_panel(
    request: HttpRequest,
    programme: Programme,
    unit: Unit,
    period: Period,
    row: IndicatorResult,
    info: dict[str, StatusInfo],
) -> dict[str, Any]:
    user = request.user
    trend_periods = _trend_periods(programme, period)
    points = services.trend(programme, unit, row.code, trend_periods, user=user)
    boundary = _boundary(unit, trend_periods)
    until, kind = _projection_until(programme, period)
    projection = services.projection(
        programme, unit, row.code, user=user, until=until, period_type=kind
    )
    ranking = []
    children_with_data = 0
    # A year before the reform can be ranked on today's units or on those of then.
    bases = services.ranking_bases(unit, period)
    basis = request.GET.get("basis", "")
    basis = basis if basis in bases else services.CURRENT
    kinds = services.ranking_kinds(unit, period, basis)
    rank_kind = request.GET.get("rank_kind", "")
    rank_kind = rank_kind if rank_kind in {k for k, _label, _n in kinds} else ""
    if kinds:
        rank_kind = rank_kind or kinds[0][0]
        ranking = services.rank_children(
            programme, unit, period, row.code, user=user, kind=rank_kind, basis=basis
        )
        children_with_data = sum(1 for r in ranking if r.actual is not None)
    panel_url = dashboard_url(programme, unit, period, row.code)
    basis_query = f"&{urlencode({'basis': basis})}" if basis != services.CURRENT else ""
    ranking_kinds = [
        {
            "kind": k,
            "label": label,
            "count": count,
            "url": f"{panel_url}{basis_query}&{urlencode({'rank_kind': k})}",
            "active": k == rank_kind,
        }
        for k, label, count in kinds
    ]
    basis_labels = {
        services.CURRENT: _("Đơn vị hiện nay"),
        services.FORMER: _("Đơn vị trước ngày 01/7/2025")
        if period.end < REFORM_DAY
        else _("Đơn vị của kỳ này"),
    }
    ranking_bases = [
        {
            "basis": b,
            "label": basis_labels[b],
            "url": f"{panel_url}&{urlencode({'basis': b})}",
            "active": b == basis,
        }
        for b in bases
    ]
    visible_ids = set(
        Unit.objects.visible_to(user)
        .filter(pk__in=[r.unit.pk for r in ranking])
        .values_list("pk", flat=True)
    )
    drillable = programme.is_public or user.is_superuser
    ranking_rows = [
        {
            "rank": r.rank,
            "unit": r.unit,
            "url": dashboard_url(programme, r.unit, period, row.code)
            if drillable or r.unit.pk in visible_ids
            else "",
            "actual": vn_number(r.actual, row.decimals),
            "target": vn_number(r.target) if r.target is not None else "—",
            "achievement": (vn_number(r.achievement, 1) + " %")
            if r.achievement is not None
            else "—",
            "status": info[r.status],
            "estimated": r.estimated,
            "former": r.unit.valid_to is not None,
        }
        for r in ranking
    ]
    places = row.decimals
    projected, projected_achievement = services.bounded_projection(projection)
    chart = {
        "indicator": {"code": row.code, "name": row.name, "unit": row.unit_of_measure},
        "labels": [p.period.label for p in points],
        "actual": [_float(p.actual, places) for p in points],
        "target": [_float(p.target, places) for p in points],
        "estimated": [p.estimated for p in points],
        "projection": None,
        # The reorganisation the trend runs across: marked on the chart (figures before
        # it are the former units').
        "boundary": {
            "label": boundary.label,
            "text": _("Sắp xếp ĐVHC %(day)s")
            % {"day": unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else ""},
        }
        if boundary is not None
        else None,
        "labels_text": {
            "actual": _("Thực hiện"),
            "target": _("Chỉ tiêu"),
            "projection": _("Dự báo theo xu hướng"),
            "final": _("Chỉ tiêu năm %(year)s") % {"year": programme.end_year},
            "estimated": _("ước tính"),
        },
    }
    if projected is not None:
        chart["projection"] = {
            "label": _("Năm %(year)s (dự báo)") % {"year": programme.end_year},
            "value": _float(projected, places),
            "final_target": _float(projection.final_target, places),
        }
    ranking_chart = {
        "indicator": {"code": row.code, "name": row.name, "unit": row.unit_of_measure},
        "units": [r["unit"].name for r in ranking_rows if r["rank"] is not None],
        "values": [_float(r.actual, places) for r in ranking if r.actual is not None],
        "classes": [r["status"].css for r in ranking_rows if r["rank"] is not None],
    }
    return {
        "selected": _row(row, info),
        "trend_rows": [
            {
                "label": p.period.label,
                "actual": vn_number(p.actual, places),
                "target": vn_number(p.target) if p.target is not None else "—",
                "achievement": (vn_number(p.achievement, 1) + " %")
                if p.achievement is not None
                else "—",
                "status": info[p.status],
                "estimated": p.estimated,
                "reform": boundary is not None and p.period == boundary,
            }
            for p in points
        ],
        "boundary": boundary,
        "reform_day": unit.valid_from if boundary is not None else None,
        "trend_chart": chart,
        "projection": projection,
        "projected": vn_number(projected, places) if projected is not None else "",
        "projected_achievement": vn_number(projected_achievement, 1) + " %"
        if projected_achievement is not None
        else "",
        # The target carries its unit like the actual ("chỉ tiêu 90 % là 96,4 %").
        "final_target": vn_number(projection.final_target)
        + (" %" if projection.indicator.unit_of_measure == "%" else "")
        if projection.final_target is not None
        else "",
        "at_risk": _at_risk(programme, projection),
        "ranking": ranking_rows,
        "ranking_kinds": ranking_kinds if len(ranking_kinds) > 1 else [],
        "ranking_bases": ranking_bases if len(ranking_bases) > 1 else [],
        "basis": basis,
        "ranking_chart": ranking_chart,
        "children_with_data": children_with_data,
        "ranking_height": max(260, 22 * children_with_data + 60),
    }


# --- views -------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Choose a programme (`?programme=CODE` redirects to its dashboard)."""
    programmes = list(indicator_services.list_programmes(request.user))
    code = request.GET.get("programme", "")
    if code:
        programme = next((p for p in programmes if p.code == code), None)
        if programme is None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404(_("Không tìm thấy chương trình."))
        unit = top_unit(request.user, programme)
        return redirect(dashboard_url(programme, unit, default_period(programme)))
    if len(programmes) == 1 and request.user.is_authenticated:
        programme = programmes[0]
        unit = top_unit(request.user, programme)
        return redirect(dashboard_url(programme, unit, default_period(programme)))
    return render(request, "evaluation/index.html", {"programmes": programmes})


@require_GET
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    unit_code = request.GET.get("unit", "").strip()
    period_code = request.GET.get("period", "").strip()
    as_of_text = request.GET.get("asOf", "").strip()[:20]
    try:
        programme = indicator_services.get_programme(user, code)
    except NotFound as error:
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404(error.message) from error
    if not period_code:
        period_code = default_period(programme).code
    if not unit_code:
        # As from the index: a commune officer lands on their commune, not on a province
        # they may not open (or, for a public programme, did not come for).
        unit_code = top_unit(user, programme).code
    try:
        as_of = parse_as_of(as_of_text)
        programme, unit, period = services.resolve(user, code, unit_code, period_code, as_of=as_of)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect(dashboard_url(programme, programme.owner_unit, default_period(programme)))
    except NotFound as error:
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404(error.message) from error
    info = statuses(programme)
    evaluation = services.evaluate(programme, unit, period, user=user)
    rows = evaluation.indicators
    selected_code = request.GET.get("indicator", "")
    selected = next((r for r in rows if r.code == selected_code), rows[0] if rows else None)
    panel = _indicator_panel(request, programme, unit, period, selected, info) if selected else {}
    context: dict[str, Any] = {
        "programme": programme,
        "unit": unit,
        "period": period,
        # Links of the page keep naming this unit (a former one by its last day).
        "as_of": unit.valid_to,
        **panel,
    }
    if request.htmx and request.htmx.target == "indicator-panel":
        return render(request, "evaluation/indicator_panel_partial.html", context)
    summary = _summary(evaluation, info)
    owner = programme.owner_unit
    ancestors = [a for a in unit.ancestors() if a.path.startswith(owner.path)]
    visible = set(
        Unit.objects.visible_to(user)
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    until, kind = _projection_until(programme, period)
    projections = services.projections(programme, unit, user=user, until=until, period_type=kind)
    context.update(
        summary=summary,
        estimated=evaluation.estimated,
        rows=[{**_row(r, info), "at_risk": _at_risk(programme, projections[r.code])} for r in rows],
        at_risk_count=sum(_at_risk(programme, p) for p in projections.values()),
        projection_year=str(programme.end_year),  # not "2.025"
        status_chart={
            "total": summary["total"],
            "items": [
                {"name": s.label, "value": count, "css": s.css}
                for s, count in summary["counts"]
                if count
            ],
            "title": _("Chỉ tiêu theo mức đạt"),
        },
        breadcrumbs=[
            (
                a,
                dashboard_url(programme, a, period)
                if programme.is_public or a.pk in visible
                else "",
            )
            for a in ancestors
        ],
        period_groups=period_choices(programme),
        selected_code=selected.code if selected else "",
        dashboard_path=reverse("evaluation:dashboard", args=[programme.code]),
    )
    return render(request, "evaluation/dashboard.html", context)
