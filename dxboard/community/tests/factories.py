"""Factories for team-register tests; they go through the services like the pages do."""

from __future__ import annotations

import itertools
from datetime import date

from dxboard.community import services
from dxboard.community.models import Team
from dxboard.testing import make_user
from dxboard.units.models import Unit

_phones = itertools.count(912000001)


def make_team(unit: Unit, *, members: int = 0, user=None, **fields) -> Team:
    user = user or make_user(is_superuser=True)
    team = services.create_team(user, unit, founded_on=date(2023, 5, 1), **fields)
    for n in range(members):
        services.add_member(user, team, full_name=f"Thành viên {n + 1}", phone=f"0{next(_phones)}")
    return team
