"""Report forms (biểu mẫu), who must report them, their periods, submissions and rules.

The tables were created when these models belonged to the `collection` app; they keep
their names (`Meta.db_table`), so moving the app moved no data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxboard.indicators.models import DataElement
from dxboard.periods import PERIOD_TYPE_CHOICES, PeriodType
from dxboard.units.models import CODE_VALIDATOR, Unit, UnitGroup, UnitKind, UnitScopedQuerySet


class ReportForm(models.Model):
    """A report form: a set of data elements a group of units reports each period.

    The cut-off window and the deadline follow Decree 09/2019/NĐ-CP by default; see
    `services.calendar.cutoff_window` and `deadline_of`.
    """

    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    period_type = models.CharField(
        _("loại kỳ"), max_length=10, choices=PERIOD_TYPE_CHOICES, default=PeriodType.QUARTER.value
    )
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="report_forms",
        verbose_name=_("đơn vị ban hành"),
        help_text=_("Biểu mẫu áp dụng cho các đơn vị thuộc đơn vị này."),
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    cutoff_day = models.PositiveSmallIntegerField(
        _("ngày chốt số liệu"),
        default=14,
        help_text=_("Số liệu tính đến ngày này của tháng cuối kỳ (Nghị định 09/2019: ngày 14)."),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("số ngày nộp sau ngày chốt"),
        default=6,
        help_text=_("Hạn nộp = ngày chốt + số ngày này (mặc định: ngày 20 tháng cuối kỳ)."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("số ngày còn nhận sau hạn"),
        default=30,
        help_text=_("Sau hạn nộp, kỳ còn mở thêm ngần này ngày để nộp muộn, rồi tự đóng."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "collection_reportform"
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_type__in=[value for value, _label in PERIOD_TYPE_CHOICES]),
                name="report_form_period_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(cutoff_day__gte=1) & Q(cutoff_day__lte=28),
                name="report_form_cutoff_day_range",
                violation_error_message=_("Ngày chốt số liệu phải từ 1 đến 28."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class FormSection(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tiêu đề"), max_length=300)

    class Meta:
        db_table = "collection_formsection"
        verbose_name = _("phần của biểu mẫu")
        verbose_name_plural = _("phần của biểu mẫu")
        ordering = ["form", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class FormField(models.Model):
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    # Copied from the section so that (form, data element) can be unique in the database.
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="fields")
    data_element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, related_name="form_fields"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    label = models.CharField(
        _("nhãn"), max_length=300, blank=True, help_text=_("Để trống: dùng tên phần tử số liệu.")
    )

    class Meta:
        db_table = "collection_formfield"
        verbose_name = _("trường của biểu mẫu")
        verbose_name_plural = _("trường của biểu mẫu")
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "data_element"],
                name="form_field_unique_element",
                violation_error_message=_("Phần tử số liệu đã có trong biểu mẫu."),
            )
        ]

    def __str__(self) -> str:
        return self.display_label

    def save(self, *args, **kwargs) -> None:
        self.form_id = self.section.form_id
        super().save(*args, **kwargs)

    @property
    def display_label(self) -> str:
        return self.label or self.data_element.name


class FormAssignment(models.Model):
    """Who must report a form: one unit, every unit of a kind, or a unit group."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit_kind = models.CharField(
        _("loại đơn vị"), max_length=20, choices=UnitKind.choices, blank=True
    )
    unit_group = models.ForeignKey(
        UnitGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "collection_formassignment"
        verbose_name = _("đơn vị phải báo cáo")
        verbose_name_plural = _("đơn vị phải báo cáo")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(unit_kind="") & Q(unit_group__isnull=True))
                | (Q(unit__isnull=True) & ~Q(unit_kind="") & Q(unit_group__isnull=True))
                | (Q(unit__isnull=True) & Q(unit_kind="") & Q(unit_group__isnull=False)),
                name="form_assignment_exactly_one_target",
                violation_error_message=_("Chọn đúng một: đơn vị, loại đơn vị hoặc nhóm đơn vị."),
            ),
        ]

    def __str__(self) -> str:
        if self.unit_id:
            return str(self.unit)
        if self.unit_group_id:
            return str(self.unit_group)
        return str(UnitKind(self.unit_kind).label)


class PeriodState(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")
    LOCKED = "locked", _("Đã khóa sổ")


class FormPeriod(models.Model):
    """An explicit state or deadline for one period of a form, set by the province.

    Without a row, the state follows the dates (open from the start of the cut-off window
    until the deadline plus the form's grace days).
    """

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="form_periods")
    period = models.CharField(_("kỳ"), max_length=10)
    state = models.CharField(_("trạng thái"), max_length=10, choices=PeriodState.choices)
    deadline = models.DateField(_("hạn nộp riêng"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "collection_formperiod"
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "period"],
                name="form_period_unique",
                violation_error_message=_("Kỳ này của biểu mẫu đã được thiết lập."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=PeriodState.values), name="form_period_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.period}: {self.state}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã nộp")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Bị trả lại")


# A unit has "reported" a period when its submission is in one of these states.
REPORTED_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class SubmissionQuerySet(UnitScopedQuerySet):
    unit_field = "unit"


