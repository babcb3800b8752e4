"""Reported figures: one value per (data element, unit, period), with an audit of every change.

Write values only through `dxboard.collection.values.save_values`, the one write path
used by web forms, Excel, the API and computed values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxboard.indicators.models import DataElement
from dxboard.periods import PERIOD_TYPE_CHOICES
from dxboard.units.models import Unit, UnitScopedQuerySet


class ValueSource(models.TextChoices):
    WEB = "web", _("Nhập trên web")
    EXCEL = "excel", _("Tệp Excel")
    API = "api", _("API")
    IMPORT = "import", _("Nhập tệp")
    COMPUTED = "computed", _("Tính tự động")


class DataValueQuerySet(UnitScopedQuerySet):
    unit_field = "unit"


class DataValue(models.Model):
    """One figure. The period's type and dates are copied from its code for set-based SQL."""

    data_element = models.ForeignKey(
        DataElement,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("phần tử số liệu"),
        # The unique (element, unit, period) index starts with it; a second index would
        # only cost every import another write per row.
        db_index=False,
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="data_values", verbose_name=_("đơn vị")
    )
    period = models.CharField(_("kỳ"), max_length=10)
    period_type = models.CharField(_("loại kỳ"), max_length=10, choices=PERIOD_TYPE_CHOICES)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    value = models.DecimalField(
        _("giá trị"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    text_value = models.TextField(_("giá trị văn bản"), blank=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    # DHIS2's `storedBy` (who entered it in the system it came from) and `followup` (marked
    # for follow-up), kept as sent by a dataValueSets import.
    # Defaults in the database too: bulk SQL elsewhere (bench, staging) names only the
    # columns it knows.
    stored_by = models.CharField(
        _("người lưu (theo nguồn)"), max_length=255, blank=True, default="", db_default=""
    )
    followup = models.BooleanField(_("cần theo dõi"), default=False, db_default=False)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=ValueSource.choices, default=ValueSource.WEB
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    created_at = models.DateTimeField(_("ngày nhập"), default=timezone.now)
    updated_at = models.DateTimeField(_("ngày sửa"), default=timezone.now)
    version = models.PositiveIntegerField(
        _("phiên bản"), default=1, help_text=_("Tăng mỗi lần sửa; dùng để phát hiện sửa đồng thời.")
    )

    objects = DataValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        ordering = ["data_element", "unit", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_element", "unit", "period"],
                name="data_value_unique",
                violation_error_message=_("Đã có số liệu cho phần tử, đơn vị và kỳ này."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="data_value_period_dates",
            ),
            models.CheckConstraint(
                condition=Q(source__in=ValueSource.values), name="data_value_source_valid"
            ),
        ]
        indexes = [
            # The evaluation engine's roll-up: WHERE data_element IN (...) AND period_start
            # >= ? AND period_end <= ?, joined to units by path prefix.
            models.Index(
                fields=["data_element", "period_start", "period_end"],
                name="data_value_element_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_element.code} {self.unit.code} {self.period}"

    @property
    def display_value(self) -> str:
        return self.text_value if self.value is None else f"{self.value.normalize():f}"

    @property
    def stored_by_label(self) -> str | None:
        """DHIS2's `storedBy`: the kept one, else (values saved before it was kept) who
        last changed the value. Needs `updated_by` selected to stay one query."""
        if self.stored_by:
            return self.stored_by
        return self.updated_by.username if self.updated_by else None


class DataValueAuditQuerySet(UnitScopedQuerySet):
    unit_field = "unit"


class AuditAction(models.TextChoices):
    CREATE = "create", _("Thêm")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")


class DataValueAudit(models.Model):
    """Who changed which figure, from what to what, when and how.

    The (element, unit, period) triple is kept as well as the link, so the history of a
    deleted value remains.
    """

    data_value = models.ForeignKey(
        DataValue, on_delete=models.SET_NULL, null=True, blank=True, related_name="audits"
    )
    # The (element, unit, period) index starts with the element: no index of its own.
    data_element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ"), max_length=10)
    action = models.CharField(_("thao tác"), max_length=10, choices=AuditAction.choices)
    old_value = models.TextField(_("giá trị cũ"), blank=True)
    new_value = models.TextField(_("giá trị mới"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    source = models.CharField(_("nguồn"), max_length=10, choices=ValueSource.choices)

    objects = DataValueAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch sử sửa số liệu")
        verbose_name_plural = _("lịch sử sửa số liệu")
        ordering = ["-at", "-pk"]
        indexes = [
            # History of one figure: WHERE data_element = ? AND unit = ? AND period = ?.
            models.Index(fields=["data_element", "unit", "period"], name="audit_value_triple"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.old_value} → {self.new_value}"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã xong")


class ImportJob(models.Model):
    """A dataValueSets document imported in the background (DHIS2's `async=true`).

    The document waits here until the task runs, then is dropped; the import summary (in
    DHIS2's shape) stays for the client polling `/api/system/tasks/...`.
    """

    id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("lúc gửi"), default=timezone.now)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.QUEUED,
    )
    csv_format = models.BooleanField(default=False)
    options = models.JSONField(default=dict)
    content = models.TextField(blank=True)
    summary = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập nền")
        verbose_name_plural = _("lượt nhập nền")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportJobStatus.values),
                name="import_job_status_valid",
                violation_error_message=_("Trạng thái lượt nhập không hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.status}"
