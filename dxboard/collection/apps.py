from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    """The figures store: data values, their audit, the one write path (`save_values`)."""

    name = "dxboard.collection"
    verbose_name = _("Thu thập số liệu")
    # Saving or deleting one of these bumps the data revision that keys cached evaluations
    # (`DXBoardConfig.ready`).
    evaluated_models = ("DataValue",)
