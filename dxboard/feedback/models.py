"""Citizen field reports (phản ánh hiện trường): categories, holidays, reports and their trail.

A report belongs to two units: `unit`, the commune where it happened, and `agency`, the
unit that handles it (a sở, or the commune itself). Handlers see a report through its
agency (`FieldReport.objects.handled_by(user)`); the public sees it only through the
public fields listed in `PUBLIC_FIELDS` and never the reporter's personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxboard.feedback.permissions import HANDLE, HANDLE_OWN_COMMUNE
from dxboard.units.models import (
    CODE_VALIDATOR,
    Unit,
    UnitKind,
    UnitScopedQuerySet,
    membership_paths,
)

# Roles that make a user a handler of the reports of a unit and of everything below it.
HANDLER_ROLES = HANDLE.roles
# Roles that make a commune's officer a handler of the reports routed to that commune.
COMMUNE_OFFICER_ROLES = HANDLE_OWN_COMMUNE.roles


def own_commune_condition(user, field: str = "agency") -> Q | None:
    """Reports whose `field` is a commune the user is an officer of (the commune itself,
    not its hamlets); None when there is none, so callers add no empty branch."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    paths = membership_paths(user, COMMUNE_OFFICER_ROLES)
    if not paths:
        return None
    return Q(**{f"{field}__path__in": paths, f"{field}__kind": UnitKind.COMMUNE})


class Severity(models.TextChoices):
    URGENT = "urgent", _("Khẩn")
    NORMAL = "normal", _("Bình thường")
    COMPLEX = "complex", _("Phức tạp")


class Routing(models.TextChoices):
    AGENCY = "agency", _("Cơ quan chuyên trách")
    COMMUNE = "commune", _("Xã, phường nơi xảy ra")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã gửi, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REJECTED = "rejected", _("Từ chối")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    CLOSED = "closed", _("Đã đóng")


# Statuses after which nothing more is done (Open311 "closed").
FINAL_STATUSES = (Status.REJECTED, Status.RESOLVED, Status.CLOSED)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)
# Statuses during which the deadline runs.
RUNNING_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)


class Category(models.Model):
    """A kind of report (lĩnh vực), in a tree, with its routing and deadlines."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("lĩnh vực cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    routing = models.CharField(
        _("chuyển xử lý cho"), max_length=20, choices=Routing.choices, default=Routing.COMMUNE
    )
    agency = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan chuyên trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_categories",
    )
    default_severity = models.CharField(
        _("mức độ mặc định"), max_length=20, choices=Severity.choices, default=Severity.NORMAL
    )
    urgent_hours = models.PositiveSmallIntegerField(_("thời hạn khẩn (giờ làm việc)"), default=4)
    normal_hours = models.PositiveSmallIntegerField(
        _("thời hạn bình thường (giờ làm việc)"), default=40
    )
    complex_hours = models.PositiveSmallIntegerField(
        _("thời hạn phức tạp (giờ làm việc)"), default=80
    )
    requires_name = models.BooleanField(_("bắt buộc họ tên"), default=True)
    requires_phone = models.BooleanField(_("bắt buộc điện thoại"), default=True)
    requires_email = models.BooleanField(_("bắt buộc thư điện tử"), default=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(routing__in=Routing.values), name="feedback_category_routing_valid"
            ),
            models.CheckConstraint(
                condition=Q(default_severity__in=Severity.values),
                name="feedback_category_severity_valid",
            ),
            models.CheckConstraint(
                condition=~Q(routing=Routing.AGENCY) | Q(agency__isnull=False),
                name="feedback_category_agency_when_routed",
                violation_error_message=_("Lĩnh vực chuyển cho cơ quan phải chọn cơ quan."),
            ),
            models.CheckConstraint(
                condition=Q(urgent_hours__gt=0, normal_hours__gt=0, complex_hours__gt=0),
                name="feedback_category_hours_positive",
                violation_error_message=_("Thời hạn xử lý phải lớn hơn 0 giờ."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def service_code(self) -> str:
        return self.code

    def hours_for(self, severity: str) -> int:
        return {
            Severity.URGENT: self.urgent_hours,
            Severity.NORMAL: self.normal_hours,
            Severity.COMPLEX: self.complex_hours,
        }[Severity(severity)]


class Holiday(models.Model):
    """A public holiday (ngày nghỉ lễ, Tết) on which no working hours count."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=150)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class FieldReportQuerySet(UnitScopedQuerySet):
    unit_field = "agency"

    def handled_by(self, user) -> FieldReportQuerySet:
        """Reports whose handling unit the user handles (a handler role on it or above, or
        an officer's role on the commune it is routed to), or all for admins."""
        handled = self.visible_to(user, roles=HANDLER_ROLES)
        if getattr(user, "is_superuser", False):
            return handled
        own = own_commune_condition(user)
        if own is None:
            return handled
        units = Unit.objects.visible_to(user, roles=HANDLER_ROLES)
        return self.filter(Q(agency__in=units) | own)

    def public(self) -> FieldReportQuerySet:
        """What the public list and map show: everything except rejected reports."""
        return self.exclude(status=Status.REJECTED)

    def overdue(self, now=None) -> FieldReportQuerySet:
        now = now or timezone.now()
        return self.filter(status__in=RUNNING_STATUSES, due_at__lt=now)

    def with_overdue(self, now=None) -> FieldReportQuerySet:
        now = now or timezone.now()
        return self.annotate(
            overdue_now=models.ExpressionWrapper(
                Q(status__in=RUNNING_STATUSES, due_at__lt=now),
                output_field=models.BooleanField(),
            )
        )


