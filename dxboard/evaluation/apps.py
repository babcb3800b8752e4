from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import NavItem


class EvaluationConfig(AppConfig):
    name = "dxboard.evaluation"
    verbose_name = _("Đánh giá và điều hành")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(_("Bảng điều hành"), "evaluation:index", "evaluation", public=True, order=20)
        ]
