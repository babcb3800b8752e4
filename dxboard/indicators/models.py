"""Data elements, indicators, programmes and their targets.

A data element is one reported quantity ("số hồ sơ tiếp nhận trực tuyến"). An indicator
is computed from one data element, or from two as a ratio numerator / denominator × factor.
A programme groups indicators with yearly targets for its unit and, where set, for child units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxboard.units.models import (
    CODE_VALIDATOR,
    Unit,
    UnitScopedQuerySet,
    in_line_with_memberships,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    NUMBER = "number", _("Số thực")
    PERCENTAGE = "percentage", _("Tỷ lệ phần trăm")
    BOOLEAN = "boolean", _("Có/Không")
    TEXT = "text", _("Văn bản")


NUMERIC_TYPES = (ValueType.INTEGER, ValueType.NUMBER, ValueType.PERCENTAGE, ValueType.BOOLEAN)


class UnitAggregation(models.TextChoices):
    """How values of child units add up to their parent's."""

    SUM = "sum", _("Cộng")
    AVERAGE = "average", _("Trung bình")
    LAST = "last", _("Giá trị của đơn vị")
    NONE = "none", _("Không tổng hợp")


class TimeAggregation(models.TextChoices):
    """How values of sub-periods add up to a longer period."""

    SUM = "sum", _("Cộng dồn")
    LAST = "last", _("Giá trị kỳ cuối")
    AVERAGE = "average", _("Trung bình")


class Pillar(models.TextChoices):
    NHAN_THUC = "nhan_thuc", _("Nhận thức số")
    THE_CHE = "the_che", _("Thể chế số")
    HA_TANG = "ha_tang", _("Hạ tầng số")
    NHAN_LUC = "nhan_luc", _("Nhân lực số")
    ATTT = "attt", _("An toàn thông tin mạng")
    CHINH_QUYEN_SO = "chinh_quyen_so", _("Chính quyền số")
    KINH_TE_SO = "kinh_te_so", _("Kinh tế số")
    XA_HOI_SO = "xa_hoi_so", _("Xã hội số")


class IndicatorKind(models.TextChoices):
    SINGLE = "single", _("Một phần tử số liệu")
    RATIO = "ratio", _("Tỷ số tử số / mẫu số")


class Direction(models.TextChoices):
    UP = "up", _("Càng cao càng tốt")
    DOWN = "down", _("Càng thấp càng tốt")


