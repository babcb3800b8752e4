from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Periodic reporting: report forms, their periods, submissions, workflow, rules."""

    name = "dxboard.reporting"
    verbose_name = _("Báo cáo định kỳ")
