"""Factories for project-register tests, through the services."""

from __future__ import annotations

import itertools
from datetime import date

from dxboard.projects import services
from dxboard.projects.models import Item, Plan
from dxboard.testing import make_user
from dxboard.units.models import Unit

_codes = itertools.count(1)


def make_plan(owner: Unit, **fields) -> Plan:
    admin = make_user(is_superuser=True)
    defaults = {
        "code": f"KH-{next(_codes)}",
        "name": "Kế hoạch chuyển đổi số năm 2025",
        "year_from": 2025,
        "year_to": 2025,
    }
    return services.create_plan(admin, owner, **(defaults | fields))


def make_item(plan: Plan, lead: Unit, *, user=None, **fields) -> Item:
    user = user or make_user(is_superuser=True)
    defaults = {
        "kind": "project",
        "code": f"DA-{next(_codes)}",
        "name": "Dự án thử",
        "start_date": date(2025, 1, 1),
        "deadline": date(2025, 12, 31),
        "planned_budget": 1_000_000_000,
    }
    return services.create_item(user, plan, lead, **(defaults | fields))
