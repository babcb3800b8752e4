from django.apps import AppConfig


class DXBoardConfig(AppConfig):
    """The project package as an app: it owns project-wide commands (demo, serve)."""

    name = "dxboard"
    verbose_name = "DXBoard"
