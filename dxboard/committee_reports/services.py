"""The committee's reports: drafts, their narrative versions, files, and issuing.

    list_reports(user) / get_report(user, pk)
    create_report(user, programme_code, unit_code, period_code, ...) -> CommitteeReport
    save_draft(user, report, **fields) -> CommitteeReport     (writes a ReportVersion)
    document(user, report, fmt, progress) -> bytes              (a draft: live figures)
    issue(user, report, issued_on=None) -> CommitteeReport     (number, frozen files)
    request_document(user, report, fmt) -> GenerationJob       (background, see tasks)

Issuing locks the report row, then the body's series row for the year
(SELECT … FOR UPDATE), takes the next number and stores the figures and both files in
the same transaction; a unique constraint on (body, year, number) is the last guard. A
number is never given back: a report is never un-issued or deleted once issued.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.errors import Conflict, ErrorDetail, InvalidInput, NotFound
from dxboard.evaluation import services as evaluation
from dxboard.indicators.views import vn_number
from dxboard.periods import Period, PeriodType, parse_period
from dxboard.text import one_line
from dxboard.units.models import Unit

from . import content, figures
from .models import (
    MAX_NARRATIVE_CHARS,
    CommitteeReport,
    FileFormat,
    GenerationJob,
    IssuingBody,
    JobStatus,
    NumberSeries,
    ReportStatus,
    ReportVersion,
)
from .rendering.docx import render_docx
from .rendering.pdf import render_pdf

if TYPE_CHECKING:
    from dxboard.accounts.models import User

logger = logging.getLogger(__name__)

VIEW, EDIT, ISSUE = "committee_reports.view", "committee_reports.edit", "committee_reports.issue"
# The report kinds of issue 15: quarterly, six-monthly and yearly.
REPORT_PERIOD_TYPES = (PeriodType.QUARTER, PeriodType.HALF_YEAR, PeriodType.YEAR)
SHORT_FIELDS = {
    "subject": 300,
    "signer_authority": 200,
    "signer_title": 200,
    "signer_name": 150,
}
FIELD_LABELS = {
    "subject": "Trích yếu",
    "shortcomings": "Tồn tại, hạn chế",
    "directions": "Phương hướng, nhiệm vụ",
    "signer_authority": "Quyền hạn ký",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ tên người ký",
    "recipients": "Nơi nhận",
}


# --- reading -------------------------------------------------------------------------------


def list_reports(user: Any) -> QuerySet[CommitteeReport]:
    """Reports of the units where the user may read them, newest first (one query)."""
    return (
        CommitteeReport.objects.visible_to(user, roles=permissions.roles_for(VIEW))
        .select_related("body", "programme", "unit", "issued_by", "created_by")
        .defer("docx", "pdf", "figures")
        .order_by("-created_at")
    )


def get_report(user: Any, pk: int) -> CommitteeReport:
    report = (
        CommitteeReport.objects.select_related("body", "programme__owner_unit", "unit", "issued_by")
        .filter(pk=pk)
        .first()
    )
    if report is None or not report.unit.is_visible_to(user):
        raise NotFound(_("Không tìm thấy báo cáo."))
    permissions.require(user, VIEW, report.unit)
    return report


def can_edit(user: Any, report: CommitteeReport) -> bool:
    return not report.is_issued and permissions.can(user, EDIT, report.unit)


def can_issue(user: Any, report: CommitteeReport) -> bool:
    return not report.is_issued and permissions.can(user, ISSUE, report.unit)


def _period(code: str) -> Period:
    try:
        period = parse_period(code)
    except ValueError as error:
        raise InvalidInput(str(error), [ErrorDetail("period", str(error))]) from None
    if period.type not in REPORT_PERIOD_TYPES:
        message = _("Báo cáo lập theo quý, 6 tháng hoặc năm (ví dụ 2026Q1, 2026S1, 2026).")
        raise InvalidInput(message, [ErrorDetail("period", message)])
    return period


# --- drafts --------------------------------------------------------------------------------


PLACE_PREFIXES = ("Tỉnh ", "Thành phố ", "Xã ", "Phường ", "Đặc khu ")


def proposed_body(unit: Unit) -> IssuingBody:
    """The issuing body a unit starts with, unsaved: its steering committee, with the
    unit's people's committee as the parent ("UBND TỈNH AN GIANG") and "An Giang" as the
    place; administrators correct the names once (admin) and they stay."""
    place = unit.name
    for prefix in PLACE_PREFIXES:
        if place.startswith(prefix):
            place = place[len(prefix) :]
    return IssuingBody(
        unit=unit,
        parent_name=f"UBND {unit.name.upper()}",
        name="BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ",
        symbol="BC-BCĐ",
        place=place,
    )


def default_body(user: Any, unit: Unit) -> IssuingBody:
    """The unit's issuing body; created on first use from `proposed_body`."""
    body = IssuingBody.objects.filter(unit=unit).order_by("pk").first()
    if body is not None:
        return body
    permissions.require(user, EDIT, unit)
    body = proposed_body(unit)
    body.save()
    return body


