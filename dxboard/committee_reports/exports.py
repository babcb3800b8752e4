"""Excel exports of the tables people see (issue 15, point 7), with the parameters of the
pages they come from:

- the dashboard's indicator table and ranking of units
  (`/evaluation/<programme>/?unit=&period=&indicator=&rank_kind=`);
- completeness: one report form's units (`/collection/.../forms/<code>/?period=`) and the
  overview of every form on the reporting page;
- the registers as their list pages show them: community teams (`?unit=&status=&q=`)
  and tasks and projects (`?unit=&plan=&status=&year=`), each with the page's totals.

Every file is a `spreadsheets.titled_table`: unit and period in the title, real numbers
with formats, frozen header, fitted widths. Access is the pages' own: the services raise
NotFound for what the user may not see (404), and rows are the user's `visible_to` rows.
The field-report statistics export lives with its page (`feedback.views.stats`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dxboard.community import services as community
from dxboard.community.models import TeamStatus
from dxboard.errors import InvalidInput, NotFound
from dxboard.evaluation import services as evaluation
from dxboard.evaluation.views import default_period, statuses, top_unit
from dxboard.indicators.services import get_programme
from dxboard.numbers import format_vn
from dxboard.projects import services as projects
from dxboard.projects.models import STATE_LABELS as ITEM_STATES
from dxboard.projects.models import ItemKind
from dxboard.spreadsheets import (
    DATE,
    DATETIME,
    DECIMAL_1,
    DECIMAL_2,
    INTEGER,
    Column,
    titled_table,
    workbook_bytes,
    xlsx_response,
)
from dxboard.units.models import Unit, UnitKind
from dxboard.units.services import default_unit

from . import sources


def _refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A bad parameter (a period code, an indicator) answers 400 with its message; what an
    anonymous visitor may not read sends them to log in, as the dashboard does (a public
    programme's tables export without an account, like its dashboard)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except InvalidInput as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        except NotFound:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise

    return wrapper


def _selection(request: HttpRequest, code: str):
    """Programme, unit and period as the dashboard reads them (its defaults too)."""
    user = request.user
    programme = get_programme(user, code)
    unit_code = request.GET.get("unit", "").strip() or top_unit(user, programme).code
    period_code = request.GET.get("period", "").strip() or default_period(programme).code
    return evaluation.resolve(user, code, unit_code, period_code)


def _subtitle(programme) -> str:
    return _("%(programme)s · Xuất ngày %(date)s") % {
        "programme": programme.name,
        "date": timezone.localdate().strftime("%d/%m/%Y"),
    }


def _places(decimals: int) -> str:
    return "#,##0" if decimals == 0 else "#,##0." + "0" * min(decimals, 6)


@require_GET
@_refusals
def indicators(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard's indicator table."""
    programme, unit, period = _selection(request, code)
    result = evaluation.evaluate(programme, unit, period, user=request.user)
    info = statuses(programme)
    columns = [
        Column(_("Mã")),
        Column(_("Chỉ tiêu"), wrap=True),
        Column(_("Đơn vị tính")),
        Column(_("Thực hiện"), "#,##0.0#####"),
        Column(_("Chỉ tiêu kế hoạch"), "#,##0.0#####"),
        Column(_("Tỷ lệ đạt (%)"), DECIMAL_1),
        Column(_("Mức đạt")),
    ]
    rows = [
        [
            row.code,
            row.name,
            row.unit_of_measure,
            row.actual,
            row.target,
            row.achievement,
            str(info[row.status].label),
        ]
        for row in result.indicators
    ]
    title = _("Kết quả thực hiện chỉ tiêu – %(unit)s – %(period)s") % {
        "unit": unit.name,
        "period": period.label,
    }
    workbook = titled_table(_("Chỉ tiêu"), title, _subtitle(programme), columns, rows)
    name = f"chi-tieu-{programme.code}-{unit.code}-{period.code}.xlsx"
    return xlsx_response(workbook_bytes(workbook), name)


