"""Data entry for the past (issue 17, point 5): a 2024 figure is entered for the former
commune that reported it, by the officer of the commune that succeeded it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dxboard.collection.models import DataValue
from dxboard.errors import NotFound
from dxboard.reporting import excel
from dxboard.reporting.services import workflow
from dxboard.testing import make_unit
from dxboard.units.models import SuccessionKind, UnitKind
from dxboard.units.services import record_succession

from .factories import OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db
REFORM = dt.date(2025, 7, 1)
LAST_DAY = dt.date(2025, 6, 30)


@pytest.fixture
def reform(world):
    """Former province 98 with former communes 98001 → commune A and 98002 → commune B;
    world's province and communes exist from 01/07/2025."""
    former = make_unit(
        "Tỉnh Cũ", code="98", kind=UnitKind.PROVINCE, official=True, valid_to=LAST_DAY
    )
    x = make_unit("Xã Cũ Một", code="98001", parent=former, official=True, valid_to=LAST_DAY)
    y = make_unit("Xã Cũ Hai", code="98002", parent=former, official=True, valid_to=LAST_DAY)
    for unit in (world.province, world.commune_a, world.commune_b):
        unit.valid_from = REFORM
        unit.save()
    record_succession([former], world.province, SuccessionKind.MERGE, REFORM)
    record_succession([x], world.commune_a, SuccessionKind.MERGE, REFORM)
    record_succession([y], world.commune_b, SuccessionKind.MERGE, REFORM)
    return {"form": make_form(world.province), "x": x, "y": y}


def test_the_2024_template_offers_the_former_commune_to_its_successors_officer(world, reform):
    data = excel.build_workbook(world.officer_a, reform["form"].code, OPEN_PERIOD)
    sheets = load_workbook(io.BytesIO(data)).sheetnames
    assert "98001" in sheets
    assert "99001" not in sheets and "98002" not in sheets  # not in force then; a neighbour's


def test_the_province_officer_gets_every_former_commune_for_2024(world, reform):
    data = excel.build_workbook(world.province_officer, reform["form"].code, OPEN_PERIOD)
    sheets = load_workbook(io.BytesIO(data)).sheetnames
    assert {"98001", "98002"} <= set(sheets) and "99001" not in sheets


def test_the_new_communes_officer_enters_and_corrects_the_predecessors_2024_figure(world, reform):
    code = reform["form"].code
    workflow.save_draft(world.officer_a, code, "98001", OPEN_PERIOD, {"CUOC": "2"})
    workflow.save_draft(world.officer_a, code, "98001", OPEN_PERIOD, {"CUOC": "3"})
    value = DataValue.objects.get(data_element__code="CUOC")
    assert (value.unit, value.value) == (reform["x"], 3)


def test_the_officer_may_not_enter_a_neighbours_former_figures(client_for, world, reform):
    code = reform["form"].code
    with pytest.raises(NotFound):
        workflow.save_draft(world.officer_a, code, "98002", OPEN_PERIOD, {"CUOC": "2"})
    entry = reverse("reporting:entry", args=[code, "98002", OPEN_PERIOD])
    assert client_for("officer_a").get(entry).status_code == 404
    own = reverse("reporting:entry", args=[code, "98001", OPEN_PERIOD])
    page = client_for("officer_a").get(own)
    assert page.status_code == 200 and "Xã Cũ Một" in page.content.decode()
    assert not DataValue.objects.exists()


def test_a_new_communes_code_has_no_2024_report(world, reform):
    with pytest.raises(NotFound):
        workflow.load_entry(world.officer_a, reform["form"].code, "99001", OPEN_PERIOD)
