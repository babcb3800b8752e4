from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import REGISTERS, NavItem


class ProjectsConfig(AppConfig):
    name = "dxboard.projects"
    verbose_name = _("Nhiệm vụ và dự án")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(
                _("Nhiệm vụ, dự án"), "projects:project_list", "projects", group=REGISTERS, order=61
            )
        ]
