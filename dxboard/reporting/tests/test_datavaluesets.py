"""DHIS2 `dataValueSets` with `dataSet`, `period`, `orgUnit` and `completeDate`."""

from __future__ import annotations

import json

import pytest

from dxboard.collection.models import DataValue
from dxboard.reporting.models import Submission

from .factories import GOOD, OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db

# GOOD as a program writes it: the API reads numbers in the machine format only.
MACHINE = {"HS-TU": "1234", "HS-MAU": "2000", "TYLE": "97.5", "CUOC": "3", "KP": "1234.5"}
assert MACHINE.keys() == GOOD.keys()


def _document(**header):
    return {
        "dataSet": "BM-T",
        "period": OPEN_PERIOD,
        "orgUnit": "99001",
        **header,
        "dataValues": [{"dataElement": code, "value": value} for code, value in MACHINE.items()],
    }


def _post(client, document):
    return client.post(
        "/api/v1/dataValueSets", data=json.dumps(document), content_type="application/json"
    )


def test_a_complete_date_submits_the_units_report(client_for, world):
    make_form(world.province)
    response = _post(client_for("officer_a"), _document(completeDate="2024-03-10"))
    assert response.status_code == 200, response.json()
    assert response.json()["importCount"]["imported"] == len(GOOD)
    submission = Submission.objects.get(unit=world.commune_a, period=OPEN_PERIOD)
    assert submission.status == "submitted"


def test_without_a_complete_date_the_values_stay_a_draft(client_for, world):
    make_form(world.province)
    assert _post(client_for("officer_a"), _document()).status_code == 200
    assert not Submission.objects.filter(status="submitted").exists()
    assert DataValue.objects.filter(unit=world.commune_a).count() == len(GOOD)


def test_values_of_a_submitted_report_are_refused(client_for, world):
    make_form(world.province)
    client = client_for("officer_a")
    assert _post(client, _document(completeDate="2024-03-10")).status_code == 200
    before = list(DataValue.objects.order_by("pk").values_list("value", flat=True))
    changed = _document()
    changed["dataValues"][0]["value"] = "1"
    response = _post(client, changed)
    assert response.status_code == 409
    assert response.json()["error"]["details"]
    assert list(DataValue.objects.order_by("pk").values_list("value", flat=True)) == before


def test_an_officer_cannot_submit_another_communes_report(client_for, world):
    make_form(world.province)
    response = _post(client_for("officer_b"), _document(completeDate="2024-03-10"))
    assert response.status_code in (404, 409)
    assert not DataValue.objects.exists()
    assert not Submission.objects.exists()
