from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxboard.navigation import NavItem

OPEN_DATA = _("Dữ liệu mở")


def may_manage(user: Any) -> bool:
    from dxboard import permissions

    return permissions.can(user, "opendata.manage")


class OpendataConfig(AppConfig):
    name = "dxboard.opendata"
    verbose_name = _("Dữ liệu mở")

    def nav_items(self) -> list[NavItem]:
        # NavItem is typed with str; its labels are lazy translations everywhere.
        return [
            NavItem(
                _("Danh mục dữ liệu mở"),  # type: ignore[arg-type]
                "opendata:catalogue",
                "opendata",
                True,
                OPEN_DATA,  # type: ignore[arg-type]
            ),
            NavItem(
                _("Quản lý dữ liệu mở"),  # type: ignore[arg-type]
                "opendata:manage_list",
                "opendata",
                group=OPEN_DATA,  # type: ignore[arg-type]
                allowed="dxboard.opendata.apps.may_manage",
            ),
        ]
