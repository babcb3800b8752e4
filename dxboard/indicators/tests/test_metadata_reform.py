"""Targets in the metadata import name the unit in force in the target's year (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest

from dxboard.errors import InvalidInput
from dxboard.indicators.models import Target
from dxboard.indicators.services import import_metadata
from dxboard.testing import make_unit
from dxboard.units.models import SuccessionKind
from dxboard.units.services import record_succession

from .test_metadata import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def former_commune(world):
    """99001 was "Xã An Bình cũ" until 30/06/2025; today's Xã An Bình took its code."""
    world.commune_a.valid_from = dt.date(2025, 7, 1)
    world.commune_a.save()
    former = make_unit(
        "Xã An Bình cũ", code="99001", parent=world.province, valid_to=dt.date(2025, 6, 30)
    )
    record_succession([former], world.commune_a, SuccessionKind.MERGE, dt.date(2025, 7, 1))
    return former


def test_a_2024_target_goes_to_the_former_unit_and_a_2025_one_to_todays(world, former_commune):
    doc = document()
    doc["programmes"][0]["targets"].append(
        {"indicator": "HS", "year": 2024, "orgUnit": "99001", "value": 40}
    )
    import_metadata(world.province_officer, doc)
    by_year = {t.year: t.unit for t in Target.objects.filter(unit__code="99001")}
    assert by_year == {2024: former_commune, 2025: world.commune_a}


@pytest.mark.xfail(
    strict=True,
    reason="units/resolve.py lets a unit without recorded predecessors answer before its "
    "start while the demo's pre-2025 figures sit on the new communes; goes with issue 17's demo",
)
def test_a_target_for_a_year_before_a_new_unit_existed_is_an_error_naming_the_row(world):
    make_unit("Xã Mới Lập", code="99777", parent=world.province, valid_from=dt.date(2025, 7, 1))
    doc = document()
    doc["programmes"][0]["targets"].append(
        {"indicator": "HS", "year": 2024, "orgUnit": "99777", "value": 40}
    )
    with pytest.raises(InvalidInput) as caught:
        import_metadata(world.province_officer, doc)
    details = {d.path: d.message for d in caught.value.details}
    assert details["programmes[0].targets[2].orgUnit"] == (
        "Mã đơn vị “99777” không ứng với đơn vị nào có hiệu lực ngày 31/12/2024."
    )
    assert not Target.objects.exists()