class FieldReport(models.Model):
    """One citizen report, from intake to closing."""

    class Source(models.TextChoices):
        WEB = "web", _("Trang web")
        OPEN311 = "open311", _("Open311")
        FORMER_SYSTEM = "former", _("Hệ thống cũ")

    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    public_id = models.CharField(_("số phản ánh"), max_length=20, unique=True, editable=False)
    tracking_code = models.CharField(_("mã tra cứu"), max_length=30, unique=True, editable=False)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("lĩnh vực")
    )
    description = models.TextField(_("nội dung"), max_length=4000)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="field_reports",
        verbose_name=_("xã, phường nơi xảy ra"),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    # The commune was chosen from the position (Open311 lat/long), not named by the sender.
    located_by_position = models.BooleanField(_("xác định xã theo vị trí"), default=False)
    # Open311's media_url: a photo or video kept by the sender's system, linked, not copied.
    media_url = models.URLField(_("liên kết ảnh, video"), max_length=500, blank=True)
    lat = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    reporter_name = models.CharField(_("họ tên người phản ánh"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("điện thoại người phản ánh"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("thư điện tử người phản ánh"), blank=True)
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"))
    personal_data_purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)
    # The report's id in the system the province used before (imported reports only).
    former_id = models.CharField(_("mã ở hệ thống cũ"), max_length=100, blank=True, default="")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tài khoản tích hợp đã gửi qua Open311."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    severity = models.CharField(_("mức độ"), max_length=20, choices=Severity.choices)
    agency = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="handled_reports",
        verbose_name=_("đơn vị xử lý"),
    )
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    initial_due_at = models.DateTimeField(_("hạn ban đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    public_answer = models.TextField(_("kết quả trả lời công khai"), blank=True)
    reject_reason = models.TextField(_("lý do từ chối"), blank=True)
    rating = models.PositiveSmallIntegerField(_("đánh giá"), null=True, blank=True)
    rating_comment = models.TextField(_("nhận xét"), blank=True, max_length=1000)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = FieldReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        ordering = ["-created_at"]
        indexes = [
            # the inbox: one agency's reports by status, newest first
            models.Index(fields=["agency", "status", "-created_at"], name="feedback_inbox_idx"),
            # statistics of a period: reports received between two dates
            models.Index(fields=["unit", "created_at"], name="feedback_unit_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="feedback_report_number_unique",
                violation_error_message=_("Số phản ánh đã được dùng."),
            ),
            # An import from the former system runs again without duplicating a report.
            models.UniqueConstraint(
                fields=["former_id"],
                condition=~Q(former_id=""),
                name="feedback_report_former_id_unique",
                violation_error_message=_("Phản ánh này đã được nhập từ hệ thống cũ."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="feedback_report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="feedback_report_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_report_rating_1_5",
                violation_error_message=_("Đánh giá từ 1 đến 5 sao."),
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90),
                name="feedback_report_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(long__isnull=True) | Q(long__gte=-180, long__lte=180),
                name="feedback_report_long_range",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("created_at")),
                name="feedback_report_resolved_after_created",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status in RUNNING_STATUSES and self.due_at and timezone.now() > self.due_at
        )

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def on_time(self) -> bool | None:
        if self.resolved_at is None or self.due_at is None:
            return None
        return self.resolved_at <= self.due_at


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"feedback/{instance.report.year}/{instance.report.public_id}/{filename}"


class ReportPhoto(models.Model):
    """A photo of the scene, re-written without its metadata (EXIF, GPS, text chunks)."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh phản ánh")
        verbose_name_plural = _("ảnh phản ánh")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png"]),
                name="feedback_photo_type_valid",
            )
        ]

    def __str__(self) -> str:
        return self.image.name


class ReportEvent(models.Model):
    """The audit trail: one row per step (who, when, from, to, note)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Gửi phản ánh")
        ACCEPTED = "accepted", _("Tiếp nhận")
        REJECTED = "rejected", _("Từ chối")
        ASSIGNED = "assigned", _("Giao xử lý")
        STARTED = "started", _("Bắt đầu xử lý")
        RESOLVED = "resolved", _("Trả lời kết quả")
        CLOSED = "closed", _("Đóng")
        NOTE = "note", _("Ghi chú nội bộ")
        EXTENSION_REQUESTED = "extension_requested", _("Xin gia hạn")
        EXTENSION_APPROVED = "extension_approved", _("Duyệt gia hạn")
        EXTENSION_REFUSED = "extension_refused", _("Không duyệt gia hạn")
        RATED = "rated", _("Người dân đánh giá")
        PURGED = "purged", _("Xóa dữ liệu cá nhân")

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    agency = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("nhật ký phản ánh")
        verbose_name_plural = _("nhật ký phản ánh")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"


class ReportNote(models.Model):
    """An internal note of the handlers; never shown to the public."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class ReportExtension(models.Model):
    """A request for more working hours, decided by a handler above the agency."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REFUSED = "refused", _("Không duyệt")

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="extensions")
    hours = models.PositiveSmallIntegerField(_("số giờ làm việc xin thêm"))
    reason = models.TextField(_("lý do"), max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="pending"),
                name="feedback_one_pending_extension",
                violation_error_message=_("Phản ánh này đã có một yêu cầu gia hạn chờ duyệt."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=400), name="feedback_extension_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "refused"]),
                name="feedback_extension_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.hours}h ({self.get_status_display()})"
