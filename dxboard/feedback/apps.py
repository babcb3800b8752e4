from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import FEEDBACK, NavItem


class FeedbackConfig(AppConfig):
    name = "dxboard.feedback"
    verbose_name = _("Phản ánh hiện trường")

    def ready(self) -> None:
        # The rate limit counts in the database cache ("shared" in settings.CACHES); its
        # table is made with the others by `dxboard migrate`, not by a separate step.
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="feedback-cache")

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


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    call_command("createcachetable", database=using, verbosity=0)
