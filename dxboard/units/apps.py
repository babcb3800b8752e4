from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dxboard.navigation import NavItem


class UnitsConfig(AppConfig):
    name = "dxboard.units"
    verbose_name = _("Đơn vị")
    # Saving or deleting one of these bumps the data revision that keys cached evaluations
    # (`DXBoardConfig.ready`); successions too: a unit's history is read through them.
    evaluated_models = ("Unit", "UnitSuccession")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(_("Tổng quan"), "home", "units", order=10),
            # "Units", not "Unit"
            NavItem(pgettext_lazy("menu", "Đơn vị"), "units:tree", "units", order=90),
        ]
