from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import INDICATORS, NavItem


class IndicatorsConfig(AppConfig):
    name = "dxboard.indicators"
    verbose_name = _("Chỉ tiêu và chương trình")
    # Saving or deleting one of these bumps the data revision that keys cached evaluations
    # (`DXBoardConfig.ready`).
    evaluated_models = ("DataElement", "Indicator", "Programme", "ProgrammeIndicator", "Target")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(
                _("Chương trình"),
                "indicators:programme_list",
                "indicators",
                True,
                INDICATORS,
                order=30,
            ),
            NavItem(
                _("Danh mục chỉ tiêu"),
                "indicators:catalogue",
                "indicators",
                True,
                INDICATORS,
                order=31,
            ),
        ]
