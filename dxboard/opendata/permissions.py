"""Actions of the opendata app and the roles that may perform them (see dxboard/permissions.py)."""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

ACTIONS: list[Action] = [
    Action(
        "opendata.manage",
        (Role.ADMIN, Role.PROVINCE_OFFICER),
        "choose, describe and publish or withdraw the open datasets of a unit",
    ),
]