def _previous_narrative(body: IssuingBody, programme_id: int, unit: Unit, period: Period):
    """The latest report of the previous period (same body, programme, unit), issued first."""
    return (
        CommitteeReport.objects.filter(
            body=body, programme_id=programme_id, unit=unit, period=period.previous().code
        )
        .order_by("-status", "-updated_at")  # "issued" sorts after "draft"
        .only("shortcomings", "directions")
        .first()
    )


def create_report(
    user: User,
    programme_code: str,
    unit_code: str | None,
    period_code: str,
    *,
    body: IssuingBody | None = None,
    from_previous: bool = True,
) -> CommitteeReport:
    """A new draft; its narrative starts from the previous period's report when asked."""
    programme, unit, period = evaluation.resolve(user, programme_code, unit_code, period_code)
    _period(period.code)
    permissions.require(user, EDIT, unit)
    body = body or default_body(user, unit)
    if body.unit_id != unit.pk:
        raise InvalidInput(_("Cơ quan ban hành không thuộc đơn vị."), [ErrorDetail("body", "")])
    existing = CommitteeReport.objects.filter(
        body=body, programme=programme, unit=unit, period=period.code, status=ReportStatus.DRAFT
    ).first()
    if existing is not None:
        raise Conflict(
            _("Đã có dự thảo báo cáo cho kỳ này; hãy tiếp tục dự thảo đó."),
            [ErrorDetail("period", str(existing.pk))],
        )
    previous = _previous_narrative(body, programme.pk, unit, period) if from_previous else None
    with transaction.atomic():
        report = CommitteeReport.objects.create(
            body=body,
            programme=programme,
            unit=unit,
            period=period.code,
            subject=content.default_subject(period),
            shortcomings=previous.shortcomings if previous else "",
            directions=previous.directions if previous else "",
            signer_authority="KT. TRƯỞNG BAN",
            signer_title="PHÓ TRƯỞNG BAN",
            recipients="Ban Chỉ đạo Trung ương\nThành viên Ban Chỉ đạo",
            created_by=user,
        )
        ReportVersion.objects.create(
            report=report,
            number=1,
            shortcomings=report.shortcomings,
            directions=report.directions,
            author=user,
        )
    return report


def _clean_fields(fields: dict[str, Any]) -> dict[str, str]:
    """Control characters out, lengths checked; every error names its field."""
    cleaned: dict[str, str] = {}
    errors: list[ErrorDetail] = []
    for name, raw in fields.items():
        if name not in FIELD_LABELS:
            raise TypeError(f"unknown field {name!r}")
        text = str(raw or "")
        if name in SHORT_FIELDS:
            text = one_line(content.clean_text(text))
            limit = SHORT_FIELDS[name]
        else:
            text = content.clean_text(text).strip()
            limit = MAX_NARRATIVE_CHARS
        if len(text) > limit:
            errors.append(
                ErrorDetail(
                    name,
                    _("%(field)s: tối đa %(max)s ký tự (đã nhập %(count)s).")
                    % {
                        "field": FIELD_LABELS[name],
                        "max": vn_number(Decimal(limit)),
                        "count": vn_number(Decimal(len(text))),
                    },
                )
            )
        cleaned[name] = text
    if "subject" in cleaned and not cleaned["subject"]:
        errors.append(ErrorDetail("subject", _("Trích yếu: không được để trống.")))
    if errors:
        raise InvalidInput(_("Nội dung chưa hợp lệ; chưa có gì được lưu."), errors)
    return cleaned


