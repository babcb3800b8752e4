"""Who may do what: one registry of named actions and the roles that may perform them.

Each app declares its actions in its own `permissions.py` (`ACTIONS = [Action(...), ...]`),
as CKAN declares one auth function per action; `DXBoardConfig.ready` collects them all
here, so one place answers "which roles may submit a report?" and one test lists every
action with its roles (a change shows in review).

Services ask this module, never a tuple of roles of their own:

    permissions.require(user, "reporting.submit", unit)   # NotFound or Forbidden
    permissions.can(user, "community.edit_team", unit)    # True / False
    permissions.units_for(user, "projects.create_plan")   # the units where it is allowed

A role held on a unit covers the unit's subtree (`Unit.objects.visible_to`). What the user
may not see at all is `NotFound` (404), what they may see but not do is `Forbidden` (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.translation import gettext as _

from dxboard.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from dxboard.units.models import Unit


@dataclass(frozen=True)
class Action:
    """One thing a service does on behalf of a user, e.g. `reporting.submit`."""

    name: str
    roles: tuple[str, ...]
    description: str = ""

    @property
    def app(self) -> str:
        return self.name.split(".", 1)[0]


_REGISTRY: dict[str, Action] = {}


def register(actions: Iterable[Action]) -> None:
    for action in actions:
        if "." not in action.name:
            raise ValueError(f"action {action.name!r} must be named 'app.verb'")
        known = _REGISTRY.get(action.name)
        if known is not None and known != action:
            raise ValueError(f"action {action.name!r} registered twice with different roles")
        _REGISTRY[action.name] = action


def autodiscover() -> None:
    """Import `<app>.permissions` of every installed DXBoard app and register its ACTIONS."""
    for config in apps.get_app_configs():
        if not config.name.startswith("dxboard"):
            continue
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.permissions":
                raise
            continue
        register(getattr(module, "ACTIONS", ()))


def action(name: str) -> Action:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(
            f"unknown action {name!r}: declare it in its app's permissions.py"
        ) from None


def roles_for(name: str) -> tuple[str, ...]:
    return action(name).roles


def all_actions() -> list[Action]:
    return sorted(_REGISTRY.values(), key=lambda a: a.name)


def units_for(user: Any, name: str):
    """The units on which `user` may perform the action (a queryset, one SQL statement)."""
    from dxboard.units.models import Unit

    return Unit.objects.visible_to(user, roles=roles_for(name))


def can(user: Any, name: str, unit: Unit | None = None) -> bool:
    """Whether the user may perform the action on the unit (on some unit when None)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = roles_for(name)
    if unit is None:
        return units_for(user, name).exists()
    return unit.is_visible_to(user, roles=roles)


def require(user: Any, name: str, unit: Unit, message: str | None = None) -> None:
    """Raise NotFound when the user may not see the unit, Forbidden when they may not act."""
    if can(user, name, unit):
        return
    if not unit.is_visible_to(user):
        raise NotFound(_("Không tìm thấy đơn vị."))
    raise Forbidden(message or _("Bạn không có quyền thực hiện thao tác này."))
