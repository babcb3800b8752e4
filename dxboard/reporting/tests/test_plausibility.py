"""Plausibility in one place (issue 18 pt 5): the same refusals on the web, Excel, API, CLI.

Found: −3 households by API and −5 by Excel, a value for 2030Q1 by API (the Excel path
refused the period, the API did not).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from dxboard.collection.models import DataValue
from dxboard.collection.values import ValueRow, save_values
from dxboard.errors import InvalidInput
from dxboard.indicators.models import DataElement
from dxboard.reporting import excel
from dxboard.reporting.services import workflow

from .factories import OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db
P = OPEN_PERIOD
URL = "/api/v1/dataValueSets"


@pytest.fixture
def form(world):
    return make_form(world.province)


def _api(client_for, rows: str):
    body = "dataelement,period,orgunit,value\n" + rows
    return client_for("officer_a").post(URL, body, content_type="text/csv")


def _cli(tmp_path, rows: str, capsys) -> str:
    path = tmp_path / "values.csv"
    path.write_text("dataelement,period,orgunit,value\n" + rows, "utf-8")
    with pytest.raises(CommandError):
        call_command("import_datavalues", str(path), user="officer_a")
    return capsys.readouterr().out


def _excel(world, form, code: str, value) -> InvalidInput:
    workbook = load_workbook(
        io.BytesIO(excel.build_workbook(world.officer_a, form.code, P, "99001"))
    )
    sheet = workbook["99001"]
    row = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == code)
    sheet.cell(row=row, column=6, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(InvalidInput) as error:
        excel.import_workbook(world.officer_a, form.code, P, buffer.getvalue())
    return error.value


def test_a_negative_count_is_refused_on_every_channel(world, form, client_for, tmp_path, capsys):
    api = _api(client_for, f"CUOC,{P},99001,-3\n")
    assert api.status_code == 409
    assert "không được nhỏ hơn 0" in api.json()["conflicts"][0]["message"]
    assert "không được nhỏ hơn 0" in _cli(tmp_path, f"KP,{P},99001,-0.5\n", capsys)
    with pytest.raises(InvalidInput) as web:
        workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "-3"})
    assert "không được nhỏ hơn 0" in web.value.details[0].message
    error = _excel(world, form, "CUOC", -5)
    assert "Trang “99001”" in error.details[0].path
    assert "không được nhỏ hơn 0" in error.details[0].message
    assert not DataValue.objects.exists()


def test_an_element_declares_its_own_minimum_and_maximum(world, form):
    DataElement.objects.filter(code="KP").update(
        min_value=Decimal("-1000"), max_value=Decimal("1000000")
    )
    assert save_values(world.officer_a, [ValueRow("KP", P, "99001", "-5")], "web").ok
    summary = save_values(world.officer_a, [ValueRow("KP", P, "99001", "2.000.000")], "web")
    assert not summary.ok
    assert "không được lớn hơn 1.000.000" in summary.conflicts[0].message
    assert DataValue.objects.get().value == Decimal("-5")


def test_a_percentage_keeps_its_own_range(world, form):
    summary = save_values(world.officer_a, [ValueRow("TYLE", P, "99001", "-1")], "web")
    assert "0–100" in summary.conflicts[0].message


def test_a_future_period_is_refused_on_every_channel(world, form, client_for, tmp_path, capsys):
    future = str(timezone.localdate().year + 1)
    api = _api(client_for, f"CUOC,{future},99001,3\n")
    assert api.status_code == 409
    [conflict] = api.json()["conflicts"]
    assert "chưa bắt đầu" in conflict["message"] and future in conflict["message"]
    assert "chưa bắt đầu" in _cli(tmp_path, "CUOC,2030Q1,99001,3\n", capsys)
    for source in ("web", "excel", "computed"):
        user = None if source == "computed" else world.officer_a
        summary = save_values(user, [ValueRow("CUOC", "2030Q1", "99001", "3")], source)
        assert not summary.ok and "chưa bắt đầu" in summary.conflicts[0].message
    assert not DataValue.objects.exists()


def test_the_period_in_progress_is_accepted(world, form, client_for):
    current = str(timezone.localdate().year)
    response = _api(client_for, f"CUOC,{current},99001,3\n")
    assert response.status_code == 200, json.dumps(response.json(), ensure_ascii=False)