def save_draft(user: User, report: CommitteeReport, **fields: Any) -> CommitteeReport:
    """Save the draft's texts; a change of the narrative is kept as a new version."""
    permissions.require(user, EDIT, report.unit)
    cleaned = _clean_fields(fields)
    with transaction.atomic():
        locked = CommitteeReport.objects.select_for_update().get(pk=report.pk)
        if locked.is_issued:
            raise Conflict(_("Báo cáo đã ban hành, không sửa được."))
        changed_narrative = any(
            name in cleaned and cleaned[name] != getattr(locked, name)
            for name in ("shortcomings", "directions")
        )
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        if changed_narrative:
            last = locked.versions.order_by("-number").values_list("number", flat=True).first()
            ReportVersion.objects.create(
                report=locked,
                number=(last or 0) + 1,
                shortcomings=locked.shortcomings,
                directions=locked.directions,
                author=user,
            )
    return locked


def restore_version(user: User, report: CommitteeReport, number: int) -> CommitteeReport:
    version = report.versions.filter(number=number).first()
    if version is None:
        raise NotFound(_("Không tìm thấy phiên bản."))
    return save_draft(
        user, report, shortcomings=version.shortcomings, directions=version.directions
    )


# --- documents -----------------------------------------------------------------------------


def report_figures(
    user: Any, report: CommitteeReport, progress: figures.Progress = figures._no_progress
) -> dict[str, Any]:
    """The figures as issued, or read live for a draft."""
    if report.is_issued and report.figures is not None:
        return report.figures
    period = parse_period(report.period)
    return figures.collect(user, report.programme, report.unit, period, progress)


def build_document(
    user: Any, report: CommitteeReport, progress: figures.Progress = figures._no_progress
) -> content.Document:
    """The report's content: a draft with today's figures, an issued one as issued."""
    data = report_figures(user, report, progress)
    day = report.issued_on or timezone.localdate()
    return content.build(report, data, day)


def render(document: content.Document, fmt: str) -> bytes:
    if fmt == FileFormat.DOCX:
        return render_docx(document)
    if fmt == FileFormat.PDF:
        return render_pdf(document)
    raise InvalidInput(_("Định dạng phải là docx hoặc pdf."), [ErrorDetail("format", fmt)])


def document(
    user: Any,
    report: CommitteeReport,
    fmt: str,
    progress: figures.Progress = figures._no_progress,
) -> bytes:
    """The file of a report: the stored one once issued, else generated from live data."""
    permissions.require(user, VIEW, report.unit)
    if report.is_issued:
        stored = CommitteeReport.objects.filter(pk=report.pk).values_list(fmt, flat=True).first()
        if stored is None:
            raise NotFound(_("Không tìm thấy tệp."))
        return bytes(stored)
    doc = build_document(user, report, progress)
    progress(95, "render")
    return render(doc, fmt)


def filename(report: CommitteeReport, fmt: str) -> str:
    stem = f"bao-cao-{report.unit.code}-{report.period}"
    if report.is_issued:
        stem += f"-so-{report.number:02d}-{report.number_year}"
    else:
        stem += "-du-thao"
    return f"{stem}.{fmt}"


# --- issuing -------------------------------------------------------------------------------


