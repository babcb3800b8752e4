"""Project-wide models that belong to no single domain."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """How many committed changes could have altered an evaluation (see dxboard.revision).

    One row. Cached evaluations are keyed by its number, so a change to any value, unit,
    indicator, programme or target makes every cached result stale at once.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    number = models.BigIntegerField(_("số lần thay đổi"), default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="revision_single_row")]

    def __str__(self) -> str:
        return str(self.number)
