"""Machine formats (API, dataValueSets JSON/CSV, the CLI) read numbers strictly.

The Vietnamese heuristics ("1.234,5", "12.316" as twelve thousand) are for people typing
in web forms and Excel; a program sends `0.125` and means one eighth.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from dxboard.collection.models import DataValue
from dxboard.collection.values import ValueRow, parse_machine_number, save_values
from dxboard.evaluation.tests.factories import ratio
from dxboard.indicators.services import import_metadata

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets"


@pytest.fixture
def elements(world):
    import_metadata(None, ratio("CQ-03"))


def _post(client, value):
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001", "value": value}
        ]
    }
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0.125", Decimal("0.125")),
        ("-3", Decimal("-3")),
        ("1e3", Decimal("1000")),
        ("12.316", Decimal("12.316")),
        (" 7 ", Decimal("7")),
        (".5", Decimal("0.5")),
        (7, Decimal("7")),
        (0.125, Decimal("0.125")),
    ],
)
def test_it_reads_machine_numbers_as_written(text, number):
    assert parse_machine_number(text) == number


@pytest.mark.parametrize(
    "text",
    # Digits other than 0-9 (Arabic-Indic, full-width) are no machine format either.
    ["1.234,5", "96,4", "1,234", "12 316", "1.234.567", "", "abc", "١٢", "１２", "1_000"],
)
def test_it_refuses_numbers_written_for_people(text):
    with pytest.raises(ValueError):
        parse_machine_number(text)


def test_it_never_stores_0_125_as_125_from_the_api(client_for, elements):
    response = _post(client_for("officer_a"), "0.125")
    # CQ-03-TU is an integer element: 0.125 is refused, not read as one hundred and twenty-five.
    assert response.status_code == 409, response.content
    conflict = response.json()["conflicts"][0]
    assert conflict["object"] == "0.125" and "nguyên" in conflict["message"]
    assert not DataValue.objects.exists()


def test_it_refuses_a_vietnamese_number_on_the_api_naming_the_row(client_for, elements):
    response = _post(client_for("officer_a"), "1.234,5")
    assert response.status_code == 409
    conflict = response.json()["conflicts"][0]
    assert conflict["path"] == "dataValues[0]"
    assert "1234.5" in conflict["message"]  # says how to write it
    assert conflict["value"] == conflict["message"]  # where DHIS2 clients read it
    assert not DataValue.objects.exists()


def test_it_refuses_a_thousands_dot_in_a_csv_document(client_for, elements):
    csv = "dataelement,period,orgunit,value\nCQ-03-MAU,2024Q1,99001,12.316\n"
    response = client_for("officer_a").post(URL, csv, content_type="text/csv")
    assert response.status_code == 409
    assert response.json()["conflicts"][0]["path"] == "Dòng 2"


def test_the_command_refuses_a_vietnamese_number(world, elements, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text('dataelement,period,orgunit,value\nCQ-03-MAU,2024,99001,"1,000"\n', "utf-8")
    with pytest.raises(CommandError):
        call_command("import_datavalues", str(path), user="admin")
    assert not DataValue.objects.exists()


def test_web_forms_keep_reading_numbers_the_vietnamese_way(world, elements):
    summary = save_values(
        world.officer_a, [ValueRow("CQ-03-MAU", "2024", "99001", "12.316")], "web"
    )
    assert summary.ok
    assert DataValue.objects.get().value == Decimal("12316")


def test_save_values_reads_machine_numbers_strictly_when_asked(world, elements):
    row = ValueRow("CQ-03-MAU", "2024", "99001", "12.316")
    summary = save_values(world.officer_a, [row], "api", machine_format=True)
    assert not summary.ok and "nguyên" in summary.conflicts[0].message
