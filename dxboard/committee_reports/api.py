"""API of the committee's reports: the reports a user may read, with number, date and
issuer. The files themselves are downloaded from the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router, Schema

from . import services
from .models import CommitteeReport

router = Router(tags=["committee_reports"])


class CommitteeReportOut(Schema):
    id: int
    status: str = Field(..., description="draft (dự thảo) hoặc issued (đã ban hành)")
    number: str | None = Field(None, description="Số, ký hiệu khi đã ban hành, ví dụ 07/BC-BCĐ")
    issuedOn: date | None
    issuedBy: str | None
    programme: str
    unit: str
    period: str = Field(..., description="Kỳ theo mã DHIS2: 2026Q1, 2026S1, 2026")
    subject: str
    body: str = Field(..., description="Cơ quan ban hành")


def _report(report: CommitteeReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "status": report.status,
        "number": report.number_text if report.is_issued else None,
        "issuedOn": report.issued_on,
        "issuedBy": str(report.issued_by) if report.issued_by else None,
        "programme": report.programme.code,
        "unit": report.unit.code,
        "period": report.period,
        "subject": report.subject,
        "body": report.body.name,
    }


@router.get(
    "/committee-reports", response=list[CommitteeReportOut], summary="Báo cáo của Ban Chỉ đạo"
)
def committee_reports_list(request):
    """The reports of the units where the user may read them, newest first (at most 200)."""
    return [_report(r) for r in services.list_reports(request.user)[:200]]
