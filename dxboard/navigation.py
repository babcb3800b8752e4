"""The main menu. An entry appears only when its module is installed and the user may use it."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    app_label: str
    icon: str = ""
    public: bool = False


# Modules add their entry here when they are built; an uninstalled app never shows.
NAV_ITEMS = [
    NavItem(_("Tổng quan"), "home", "units"),
    NavItem(_("Bảng điều hành"), "evaluation:index", "evaluation", public=True),
    NavItem(_("Chương trình"), "indicators:programme_list", "indicators", public=True),
    NavItem(_("Chỉ tiêu"), "indicators:catalogue", "indicators", public=True),
    NavItem(_("Báo cáo định kỳ"), "collection:index", "collection"),
    NavItem(_("Phản ánh"), "feedback:inbox", "feedback"),
    NavItem(_("Thống kê phản ánh"), "feedback:stats", "feedback"),
    NavItem(_("Gửi phản ánh"), "feedback:submit", "feedback", public=True),
    NavItem(_("Phản ánh công khai"), "feedback:public_list", "feedback", public=True),
    NavItem(_("Tổ CNSCĐ"), "community:team_list", "community"),
    NavItem(_("Nhiệm vụ, dự án"), "projects:project_list", "projects"),
    NavItem(_("Đơn vị"), "units:tree", "units"),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    items = []
    for item in NAV_ITEMS:
        if item.url_name == "home" and not logged_in:
            continue
        if not apps.is_installed(f"dxboard.{item.app_label}"):
            continue
        if not (item.public or logged_in):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # Only the entry with the longest matching prefix is active
    # ("/indicators/programmes/" lights "Chương trình", not also "Chỉ tiêu" at "/indicators/").
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}
