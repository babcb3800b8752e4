"""The main menu. An entry appears only when its module is installed and the user may use it.

Entries that share a `group` become one drop-down, so the bar fits a 1366-pixel laptop.
Each app contributes its entries from its own `apps.py`: a `nav_items()` method on its
AppConfig returning `NavItem`s. The bar lists them by `order` (then in the order the apps
are installed and give them); an entry without an order comes after the existing ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    app_label: str
    public: bool = False
    group: str = ""
    # A `(user) -> bool`, or its dotted path, that must hold too: a link that answers 403
    # is no use.
    allowed: str | Callable[[Any], bool] = ""
    # Place on the bar: 10 home, 20 dashboard, 30 catalogue, 40 reports, 50 field reports,
    # 60 registers, 90 units; new apps without one come last.
    order: int = 100


INDICATORS = _("Chỉ tiêu")
FEEDBACK = _("Phản ánh")
REGISTERS = _("Sổ theo dõi")


def all_items() -> list[NavItem]:
    """The entries every installed app contributes in its apps.py, in menu order."""
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        contribute = getattr(config, "nav_items", None)
        if callable(contribute):
            items.extend(contribute())
    return sorted(items, key=lambda item: item.order)


def _allowed(item: NavItem, user: Any) -> bool:
    if not item.allowed:
        return True
    check = import_string(item.allowed) if isinstance(item.allowed, str) else item.allowed
    return bool(check(user))


def _is_under(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    links = []
    for item in all_items():
        if not apps.is_installed(f"dxboard.{item.app_label}"):
            continue
        if not (item.public or logged_in) or (item.url_name == "home" and not logged_in):
            continue
        if not _allowed(item, user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append({"label": item.label, "url": url, "group": item.group, "active": False})
    # Only the longest matching prefix is active: "/indicators/programmes/" lights
    # "Chương trình", not also the catalogue at "/indicators/".
    matches = [link for link in links if _is_under(request.path, link["url"])]
    if matches:
        max(matches, key=lambda link: len(link["url"]))["active"] = True
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for link in links:
        if not link["group"]:
            entries.append(link)
            continue
        group = groups.get(str(link["group"]))
        if group is None:
            group = {"label": link["group"], "children": [], "active": False}
            groups[str(link["group"])] = group
            entries.append(group)
        group["children"].append(link)
        group["active"] = group["active"] or link["active"]
    return {"nav_items": entries}
