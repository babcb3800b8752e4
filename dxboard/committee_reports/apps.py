from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import NavItem


def _may_read(user) -> bool:
    """Any member of a unit sees the entry. The memberships are already read for the
    request (no query, where a role filter would cost one on every page); the list page
    itself shows only the reports the user's roles allow."""
    from dxboard.units.models import membership_paths

    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(membership_paths(user))


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