def _next_number(body: IssuingBody, year: int) -> int:
    """The body's next number for the year, under a row lock held until commit."""
    try:
        with transaction.atomic():
            NumberSeries.objects.get_or_create(body=body, year=year)
    except IntegrityError:
        pass  # another officer created the row at the same moment; it exists now
    series = NumberSeries.objects.select_for_update().get(body=body, year=year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


def issue(user: User, report: CommitteeReport, issued_on: dt.date | None = None) -> CommitteeReport:
    """Draft → issued: the next number, the figures as they are now, both files frozen."""
    permissions.require(user, ISSUE, report.unit)
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        locked = (
            CommitteeReport.objects.select_for_update()
            .select_related("body", "programme__owner_unit", "unit")
            .get(pk=report.pk)
        )
        if locked.is_issued:
            raise Conflict(
                _("Báo cáo đã được ban hành với số %(number)s; không ban hành lại.")
                % {"number": locked.number_text},
                [ErrorDetail("status", locked.status)],
            )
        if not locked.shortcomings.strip() or not locked.directions.strip():
            details = [
                ErrorDetail(name, _("%(field)s: chưa có nội dung.") % {"field": FIELD_LABELS[name]})
                for name in ("shortcomings", "directions")
                if not getattr(locked, name).strip()
            ]
            raise InvalidInput(_("Hãy viết đủ các phần của báo cáo trước khi ban hành."), details)
        data = figures.collect(user, locked.programme, locked.unit, parse_period(locked.period))
        locked.number = _next_number(locked.body, issued_on.year)
        locked.number_year = issued_on.year
        locked.issued_on = issued_on
        locked.issued_at = timezone.now()
        locked.issued_by = user
        locked.status = ReportStatus.ISSUED
        locked.figures = data
        doc = content.build(locked, data, issued_on)
        locked.docx = render_docx(doc)
        locked.pdf = render_pdf(doc)
        locked.save()
    return locked


# --- background generation -----------------------------------------------------------------


def request_document(user: User, report: CommitteeReport, fmt: str) -> GenerationJob:
    """Queue the generation of a draft's file; the page polls the job for its progress."""
    permissions.require(user, VIEW, report.unit)
    if fmt not in FileFormat.values:
        raise InvalidInput(_("Định dạng phải là docx hoặc pdf."), [ErrorDetail("format", fmt)])
    job = GenerationJob.objects.create(report=report, format=fmt, requested_by=user)
    from .tasks import generate_document

    generate_document.enqueue(job.pk)
    return job


def get_job(user: Any, report: CommitteeReport, job_id: int) -> GenerationJob:
    job = report.jobs.defer("content").filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Không tìm thấy yêu cầu tạo tệp."))
    return job


def run_job(job_id: int) -> None:
    """Generate a job's file, writing its progress as it goes (called by the task)."""
    job = GenerationJob.objects.select_related("report", "requested_by").get(pk=job_id)
    jobs = GenerationJob.objects.filter(pk=job_id)
    steps = {
        "evaluation": _("Đánh giá các chỉ tiêu"),
        "units": _("Đánh giá các đơn vị trực thuộc"),
        "forms": _("Tổng hợp biểu mẫu báo cáo"),
        "feedback": _("Thống kê phản ánh hiện trường"),
        "community": _("Tổng hợp tổ công nghệ số cộng đồng"),
        "projects": _("Tổng hợp dự án"),
        "ranking": _("Kết quả xếp hạng"),
        "render": _("Tạo tệp"),
    }

    def progress(percent: int, step: str) -> None:
        jobs.update(status=JobStatus.RUNNING, progress=percent, step=str(steps.get(step, step)))

    try:
        report = get_report(job.requested_by, job.report_id)
        data = document(job.requested_by, report, job.format, progress)
    except Exception as error:  # the page must show the failure, not poll for ever
        logger.exception("committee report job %s failed", job_id)
        message = getattr(error, "message", "") or _("Không tạo được tệp; hãy thử lại.")
        jobs.update(status=JobStatus.FAILED, step=str(message)[:200], finished_at=timezone.now())
        return
    jobs.update(
        status=JobStatus.DONE,
        progress=100,
        step=_("Đã xong"),
        content=data,
        finished_at=timezone.now(),
    )


def job_content(user: Any, report: CommitteeReport, job_id: int) -> bytes:
    permissions.require(user, VIEW, report.unit)
    data = (
        report.jobs.filter(pk=job_id, status=JobStatus.DONE)
        .values_list("content", flat=True)
        .first()
    )
    if data is None:
        raise NotFound(_("Tệp chưa sẵn sàng."))
    return bytes(data)
