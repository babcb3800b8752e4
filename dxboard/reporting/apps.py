from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import NavItem


class ReportingConfig(AppConfig):
    """Periodic reporting: report forms, their periods, submissions, workflow, rules."""

    name = "dxboard.reporting"
    verbose_name = _("Báo cáo định kỳ")

    def nav_items(self) -> list[NavItem]:
        return [NavItem(_("Báo cáo định kỳ"), "reporting:index", "reporting", order=40)]
