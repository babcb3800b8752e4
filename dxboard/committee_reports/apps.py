from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeReportsConfig(AppConfig):
    name = "dxboard.committee_reports"
    verbose_name = _("Báo cáo của Ban Chỉ đạo")