class Submission(models.Model):
    """One unit's report of one form for one period, and where it stands in the workflow."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(_("kỳ"), max_length=10)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    first_submitted_at = models.DateTimeField(
        _("nộp lần đầu"), null=True, blank=True, help_text=_("Dùng để tính đúng hạn.")
    )
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        db_table = "collection_submission"
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["form", "period", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period"],
                name="submission_unique",
                violation_error_message=_("Đơn vị đã có báo cáo cho biểu mẫu và kỳ này."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.DRAFT) | Q(first_submitted_at__isnull=False),
                name="submission_submitted_has_date",
                violation_error_message=_("Báo cáo đã nộp phải có ngày nộp."),
            ),
        ]
        indexes = [
            # Completeness: WHERE form = ? AND period = ? (then by unit and status).
            models.Index(fields=["form", "period", "status"], name="submission_form_period"),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.unit.code} {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status in REPORTED_STATUSES


class SubmissionEventQuerySet(UnitScopedQuerySet):
    unit_field = "submission__unit"


class SubmissionEvent(models.Model):
    """An audit row for every change of a submission's status (and every draft save)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=SubmissionStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=SubmissionStatus.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    source = models.CharField(_("nguồn"), max_length=10, default="web")

    objects = SubmissionEventQuerySet.as_manager()

    class Meta:
        db_table = "collection_submissionevent"
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission} {self.from_status} → {self.to_status}"


class Operator(models.TextChoices):
    LT = "<", "<"
    LE = "<=", "≤"
    EQ = "=", "="
    GE = ">=", "≥"
    GT = ">", ">"
    NE = "!=", "≠"


class Importance(models.TextChoices):
    ERROR = "error", _("Lỗi (không cho nộp)")
    WARNING = "warning", _("Cảnh báo (cần giải trình)")


class ValidationRule(models.Model):
    """`left operator right`, both sides arithmetic over `#{CODE}` data element codes."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    left = models.CharField(_("vế trái"), max_length=500)
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("vế phải"), max_length=500)
    importance = models.CharField(
        _("mức độ"), max_length=10, choices=Importance.choices, default=Importance.ERROR
    )
    message = models.CharField(_("thông báo"), max_length=300)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        db_table = "collection_validationrule"
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["form", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(operator__in=Operator.values), name="validation_rule_operator_valid"
            ),
            models.CheckConstraint(
                condition=Q(importance__in=Importance.values),
                name="validation_rule_importance_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .rules import ExpressionError, parse_expression

        for field in ("left", "right"):
            try:
                parse_expression(getattr(self, field))
            except ExpressionError as error:
                raise ValidationError({field: str(error)}) from None


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    # Sent by a person from the work page ("nhắc"), as often as they judge useful.
    MANUAL = "manual", _("Nhắc trực tiếp")


class ReminderLog(models.Model):
    """A reminder already sent, so that cron can run `send_reminders` as often as it likes.

    The automatic kinds go once per (form, unit, period); a manual reminder records who
    sent it, and may be sent again (the service spaces them out).
    """

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhắc"),
    )

    class Meta:
        db_table = "collection_reminderlog"
        verbose_name = _("nhắc hạn đã gửi")
        verbose_name_plural = _("nhắc hạn đã gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period", "kind"],
                condition=~Q(kind="manual"),
                name="reminder_log_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_log_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["form", "period", "unit"], name="reminder_log_form_period"),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.unit_id} {self.period} {self.kind}"


class ReminderSetting(models.Model):
    """When the automatic reminders of one form go, set by the province on the web.

    Without a row a form uses the defaults (`DEFAULT_DAYS_BEFORE`, `DEFAULT_DAYS_AFTER`).
    A blank number turns that reminder off.
    """

    DEFAULT_DAYS_BEFORE = 3
    DEFAULT_DAYS_AFTER = 1

    form = models.OneToOneField(
        ReportForm, on_delete=models.CASCADE, related_name="reminder_setting"
    )
    days_before = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (ngày)"),
        null=True,
        blank=True,
        help_text=_("Gửi thư nhắc khi còn ngần này ngày đến hạn nộp; để trống: không nhắc."),
    )
    days_after = models.PositiveSmallIntegerField(
        _("nhắc sau hạn (ngày)"),
        null=True,
        blank=True,
        help_text=_("Gửi thư nhắc đơn vị chưa nộp ngần này ngày sau hạn; để trống: không nhắc."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lịch nhắc hạn")
        verbose_name_plural = _("lịch nhắc hạn")
        constraints = [
            models.CheckConstraint(
                condition=Q(days_before__isnull=True) | Q(days_before__lte=60),
                name="reminder_setting_days_before_range",
                violation_error_message=_("Nhắc trước hạn tối đa 60 ngày."),
            ),
            models.CheckConstraint(
                condition=Q(days_after__isnull=True) | Q(days_after__gte=1),
                name="reminder_setting_days_after_positive",
                violation_error_message=_("Nhắc sau hạn ít nhất 1 ngày."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id}: {self.days_before} / {self.days_after}"
