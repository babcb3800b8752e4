"""Actions of the committee_reports app and the roles that may perform them (see dxboard/permissions.py)."""

from dxboard.permissions import Action

ACTIONS: list[Action] = []
