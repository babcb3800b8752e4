from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "dxboard.opendata"
    verbose_name = _("Dữ liệu mở")