class DataElement(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    value_type = models.CharField(
        _("kiểu giá trị"), max_length=20, choices=ValueType.choices, default=ValueType.INTEGER
    )
    aggregation_units = models.CharField(
        _("tổng hợp theo đơn vị"),
        max_length=10,
        choices=UnitAggregation.choices,
        default=UnitAggregation.SUM,
    )
    aggregation_time = models.CharField(
        _("tổng hợp theo thời gian"),
        max_length=10,
        choices=TimeAggregation.choices,
        default=TimeAggregation.SUM,
    )
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    # Plausible range of a figure, checked on every channel (collection.values.parsing).
    # Empty minimum: 0 for counts and amounts (integer, number), none for the other types.
    min_value = models.DecimalField(
        _("giá trị nhỏ nhất"),
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Để trống: số nguyên và số thực không được âm."),
    )
    max_value = models.DecimalField(
        _("giá trị lớn nhất"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phần tử số liệu")
        verbose_name_plural = _("phần tử số liệu")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_type__in=ValueType.values), name="data_element_value_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(aggregation_units__in=UnitAggregation.values),
                name="data_element_aggregation_units_valid",
            ),
            models.CheckConstraint(
                condition=Q(aggregation_time__in=TimeAggregation.values),
                name="data_element_aggregation_time_valid",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="data_element_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_numeric(self) -> bool:
        return self.value_type in NUMERIC_TYPES

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """(minimum, maximum) a figure may take; None where there is no bound.

        Counts and amounts are never negative unless the element says so with a negative
        minimum (a change from the previous period, say).
        """
        low = self.min_value
        if low is None and self.value_type in (ValueType.INTEGER, ValueType.NUMBER):
            low = Decimal(0)
        return low, self.max_value


class Indicator(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    kind = models.CharField(
        _("loại"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.SINGLE
    )
    numerator = models.ForeignKey(
        DataElement,
        on_delete=models.PROTECT,
        related_name="indicators_as_numerator",
        verbose_name=_("tử số"),
    )
    denominator = models.ForeignKey(
        DataElement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators_as_denominator",
        verbose_name=_("mẫu số"),
    )
    factor = models.DecimalField(_("hệ số"), max_digits=12, decimal_places=4, default=Decimal(1))
    direction = models.CharField(
        _("chiều"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=1)
    description = models.TextField(_("cách tính"), blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=IndicatorKind.RATIO) & Q(denominator__isnull=False))
                | (Q(kind=IndicatorKind.SINGLE) & Q(denominator__isnull=True)),
                name="indicator_ratio_has_denominator",
                violation_error_message=_(
                    "Chỉ tiêu dạng tỷ số phải có mẫu số; chỉ tiêu một phần tử thì không."
                ),
            ),
            models.CheckConstraint(
                condition=Q(pillar__in=Pillar.values), name="indicator_pillar_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(factor__gt=0),
                name="indicator_factor_positive",
                violation_error_message=_("Hệ số phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_ratio(self) -> bool:
        return self.kind == IndicatorKind.RATIO


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user: User | AnonymousUser) -> ProgrammeQuerySet:
        """Programmes a user may read.

        Public programmes are readable by everyone. Otherwise the user needs a role on the
        programme's unit, on a unit above it, or on a unit below it (a commune officer
        follows the province's programme for their commune).
        """
        public = Q(is_public=True)
        if not user.is_authenticated or not user.is_active:
            return self.filter(public)
        if user.is_superuser:
            return self.all()
        return self.filter(public | in_line_with_memberships(user, "owner_unit"))


class Programme(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=400)
    legal_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    legal_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    legal_issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"))
    threshold_1 = models.DecimalField(
        _("ngưỡng đạt (%)"), max_digits=6, decimal_places=2, default=Decimal(100)
    )
    threshold_2 = models.DecimalField(
        _("ngưỡng thứ hai (%)"), max_digits=6, decimal_places=2, default=Decimal(70)
    )
    threshold_3 = models.DecimalField(
        _("ngưỡng thứ ba (%)"), max_digits=6, decimal_places=2, default=Decimal(50)
    )
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("đơn vị chủ trì"),
    )
    is_public = models.BooleanField(
        _("công khai"), default=False, help_text=_("Ai cũng xem được kết quả, không cần đăng nhập.")
    )
    description = models.TextField(_("mô tả"), blank=True)
    indicators = models.ManyToManyField(
        Indicator, through="ProgrammeIndicator", related_name="programmes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["-start_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="programme_end_after_start",
                violation_error_message=_("Năm kết thúc không được trước năm bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(threshold_1__gt=F("threshold_2"))
                & Q(threshold_2__gt=F("threshold_3"))
                & Q(threshold_3__gt=0),
                name="programme_thresholds_descending",
                violation_error_message=_("Các ngưỡng phải giảm dần và lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def thresholds(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.threshold_1, self.threshold_2, self.threshold_3)

    @property
    def legal_reference(self) -> str:
        parts = [self.legal_number]
        if self.legal_date:
            parts.append(self.legal_date.strftime("%d/%m/%Y"))
        if self.legal_issuer:
            parts.append(self.legal_issuer)
        return ", ".join(p for p in parts if p)


class ProgrammeIndicator(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="programme_indicators"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="programme_indicators"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu của chương trình")
        verbose_name_plural = _("chỉ tiêu của chương trình")
        ordering = ["order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator"],
                name="programme_indicator_unique",
                violation_error_message=_("Chỉ tiêu đã có trong chương trình."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} / {self.indicator.code}"


class TargetQuerySet(UnitScopedQuerySet):
    unit_field = "unit"


class Target(models.Model):
    """A programme's target for one indicator, year and unit (the programme's unit or a child)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="targets", verbose_name=_("đơn vị")
    )
    value = models.DecimalField(_("chỉ tiêu"), max_digits=20, decimal_places=6)
    source_document = models.CharField(_("văn bản giao chỉ tiêu"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")
        ordering = ["programme", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator", "year", "unit"],
                name="target_unique",
                violation_error_message=_("Đã có chỉ tiêu cho chỉ số, năm và đơn vị này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="target_year_range",
                violation_error_message=_("Năm phải từ 1990 đến 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


# --- the audit of targets --------------------------------------------------------------
# Targets are changed only through `dxboard.indicators.target_services.set_target`, which
# writes one `TargetChange` per change.


class TargetChangeQuerySet(UnitScopedQuerySet):
    unit_field = "unit"


class TargetAction(models.TextChoices):
    CREATE = "create", _("Thêm")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")


class TargetChange(models.Model):
    """One change of one yearly target. The old and new values are kept as text so the
    history stays readable after the target itself is deleted."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="target_changes"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    action = models.CharField(_("thao tác"), max_length=10, choices=TargetAction.choices)
    old_value = models.CharField(_("giá trị cũ"), max_length=40, blank=True)
    new_value = models.CharField(_("giá trị mới"), max_length=40, blank=True)
    source_document = models.CharField(_("văn bản giao chỉ tiêu"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    objects = TargetChangeQuerySet.as_manager()

    class Meta:
        # Created when this model belonged to the evaluation app; the table kept its name.
        db_table = "evaluation_targetchange"
        verbose_name = _("lịch sử sửa chỉ tiêu kế hoạch")
        verbose_name_plural = _("lịch sử sửa chỉ tiêu kế hoạch")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=TargetAction.values), name="target_change_action_valid"
            ),
        ]
        indexes = [
            # The history on the target editing page: WHERE programme = ? ORDER BY at DESC.
            models.Index(fields=["programme", "-at"], name="target_change_programme_at"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.old_value} → {self.new_value}"
