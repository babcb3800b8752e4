"""Factories for open-data tests, through the services."""

from __future__ import annotations

import itertools
from typing import Any

from dxboard.opendata import services
from dxboard.opendata.models import Dataset, SourceKind
from dxboard.projects.tests.factories import make_item, make_plan
from dxboard.testing import World

_names = itertools.count(1)


def make_dataset(world: World, **fields: Any) -> Dataset:
    defaults: dict[str, Any] = {
        "name": f"du-lieu-{next(_names)}",
        "title": "Dự án chuyển đổi số và kinh phí",
        "title_en": "Digital transformation projects and budgets",
        "description": "Các nhiệm vụ, dự án chuyển đổi số của tỉnh, kinh phí kế hoạch và giải ngân.",
        "description_en": "Projects with planned and disbursed budgets.",
        "publisher": world.province,
        "source": SourceKind.PROJECTS,
        "period_start": "2025",
        "period_end": "2025",
        "frequency": "QUARTERLY",
        "keywords": ["chuyển đổi số", "dự án"],
        "contact_name": "Phòng Chuyển đổi số, Sở Khoa học và Công nghệ",
        "contact_email": "cds@example.vn",
    }
    return services.create_dataset(world.province_officer, **(defaults | fields))


def make_projects(world: World) -> None:
    plan = make_plan(world.province, code="KH-2025")
    make_item(
        plan,
        world.agency,
        code="DA-01",
        name="Trung tâm điều hành thông minh",
        planned_budget=12_500_000_000,
        disbursed_budget=4_000_000_000,
    )
    make_item(
        plan,
        world.commune_a,
        code="DA-02",
        name="Wi-Fi công cộng xã An Bình",
        planned_budget=800_000_000,
    )
