from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import REGISTERS, NavItem


class CommunityConfig(AppConfig):
    name = "dxboard.community"
    verbose_name = _("Tổ công nghệ số cộng đồng")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(
                _("Tổ công nghệ số cộng đồng"),
                "community:team_list",
                "community",
                group=REGISTERS,
                order=60,
            )
        ]
