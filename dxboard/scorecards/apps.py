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

        # Lazy labels, as navigation.py's own entries (NavItem annotates them as str).
        label: str = _("Đánh giá, xếp hạng (DTI)")  # type: ignore[assignment]
        group: str = INDICATORS  # type: ignore[assignment]
        return [NavItem(label, "scorecards:list", "scorecards", group=group)]
