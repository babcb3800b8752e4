"""The committee's periodic reports: issuing bodies, their number series, drafts and issues.

A report is written by a steering committee (or a commune's own board), the issuing body,
for a programme, a unit and a period. While it is a draft its figures are read live from
the other apps; the narrative parts are kept with their versions. Issuing assigns the next
number of the body's series for the year (a counter row locked with SELECT ... FOR UPDATE,
and a unique constraint as the last guard) and freezes the figures and both files, so a
later correction of a value does not change an issued report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxboard.indicators.models import Programme
from dxboard.units.models import Unit, UnitScopedQuerySet

# A narrative part longer than this is refused with a message (an appendix of pasted text
# does not belong there, and a 50,000-character paste is a mistake).
MAX_NARRATIVE_CHARS = 20_000


class IssuingBodyQuerySet(UnitScopedQuerySet):
    pass


class IssuingBody(models.Model):
    """A body that issues reports with its own number series (Decree 30: an advisory
    body using its parent's seal keeps its own series), e.g. "BAN CHỈ ĐẠO … tỉnh"."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="issuing_bodies", verbose_name=_("đơn vị")
    )
    parent_name = models.CharField(
        _("cơ quan chủ quản"), max_length=200, help_text=_("Ví dụ: UBND TỈNH AN GIANG")
    )
    name = models.CharField(
        _("cơ quan ban hành"),
        max_length=300,
        help_text=_("Ví dụ: BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO"),
    )
    symbol = models.CharField(
        _("ký hiệu"), max_length=30, help_text=_("Ký hiệu sau số, ví dụ: BC-BCĐ")
    )
    place = models.CharField(_("địa danh"), max_length=100, help_text=_("Ví dụ: An Giang"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IssuingBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "symbol"],
                name="committee_reports_body_unit_symbol_unique",
                violation_error_message=_("Đơn vị đã có cơ quan ban hành với ký hiệu này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.symbol})"


class NumberSeries(models.Model):
    """The last number used by a body in a year; locked while the next one is taken."""

    body = models.ForeignKey(IssuingBody, on_delete=models.PROTECT, related_name="series")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year"],
                name="committee_reports_series_body_year_unique",
                violation_error_message=_("Mỗi cơ quan có một dãy số cho mỗi năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.symbol} {self.year}: {self.last_number}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class CommitteeReportQuerySet(UnitScopedQuerySet):
    pass


class CommitteeReport(models.Model):
    body = models.ForeignKey(
        IssuingBody, on_delete=models.PROTECT, related_name="reports", verbose_name=_("cơ quan")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="committee_reports"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="committee_reports")
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    subject = models.CharField(_("trích yếu"), max_length=300)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The narrative parts as they stand now; every save also writes a ReportVersion.
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True)
    directions = models.TextField(_("phương hướng, nhiệm vụ"), blank=True)
    signer_authority = models.CharField(
        _("quyền hạn ký"), max_length=200, blank=True, help_text=_("Ví dụ: KT. TRƯỞNG BAN")
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=200, blank=True, help_text=_("Ví dụ: PHÓ TRƯỞNG BAN")
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = models.TextField(
        _("nơi nhận"),
        blank=True,
        help_text=_("Mỗi dòng một nơi nhận, ví dụ: Bộ Khoa học và Công nghệ"),
    )
    # Assigned when issued.
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The figures and both files as they were at issue.
    figures = models.JSONField(null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitteeReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo của Ban Chỉ đạo")
        verbose_name_plural = _("báo cáo của Ban Chỉ đạo")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="committee_reports_report_status_valid",
                violation_error_message=_("Trạng thái báo cáo không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ReportStatus.DRAFT, number__isnull=True)
                    | Q(
                        status=ReportStatus.ISSUED,
                        number__isnull=False,
                        number_year__isnull=False,
                        issued_on__isnull=False,
                    )
                ),
                name="committee_reports_report_number_when_issued",
                violation_error_message=_("Chỉ báo cáo đã ban hành mới có số."),
            ),
            # The command line and the page write "the current draft": there is one.
            models.UniqueConstraint(
                fields=["body", "programme", "unit", "period"],
                condition=Q(status="draft"),
                name="committee_reports_one_draft_per_period",
                violation_error_message=_("Đã có dự thảo báo cáo cho kỳ này."),
            ),
            # The last guard against a reused number (the series row is the lock).
            models.UniqueConstraint(
                fields=["body", "number_year", "number"],
                name="committee_reports_report_number_unique",
                violation_error_message=_("Số này đã được dùng trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("committee_reports:detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        from dxboard.periods import parse_period

        return parse_period(self.period).label

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    @property
    def number_text(self) -> str:
        """ "07/BC-BCĐ" (numbers below 10 padded); "…/BC-BCĐ" for a draft."""
        if self.number is None:
            return f"   /{self.body.symbol}"
        return f"{self.number:02d}/{self.body.symbol}"


class ReportVersion(models.Model):
    """One saved state of a draft's narrative parts (who, when)."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    shortcomings = models.TextField(blank=True)
    directions = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="committee_reports_version_unique",
                violation_error_message=_("Phiên bản này đã có."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class FileFormat(models.TextChoices):
    DOCX = "docx", "Word (.docx)"
    PDF = "pdf", "PDF"


class GenerationJob(models.Model):
    """A document being generated in the background; the page polls its progress."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="jobs")
    format = models.CharField(max_length=4, choices=FileFormat.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values),
                name="committee_reports_job_status_valid",
                violation_error_message=_("Trạng thái không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(format__in=FileFormat.values),
                name="committee_reports_job_format_valid",
                violation_error_message=_("Định dạng không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="committee_reports_job_progress_max",
                violation_error_message=_("Tiến độ tối đa 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.format} {self.status} {self.progress}"
