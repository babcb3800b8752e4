from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "dxboard.collection"
    verbose_name = _("Thu thập số liệu")

    def ready(self) -> None:
        # Periodic reporting's models live in a sub-package; import them so that Django
        # registers them under this app's label (and their admin pages).
        from dxboard.collection.reporting import admin, models  # noqa: F401
