from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dxboard.accounts"
    verbose_name = _("Tài khoản")
    # Saving or deleting one of these bumps the data revision that keys cached evaluations
    # (`DXBoardConfig.ready`): who may read an evaluation.
    evaluated_models = ("Membership",)

    def ready(self) -> None:
        from dxboard.accounts.models import Membership

        post_save.connect(_forget_paths, sender=Membership, dispatch_uid="membership-saved")
        post_delete.connect(_forget_paths, sender=Membership, dispatch_uid="membership-deleted")


def _forget_paths(sender, instance, **kwargs) -> None:
    """A user object keeps its membership paths (`units.models.membership_paths`); the
    object a membership was saved with must not answer with the old ones."""
    from dxboard.units.models import forget_membership_paths

    if sender.user.is_cached(instance):
        forget_membership_paths(instance.user)
