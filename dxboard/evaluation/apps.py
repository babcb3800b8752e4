from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import NavItem


class EvaluationConfig(AppConfig):
    name = "dxboard.evaluation"
    verbose_name = _("Đánh giá và điều hành")

    def nav_items(self) -> list[NavItem]:
        return [
            NavItem(_("Bảng điều hành"), "evaluation:index", "evaluation", public=True, order=20)
        ]

    def ready(self) -> None:
        from dxboard.evaluation import engine

        # A missing scanner is said at start, not on the first dashboard.
        engine.check_extensions()
        # The scanner caches table schemas; a migration may have changed them.
        post_migrate.connect(engine.clear_cache, dispatch_uid="evaluation-duckdb-cache")
