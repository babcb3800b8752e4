from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import NavItem


class WorkConfig(AppConfig):
    name = "dxboard.work"
    verbose_name = _("Việc của tôi")

    def nav_items(self) -> list[NavItem]:
        # Right after "Tổng quan" (10): the first thing a person opens in the morning.
        return [NavItem(_("Việc của tôi"), "work:index", "work", order=11)]
