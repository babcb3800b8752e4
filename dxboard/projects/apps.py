from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "dxboard.projects"
    verbose_name = _("Nhiệm vụ và dự án")
