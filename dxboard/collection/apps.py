from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "dxboard.collection"
    verbose_name = _("Thu thập số liệu")
