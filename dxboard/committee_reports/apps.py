from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import NavItem


def _may_read(user) -> bool:
    from dxboard import permissions

    return permissions.can(user, "committee_reports.view")


class CommitteeReportsConfig(AppConfig):
    name = "dxboard.committee_reports"
    verbose_name = _("Báo cáo của Ban Chỉ đạo")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(
                _("Báo cáo Ban Chỉ đạo"),
                "committee_reports:index",
                "committee_reports",
                group=_("Chỉ tiêu"),
                allowed=_may_read,
            )
        ]
