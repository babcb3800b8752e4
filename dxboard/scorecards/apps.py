from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "dxboard.scorecards"
    verbose_name = _("Bộ chỉ số đánh giá chuyển đổi số")
