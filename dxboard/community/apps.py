from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "dxboard.community"
    verbose_name = _("Tổ công nghệ số cộng đồng")
