from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import FEEDBACK, NavItem


class FeedbackConfig(AppConfig):
    name = "dxboard.feedback"
    verbose_name = _("Phản ánh hiện trường")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(
                _("Hộp thư xử lý"),
                "feedback:inbox",
                "feedback",
                group=FEEDBACK,
                allowed=_is_handler,
                order=50,
            ),
            NavItem(_("Thống kê phản ánh"), "feedback:stats", "feedback", group=FEEDBACK, order=51),
            NavItem(_("Gửi phản ánh"), "feedback:submit", "feedback", True, FEEDBACK, order=52),
            NavItem(
                _("Phản ánh công khai"),
                "feedback:public_list",
                "feedback",
                True,
                FEEDBACK,
                order=53,
            ),
        ]


def _is_handler(user: Any) -> bool:
    from dxboard.feedback.services import is_handler

    return bool(is_handler(user))
