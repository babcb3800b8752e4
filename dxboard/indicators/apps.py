from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "dxboard.indicators"
    verbose_name = _("Chỉ tiêu và chương trình")
