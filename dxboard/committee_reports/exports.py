"""Excel exports of the tables people see (issue 15, point 7), with the parameters of the
pages they come from: the dashboard's indicator table and ranking of units
(`/evaluation/<programme>/?unit=&period=&indicator=`) and a report form's completeness
(`/collection/.../forms/<code>/?period=`). Every file is a `spreadsheets.titled_table`:
unit and period in the title, real numbers with formats, frozen header, fitted widths.
Access is the pages' own: the services raise NotFound for what the user may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dxboard.errors import InvalidInput, NotFound
from dxboard.evaluation import services as evaluation
from dxboard.evaluation.views import default_period, statuses, top_unit
from dxboard.indicators.services import get_programme
from dxboard.spreadsheets import (
    DATETIME,
    DECIMAL_1,
    Column,
    titled_table,
    workbook_bytes,
    xlsx_response,
)

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


STATUS_LABELS = {
    "missing": _("Chưa nộp"),
    "draft": _("Đang nhập"),
    "submitted": _("Đã nộp"),
    "approved": _("Đã duyệt"),
    "returned": _("Bị trả lại"),
}
TIMELINESS = {"on_time": _("Đúng hạn"), "late": _("Trễ hạn"), "missing": ""}


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
