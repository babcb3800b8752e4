"""Field-report API: change a report's status (same rules as the inbox) and statistics."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dxboard.api_input import ObjectBody
from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.periods import InvalidPeriod, parse_period
from dxboard.units.models import Unit

from . import services, stats

router = Router(tags=["feedback"])


class StatusIn(ObjectBody):
    status: str = Field(..., max_length=20, description="received, accepted, rejected, …")
    note: str = Field("", max_length=4000, description="Ghi chú; lý do khi từ chối.")
    publicAnswer: str = Field("", max_length=4000, description="Trả lời công khai khi xử lý xong.")
    agency: str | None = Field(None, max_length=50, description="Mã đơn vị xử lý khi giao.")
    severity: str = Field("", max_length=20, description="urgent, normal, complex khi tiếp nhận.")


class ReportOut(Schema):
    id: int
    publicId: str
    status: str
    statusLabel: str
    agency: str
    severity: str
    acceptedAt: datetime | None
    dueAt: datetime | None
    resolvedAt: datetime | None
    overdue: bool
    publicAnswer: str


class StatsQuery(Schema):
    unit: str = Field(..., max_length=50, description="Mã đơn vị (tỉnh, xã, hoặc cơ quan).")
    period: str | None = Field(
        None,
        max_length=10,
        description="Kỳ: 2025, 2025S1, 2025Q3, 202507. Hoặc dùng from và to.",
    )
    from_: date | None = Field(
        None, alias="from", description="Từ ngày (yyyy-mm-dd), cùng với to; thay cho period."
    )
    to: date | None = Field(None, description="Đến ngày (yyyy-mm-dd), tính cả ngày này.")


class StatsOut(Schema):
    received: int
    accepted: int
    resolved: int
    resolutionRate: float | None
    onTime: int
    onTimeRate: float | None
    overdue: int
    meanHoursToResolve: float | None
    satisfactionRate: float | None


def _out(report) -> dict:
    return {
        "id": report.pk,
        "publicId": report.public_id,
        "status": report.status,
        "statusLabel": report.get_status_display(),
        "agency": report.agency.code,
        "severity": report.severity,
        "acceptedAt": report.accepted_at,
        "dueAt": report.due_at,
        "resolvedAt": report.resolved_at,
        "overdue": report.is_overdue,
        "publicAnswer": report.public_answer,
    }


@router.post(
    "/feedback/{report_id}/status",
    response=ReportOut,
    summary="Chuyển trạng thái phản ánh",
    url_name="feedback_change_status",
)
def feedback_change_status(request: HttpRequest, report_id: str, payload: StatusIn):
    """Move a report (by id or public number "PA-2025-000123") to the next status.

    The same steps and permissions as the handler's page: a step may not be skipped,
    rejecting needs a `note` (the public reason), resolving needs `publicAnswer`,
    closing is for the unit above the handling agency.
    """
    report = services.get_handled_report(request.user, report_id)
    report = services.change_status(
        request.user,
        report,
        payload.status,
        note=payload.note,
        public_answer=payload.publicAnswer,
        agency=payload.agency,
        severity=payload.severity,
    )
    return _out(report)


@router.get(
    "/feedback/stats",
    response=StatsOut,
    summary="Thống kê phản ánh của một đơn vị trong một kỳ",
    url_name="feedback_stats",
)
def feedback_stats(request: HttpRequest, query: Query[StatsQuery]):
    """Figures for the reports received in the period in the unit.

    - received: reports received (submitted) in the period: for a province or commune,
      those that happened in its area; for an agency, those it handles.
    - accepted: of those, reports accepted for handling (not rejected, not waiting).
    - resolved: of those, reports resolved or closed (as of now).
    - resolutionRate = resolved / accepted × 100.
    - onTime: resolved reports resolved no later than their deadline, the deadline
      counted in working hours from acceptance and moved by approved extensions.
    - onTimeRate = onTime / resolved × 100.
    - overdue: accepted reports not yet resolved whose deadline has passed.
    - meanHoursToResolve: mean calendar hours from receipt to resolution.
    - satisfactionRate = ratings of 4 or 5 stars / all ratings × 100.

    Rates are percentages with one decimal, null when there is nothing to divide by.
    """
    unit = Unit.objects.visible_to(request.user).filter(code=query.unit).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị “%(c)s”.") % {"c": query.unit})
    if query.from_ is not None or query.to is not None:
        if query.from_ is None or query.to is None or query.period:
            message = _("Dùng period, hoặc cả from và to.")
            raise InvalidInput(message, [ErrorDetail("from", message)])
        if query.to < query.from_:
            message = _("to phải không trước from.")
            raise InvalidInput(message, [ErrorDetail("to", message)])
        return stats.figures(unit, query.from_, query.to).as_api()
    if not query.period:
        message = _("Cần period, hoặc from và to.")
        raise InvalidInput(message, [ErrorDetail("period", message)])
    try:
        period = parse_period(query.period)
    except InvalidPeriod as error:
        raise InvalidInput(_("Kỳ “%(p)s” không hợp lệ.") % {"p": query.period}) from error
    return stats.figures(unit, period.start, period.end).as_api()
