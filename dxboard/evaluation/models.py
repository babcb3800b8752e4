"""The audit of programme targets: who changed which yearly target, from what, on which document.

Targets themselves live in `dxboard.indicators.models.Target`; they are changed only through
`dxboard.indicators.target_services.set_target`, which writes one `TargetChange` per change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxboard.indicators.models import Indicator, Programme
from dxboard.units.models import Unit, UnitScopedQuerySet


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
