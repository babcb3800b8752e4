"""DX plans (kế hoạch) and their tasks and projects (nhiệm vụ, dự án), with an update log.

"Overdue" is not stored: it is derived from the deadline and the status in queries
(`ItemQuerySet.with_state`), so it is never stale.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxboard.units.models import CODE_VALIDATOR, Unit, UnitScopedQuerySet


class ItemKind(models.TextChoices):
    TASK = "task", _("Nhiệm vụ")
    PROJECT = "project", _("Dự án")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


# The derived state adds "overdue" to the stored statuses.
OVERDUE = "overdue"
STATE_LABELS = {**dict(ItemStatus.choices), OVERDUE: _("Quá hạn")}


class BudgetSource(models.TextChoices):
    CENTRAL = "central", _("Ngân sách trung ương")
    PROVINCIAL = "provincial", _("Ngân sách tỉnh")
    LOCAL = "local", _("Ngân sách cấp xã")
    OTHER = "other", _("Nguồn khác")


class PlanQuerySet(UnitScopedQuerySet):
    unit_field = "owner_unit"


class Plan(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên kế hoạch"), max_length=300)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    legal_reference = models.CharField(_("văn bản ban hành"), max_length=200, blank=True)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dx_plans", verbose_name=_("đơn vị ban hành")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=F("year_from")),
                name="projects_plan_years_ordered",
                violation_error_message=_("Năm kết thúc phải từ năm bắt đầu trở đi."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"


class ItemQuerySet(UnitScopedQuerySet):
    unit_field = "lead_agency"

    def with_state(self, today: date | None = None) -> ItemQuerySet:
        """Annotate `state`: the stored status, or "overdue" when the deadline has passed."""
        today = today or timezone.localdate()
        return self.annotate(
            state=Case(
                When(
                    Q(deadline__lt=today) & ~Q(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED]),
                    then=Value(OVERDUE),
                ),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def active_in(self, year: int) -> ItemQuerySet:
        """Items whose start-to-deadline span touches the year."""
        return self.filter(start_date__lte=date(year, 12, 31), deadline__gte=date(year, 1, 1))


# A province's whole yearly budget is a few tens of thousands of billions of đồng; one
# task above 100,000 billion is a typing slip (issue 18: 999.999.999.999.999.999 đ saved).
MAX_BUDGET = 100_000 * 10**9


def check_budget_bound(amount: int) -> None:
    if amount > MAX_BUDGET:
        raise ValueError(
            _(
                "số tiền %(value)s đồng vượt mức hợp lý (%(max)s đồng); hãy kiểm tra lại "
                "(ghi bằng đồng)."
            )
            % {"value": f"{amount:,}".replace(",", "."), "max": f"{MAX_BUDGET:,}".replace(",", ".")}
        )


class Item(models.Model):
    kind = models.CharField(_("loại"), max_length=10, choices=ItemKind.choices)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="items", verbose_name=_("kế hoạch")
    )
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=500)
    lead_agency = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="dx_items_led",
        verbose_name=_("cơ quan chủ trì"),
    )
    coordinating_agencies = models.ManyToManyField(
        Unit, blank=True, related_name="dx_items_coordinated", verbose_name=_("cơ quan phối hợp")
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    deadline = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=15, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    planned_budget = models.BigIntegerField(_("kinh phí kế hoạch (đồng)"), default=0)
    disbursed_budget = models.BigIntegerField(_("kinh phí đã giải ngân (đồng)"), default=0)
    budget_source = models.CharField(
        _("nguồn vốn"), max_length=12, choices=BudgetSource.choices, default=BudgetSource.PROVINCIAL
    )
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ, dự án")
        verbose_name_plural = _("nhiệm vụ, dự án")
        ordering = ["deadline", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="projects_item_code_unique_in_plan",
                violation_error_message=_("Kế hoạch đã có nhiệm vụ, dự án mang mã này."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("start_date")),
                name="projects_item_deadline_after_start",
                violation_error_message=_("Hạn hoàn thành không được trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="projects_item_progress_0_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100 %%."),
            ),
            models.CheckConstraint(
                condition=Q(planned_budget__gte=0) & Q(disbursed_budget__gte=0),
                name="projects_item_budget_non_negative",
                violation_error_message=_("Kinh phí không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="projects_item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="projects_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(budget_source__in=BudgetSource.values),
                name="projects_item_budget_source_valid",
            ),
        ]
        indexes = [
            # Overdue lists and the year filter: WHERE deadline < ? AND status NOT IN (...).
            models.Index(fields=["deadline", "status"], name="projects_item_deadline_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        # Every write path calls full_clean (services._check), so the sane bound of
        # parse_budget also holds for amounts given as numbers (the API, the admin).
        errors = {}
        for name in ("planned_budget", "disbursed_budget"):
            try:
                check_budget_bound(getattr(self, name) or 0)
            except ValueError as error:
                errors[name] = str(error)[:1].upper() + str(error)[1:]
        if errors:
            raise ValidationError(errors)

    @property
    def over_budget(self) -> bool:
        """Disbursed more than planned: a warning shown on the page, not an error."""
        return self.disbursed_budget > self.planned_budget


class ItemDocument(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="documents")
    number = models.CharField(_("số hiệu"), max_length=50)
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=300)
    url = models.URLField(_("đường dẫn"), blank=True)

    class Meta:
        verbose_name = _("văn bản liên quan")
        verbose_name_plural = _("văn bản liên quan")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"


class ItemUpdate(models.Model):
    """One change of an item, written by the service on every save."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="updates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    old_status = models.CharField(max_length=15, blank=True)
    new_status = models.CharField(max_length=15, blank=True)
    old_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    new_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    old_disbursed = models.BigIntegerField(null=True, blank=True)
    new_disbursed = models.BigIntegerField(null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử cập nhật")
        verbose_name_plural = _("lịch sử cập nhật")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item.code} {self.at:%d/%m/%Y}"

    @property
    def old_status_label(self) -> str:
        return str(STATE_LABELS.get(self.old_status, ""))

    @property
    def new_status_label(self) -> str:
        return str(STATE_LABELS.get(self.new_status, ""))