@require_GET
@_refusals
def ranking(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard's ranking of the child units on one indicator."""
    programme, unit, period = _selection(request, code)
    result = evaluation.evaluate(programme, unit, period, user=request.user)
    wanted = request.GET.get("indicator", "")
    row = next((r for r in result.indicators if r.code == wanted), None)
    if row is None and not wanted and result.indicators:
        row = result.indicators[0]
    if row is None:
        raise NotFound(_("Chỉ tiêu “%(code)s” không thuộc chương trình.") % {"code": wanted})
    # Like the dashboard's tabs: one kind of unit at a time (communes apart from departments).
    ranked = evaluation.rank_children(
        programme, unit, period, row.code, user=request.user, kind=request.GET.get("rank_kind")
    )
    info = statuses(programme)
    number = _places(row.decimals)
    columns = [
        Column(_("Hạng"), "0"),
        Column(_("Mã đơn vị")),
        Column(_("Đơn vị")),
        Column(_("Thực hiện"), number),
        Column(_("Chỉ tiêu kế hoạch"), "#,##0.0#####"),
        Column(_("Tỷ lệ đạt (%)"), DECIMAL_1),
        Column(_("Mức đạt")),
    ]
    rows = [
        [
            r.rank,
            r.unit.code,
            r.unit.name,
            r.actual,
            r.target,
            r.achievement,
            str(info[r.status].label),
        ]
        for r in ranked
    ]
    title = _("Xếp hạng đơn vị: %(indicator)s – %(unit)s – %(period)s") % {
        "indicator": row.name,
        "unit": unit.name,
        "period": period.label,
    }
    workbook = titled_table(_("Xếp hạng"), title, _subtitle(programme), columns, rows)
    name = f"xep-hang-{programme.code}-{row.code}-{unit.code}-{period.code}.xlsx"
    return xlsx_response(workbook_bytes(workbook), name)


# Lazy: read in the request's language, not the one active when the module was imported.
STATUS_LABELS = {
    "missing": gettext_lazy("Chưa nộp"),
    "draft": gettext_lazy("Đang nhập"),
    "submitted": gettext_lazy("Đã nộp"),
    "approved": gettext_lazy("Đã duyệt"),
    "returned": gettext_lazy("Bị trả lại"),
}
TIMELINESS = {"on_time": gettext_lazy("Đúng hạn"), "late": gettext_lazy("Trễ hạn"), "missing": ""}


@login_required
@require_GET
@_refusals
def completeness(request: HttpRequest, code: str) -> HttpResponse:
    """A report form's completeness per unit for a period (the form page's table)."""
    form = sources.get_visible_form(request.user, code)
    period_code = request.GET.get("period", "") or sources.reporting_period(form).code
    period = sources.parse_form_period(form, period_code)
    item = sources.completeness(request.user, [(form, period)], with_units=True)[0]
    zone = timezone.get_current_timezone()
    columns = [
        Column(_("Mã đơn vị")),
        Column(_("Đơn vị")),
        Column(_("Trạng thái")),
        Column(_("Nộp lần đầu"), DATETIME),
        Column(_("Đúng hạn")),
    ]
    rows = [
        [
            s.unit.code,
            s.unit.name,
            str(STATUS_LABELS.get(s.status, s.status)),
            s.submitted_at.astimezone(zone).replace(tzinfo=None) if s.submitted_at else None,
            str(TIMELINESS[s.timeliness]),
        ]
        for s in item.units
    ]
    title = _("Tình hình nộp biểu mẫu %(form)s – %(period)s") % {
        "form": form.name,
        "period": period.label,
    }
    subtitle = _("%(submitted)s/%(expected)s đơn vị đã nộp; hạn nộp %(deadline)s") % {
        "submitted": item.submitted,
        "expected": item.expected,
        "deadline": item.info.deadline.strftime("%d/%m/%Y"),
    }
    workbook = titled_table(_("Tình hình nộp"), title, subtitle, columns, rows)
    return xlsx_response(workbook_bytes(workbook), f"nop-bieu-mau-{form.code}-{period.code}.xlsx")


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


@login_required
@require_GET
@_refusals
def completeness_overview(request: HttpRequest) -> HttpResponse:
    """The reporting page's overview: every form the user's units report, at the period
    due next, with the counts of units expected, submitted, on time, late and missing."""
    user = request.user
    forms = list(sources.visible_forms(user).filter(active=True).prefetch_related("form_periods"))
    items = [item for item in sources.overview(user, forms) if item.expected]
    scope = default_unit(user)
    columns = [
        Column(_("Mã biểu mẫu")),
        Column(_("Biểu mẫu"), wrap=True),
        Column(_("Kỳ")),
        Column(_("Hạn nộp"), DATE),
        Column(_("Phải nộp"), INTEGER),
        Column(_("Đã nộp"), INTEGER),
        Column(_("Đúng hạn"), INTEGER),
        Column(_("Trễ hạn"), INTEGER),
        Column(_("Chưa nộp"), INTEGER),
        Column(_("Tỷ lệ đã nộp (%)"), DECIMAL_1),
        Column(_("Tình trạng")),
    ]
    rows = [
        [
            item.form.code,
            item.form.name,
            item.period.label,
            item.info.deadline,
            item.expected,
            item.submitted,
            item.on_time,
            item.late,
            item.missing,
            item.percent,
            _("Đã đủ") if item.complete else _("Quá hạn") if item.overdue else _("Đang cập nhật"),
        ]
        for item in items
    ]
    complete = sum(1 for item in items if item.complete)
    title = _("Tình hình nộp báo cáo định kỳ – %(unit)s – kỳ báo cáo hiện hành, ngày %(date)s") % {
        "unit": scope.name if scope else _("Toàn hệ thống"),
        "date": _today(),
    }
    subtitle = _("%(total)s biểu mẫu: %(complete)s đã đủ, %(updating)s đang cập nhật.") % {
        "total": format_vn(Decimal(len(items))),
        "complete": format_vn(Decimal(complete)),
        "updating": format_vn(Decimal(len(items) - complete)),
    }
    workbook = titled_table(_("Tình hình nộp"), title, subtitle, columns, rows)
    code = scope.code if scope else "tat-ca"
    return xlsx_response(workbook_bytes(workbook), f"tinh-hinh-nop-bao-cao-{code}.xlsx")


def _register_unit(request: HttpRequest, get_unit: Callable[[Any, str], Unit]) -> Unit:
    """The list page's unit: `?unit=` when the user sees it (NotFound otherwise), else the
    highest unit they see."""
    code = request.GET.get("unit", "").strip()
    if code:
        return get_unit(request.user, code)
    unit = default_unit(request.user)
    if unit is None:
        raise NotFound(_("Tài khoản chưa được gán đơn vị nào."))
    return unit


@login_required
@require_GET
@_refusals
def teams(request: HttpRequest) -> HttpResponse:
    """The community-team register as its list page shows it (same unit, status and search),
    with the totals and the coverage of every commune."""
    user = request.user
    root = _register_unit(request, community.get_unit)
    status = request.GET.get("status", TeamStatus.ACTIVE)
    if status not in TeamStatus.values and status != "all":
        status = TeamStatus.ACTIVE
    text = request.GET.get("q", "").strip()[:100]
    listed = community.team_list(
        user, unit=root, status="" if status == "all" else status, text=text
    )
    status_labels = dict(TeamStatus.choices)
    columns = [
        Column(_("Tổ"), wrap=True),
        Column(_("Thôn, ấp")),
        Column(_("Xã, phường")),
        Column(_("Trạng thái")),
        Column(_("Ngày thành lập"), DATE),
        Column(_("Thành viên"), INTEGER),
        Column(_("Người được hỗ trợ"), INTEGER),
    ]
    rows = []
    for team in listed:
        unit = team.unit
        hamlet = unit.kind == UnitKind.HAMLET
        commune = unit.parent.name if hamlet and unit.parent else unit.name
        rows.append(
            [
                team.name,
                unit.name if hamlet else "",
                commune,
                str(status_labels[team.status]),
                team.founded_on,
                team.member_count,
                team.people_helped,
            ]
        )
    totals = community.totals_for(root)
    title = _("Tổ công nghệ số cộng đồng – %(unit)s – ngày %(date)s") % {
        "unit": root.name,
        "date": _today(),
    }
    subtitle = _(
        "%(teams)s tổ, %(members)s thành viên; %(with)s/%(total)s thôn, ấp (hoặc xã) có tổ"
    ) % {
        "teams": format_vn(Decimal(totals.teams)),
        "members": format_vn(Decimal(totals.members)),
        "with": format_vn(Decimal(totals.units_with_team)),
        "total": format_vn(Decimal(totals.units_total)),
    }
    if status != TeamStatus.ACTIVE or text:
        shown = _("tất cả") if status == "all" else str(status_labels[status]).lower()
        subtitle += _(" · Danh sách: %(status)s") % {"status": shown}
        if text:
            subtitle += _(", tìm “%(text)s”") % {"text": text}
    workbook = titled_table(_("Danh sách tổ"), title, subtitle, columns, rows)
    coverage_columns = [
        Column(_("Mã")),
        Column(_("Xã, phường")),
        Column(_("Số tổ"), INTEGER),
        Column(_("Thành viên"), INTEGER),
        Column(_("Thôn, ấp (hoặc xã) có tổ"), INTEGER),
        Column(_("Tổng số thôn, ấp"), INTEGER),
        Column(_("Độ phủ (%)"), DECIMAL_1),
        Column(_("Dân số"), INTEGER),
        Column(_("Thành viên trên 100 dân"), DECIMAL_2),
    ]
    coverage_rows = [
        [
            row["commune"].code,
            row["commune"].name,
            row["teams"],
            row["members"],
            row["units_with_team"],
            row["units_total"],
            row["units_with_team"] * 100 / row["units_total"] if row["units_total"] else None,
            row["population"],
            community.members_per_100(row["members"], row["population"]),
        ]
        for row in community.per_commune(root)
    ]
    titled_table(
        _("Theo xã, phường"),
        _("Độ phủ tổ công nghệ số cộng đồng theo xã, phường – %(unit)s – ngày %(date)s")
        % {"unit": root.name, "date": _today()},
        _("Tổ đang hoạt động và thành viên hiện tại"),
        coverage_columns,
        coverage_rows,
        workbook=workbook,
    )
    return xlsx_response(workbook_bytes(workbook), f"to-cnscd-bang-{root.code}.xlsx")


def _year(raw: str | None) -> int | None:
    """The list page's year filter: a year 2000–2100, anything else is no filter."""
    try:
        year = int(raw) if raw else None
    except ValueError:
        return None
    return year if year is not None and 2000 <= year <= 2100 else None


@login_required
@require_GET
@_refusals
def items(request: HttpRequest) -> HttpResponse:
    """The tasks and projects register as its list page shows it (same unit, plan, status
    and year), with the page's totals on a second sheet."""
    user = request.user
    unit = _register_unit(request, projects.get_unit)
    plan_code = request.GET.get("plan", "")
    plan = projects.visible_plans(user).filter(code=plan_code).first() if plan_code else None
    state = request.GET.get("status", "")
    state = state if state in ITEM_STATES else ""
    year = _year(request.GET.get("year"))
    listed = projects.item_list(user, unit=unit, year=year, state=state, plan=plan)
    kinds = dict(ItemKind.choices)
    columns = [
        Column(_("Mã")),
        Column(_("Tên nhiệm vụ, dự án"), wrap=True),
        Column(_("Loại")),
        Column(_("Kế hoạch")),
        Column(_("Cơ quan chủ trì"), wrap=True),
        Column(_("Ngày bắt đầu"), DATE),
        Column(_("Hạn hoàn thành"), DATE),
        Column(_("Trạng thái")),
        Column(_("Tiến độ (%)"), INTEGER),
        Column(_("Kinh phí kế hoạch (đồng)"), INTEGER),
        Column(_("Đã giải ngân (đồng)"), INTEGER),
    ]
    rows = [
        [
            item.code,
            item.name,
            str(kinds[item.kind]),
            item.plan.code,
            item.lead_agency.name,
            item.start_date,
            item.deadline,
            str(ITEM_STATES[item.state]),
            item.progress,
            item.planned_budget,
            item.disbursed_budget,
        ]
        for item in listed
    ]
    period = _("năm %(year)s") % {"year": year} if year else _("tất cả các năm")
    title = _("Nhiệm vụ, dự án chuyển đổi số – %(unit)s – %(period)s") % {
        "unit": unit.name,
        "period": period,
    }
    filters = [_("Kế hoạch: %(plan)s") % {"plan": plan.name}] if plan else []
    if state:
        filters.append(_("Trạng thái: %(state)s") % {"state": ITEM_STATES[state]})
    filters.append(_("Xuất ngày %(date)s") % {"date": _today()})
    subtitle = " · ".join(str(f) for f in filters)
    workbook = titled_table(_("Nhiệm vụ, dự án"), title, subtitle, columns, rows)
    totals = projects.totals_of(listed)
    titled_table(
        _("Tổng hợp"),
        _("Tổng hợp nhiệm vụ, dự án – %(unit)s – %(period)s")
        % {"unit": unit.name, "period": period},
        subtitle,
        [
            Column(_("Nhiệm vụ, dự án"), INTEGER),
            Column(_("Hoàn thành"), INTEGER),
            Column(_("Quá hạn"), INTEGER),
            Column(_("Kinh phí kế hoạch (đồng)"), INTEGER),
            Column(_("Đã giải ngân (đồng)"), INTEGER),
            Column(_("Tỷ lệ giải ngân (%)"), DECIMAL_1),
        ],
        [
            [
                totals.count,
                totals.done,
                totals.overdue,
                totals.planned_budget,
                totals.disbursed_budget,
                totals.disbursed_budget * 100 / totals.planned_budget
                if totals.planned_budget
                else None,
            ]
        ],
        workbook=workbook,
    )
    stem = f"nhiem-vu-du-an-bang-{unit.code}" + (f"-{year}" if year else "")
    return xlsx_response(workbook_bytes(workbook), f"{stem}.xlsx")
