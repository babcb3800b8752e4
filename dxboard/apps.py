from django.apps import AppConfig


class DXBoardConfig(AppConfig):
    """The project package as an app: it owns project-wide commands (demo, serve) and the
    data revision number (`dxboard.revision`)."""

    name = "dxboard"
    verbose_name = "DXBoard"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dxboard import permissions

        permissions.autodiscover()

        # Each app names, in its AppConfig's `evaluated_models`, the models whose rows an
        # evaluation reads (or the decision who may read it): saving or deleting one bumps
        # the data revision.
        for config in self.apps.get_app_configs():
            for name in getattr(config, "evaluated_models", ()):
                model = config.get_model(name)
                label = model._meta.label
                post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{label}")
                post_delete.connect(_changed, sender=model, dispatch_uid=f"revision-delete-{label}")


def _changed(sender, using: str, **kwargs) -> None:
    from dxboard.revision import changed

    changed(using)
