from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dxboard.navigation import NavItem


class ScorecardsConfig(AppConfig):
    name = "dxboard.scorecards"
    verbose_name = _("Bộ chỉ số đánh giá chuyển đổi số")

    def nav_items(self) -> list[NavItem]:
        from dxboard.navigation import INDICATORS, NavItem

        return [
            NavItem(
                _("Đánh giá, xếp hạng (DTI)"), "scorecards:list", "scorecards", group=INDICATORS
            )
        ]
