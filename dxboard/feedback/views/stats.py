"""Statistics page and its Excel export (no personal data in either)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dxboard.periods import InvalidPeriod, parse_period
from dxboard.units.models import Unit, UnitKind

from .. import stats
from ..models import Category


@dataclass
class Selection:
    unit: Unit
    start: date
    end: date
    label: str
    period_code: str
    category: Category | None
    # Why the page shows another period than the one asked for (empty when it does not).
    notice: str = ""
    # The periods offered in the picker, newest year first: (year label, [(code, label)]).
    choices: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


def _visible_units(user):
    return Unit.objects.visible_to(user).in_force()


def selection_from(request: HttpRequest) -> Selection:
    """The unit, dates and category asked for; errors fall back to sensible defaults."""
    units = _visible_units(request.user)
    code = request.GET.get("unit", "")
    if code:
        unit = units.filter(code=code).first()
        if unit is None:
            raise Http404(_("Không tìm thấy đơn vị."))
    else:
        unit = units.order_by("depth", "sort_key").first()
        if unit is None:
            raise PermissionDenied(_("Tài khoản chưa được gán đơn vị nào."))
    years = stats.report_years(unit)
    today = timezone.localdate()
    # The latest year with reports: an empty current year says nothing on its own.
    default = str(years[0] if years else today.year)
    notice = ""
    start = parse_date(request.GET.get("start", "") or "")
    end = parse_date(request.GET.get("end", "") or "")
    period_code = ""
    if start and end and start <= end:
        label = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    else:
        if start and end:
            notice = _("Ngày bắt đầu sau ngày kết thúc; đang xem năm %(year)s.") % {"year": default}
        asked = request.GET.get("period", "").strip()
        try:
            period = parse_period(asked or default)
        except InvalidPeriod:
            notice = _("Kỳ “%(period)s” không hợp lệ; đang xem năm %(year)s.") % {
                "period": asked[:20],
                "year": default,
            }
            period = parse_period(default)
        period_code = period.code
        start, end, label = period.start, period.end, period.label
    category = Category.objects.filter(code=request.GET.get("category", "")).first()
    choices = _period_choices(sorted({*years, today.year}, reverse=True))
    if period_code and all(period_code != code for _y, group in choices for code, _l in group):
        choices.append((label, [(period_code, label)]))  # an older period asked by address
    return Selection(unit, start, end, label, period_code, category, notice, choices)


def _period_choices(years: list[int]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per year: the year, its halves, quarters and months, as the committee reports them."""
    choices = []
    for year in years:
        codes = [str(year), f"{year}S1", f"{year}S2"]
        codes += [f"{year}Q{q}" for q in range(1, 5)] + [f"{year}{m:02d}" for m in range(1, 13)]
        choices.append((str(year), [(code, parse_period(code).label) for code in codes]))
    return choices


def _data(selection: Selection) -> dict:
    reports = stats.reports_for(selection.unit, selection.start, selection.end)
    if selection.category is not None:
        reports = reports.filter(category=selection.category)
    total = stats.to_figures(reports.aggregate(**stats.figure_expressions()))
    return {
        "total": total,
        "by_unit": stats.breakdown(reports, "unit__code", "unit__name"),
        "by_category": stats.breakdown(reports, "category__code", "category__name"),
        "by_agency": stats.breakdown(reports, "agency__code", "agency__name"),
        "by_month": stats.by_month(reports),
    }


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    """The statistics page; with `?format=xlsx` the same figures as an Excel workbook."""
    if request.GET.get("format") == "xlsx":
        return stats_export(request)
    selection = selection_from(request)
    data = _data(selection)
    chart = {
        "months": [f"{m:%m/%Y}" for m, _f in data["by_month"]],
        "received": [f.received for _m, f in data["by_month"]],
        "resolved": [f.resolved for _m, f in data["by_month"]],
        "onTime": [f.on_time for _m, f in data["by_month"]],
        "categories": [
            {"name": key["category__name"], "value": f.received} for key, f in data["by_category"]
        ],
    }
    units = (
        _visible_units(request.user)
        .filter(kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.DEPARTMENT])
        .order_by("depth", "kind", "sort_key")
        .only("code", "name", "kind")
    )
    return render(
        request,
        "feedback/stats.html",
        {
            "selection": selection,
            "units": units,
            "categories": Category.objects.filter(active=True),
            "chart_json": chart,
            "query": request.GET.urlencode(),
            "export_query": _export_query(request),
            **data,
        },
    )


def stats_export(request: HttpRequest) -> HttpResponse:
    """The statistics as Excel: one titled table per breakdown, the unit and period in
    each title, real numbers (rates with one decimal), frozen header, fitted widths."""
    from dxboard.spreadsheets import (
        DECIMAL_1,
        INTEGER,
        Column,
        titled_table,
        workbook_bytes,
        xlsx_response,
    )

    selection = selection_from(request)
    data = _data(selection)
    figures_columns = [
        Column(_("Tiếp nhận"), INTEGER),
        Column(_("Đã tiếp nhận xử lý"), INTEGER),
        Column(_("Đã xử lý"), INTEGER),
        Column(_("Tỷ lệ đã xử lý (%)"), DECIMAL_1),
        Column(_("Đúng hạn"), INTEGER),
        Column(_("Tỷ lệ đúng hạn (%)"), DECIMAL_1),
        Column(_("Quá hạn"), INTEGER),
        Column(_("Số giờ xử lý trung bình"), DECIMAL_1),
        Column(_("Tỷ lệ hài lòng (%)"), DECIMAL_1),
    ]

    def numbers(f: stats.Figures) -> list:
        return [
            f.received,
            f.accepted,
            f.resolved,
            f.resolution_rate,
            f.on_time,
            f.on_time_rate,
            f.overdue,
            f.mean_hours_to_resolve,
            f.satisfaction_rate,
        ]

    where = _("%(unit)s – %(period)s") % {"unit": selection.unit.name, "period": selection.label}
    subtitle = (
        _("Lĩnh vực: %(category)s") % {"category": selection.category.name}
        if selection.category
        else _("Tất cả lĩnh vực")
    )
    workbook = titled_table(
        _("Tổng hợp"),
        _("Thống kê phản ánh hiện trường – %(where)s") % {"where": where},
        subtitle,
        figures_columns,
        [numbers(data["total"])],
    )
    for title, key, fields in (
        (_("Theo xã, phường"), "by_unit", ("unit__code", "unit__name")),
        (_("Theo lĩnh vực"), "by_category", ("category__code", "category__name")),
        (_("Theo đơn vị xử lý"), "by_agency", ("agency__code", "agency__name")),
    ):
        titled_table(
            title,
            _("Phản ánh hiện trường %(breakdown)s – %(where)s")
            % {"breakdown": title.lower(), "where": where},
            subtitle,
            [Column(_("Mã")), Column(_("Tên")), *figures_columns],
            [[group[fields[0]], group[fields[1]], *numbers(f)] for group, f in data[key]],
            workbook=workbook,
        )
    name = f"phan-anh-{selection.unit.code}-{selection.period_code or selection.start}.xlsx"
    return xlsx_response(workbook_bytes(workbook), name)


def _export_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query["format"] = "xlsx"
    return query.urlencode()
