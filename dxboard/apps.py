from django.apps import AppConfig

# Models whose rows an evaluation reads, or the decision who may read it (memberships):
# saving or deleting one bumps the data revision.
EVALUATED_MODELS = (
    "accounts.Membership",
    "collection.DataValue",
    "units.Unit",
    "indicators.DataElement",
    "indicators.Indicator",
    "indicators.Programme",
    "indicators.ProgrammeIndicator",
    "indicators.Target",
)


class DXBoardConfig(AppConfig):
    """The project package as an app: it owns project-wide commands (demo, serve) and the
    data revision number (`dxboard.revision`)."""

    name = "dxboard"
    verbose_name = "DXBoard"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dxboard import permissions

        permissions.autodiscover()

        for label in EVALUATED_MODELS:
            model = self.apps.get_model(label)
            post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{label}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"revision-delete-{label}")


def _changed(sender, using: str, **kwargs) -> None:
    from dxboard.revision import changed

    changed(using)
