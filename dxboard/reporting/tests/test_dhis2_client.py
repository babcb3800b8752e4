"""The real `dhis2.py` client (PyPI, import name `dhis2`) against a live DXBoard.

It builds `/api/<resource>` URLs, sends Basic credentials, appends `.json` to GETs and
reads `/api/system/info`; nothing here adapts it to DXBoard. The documents are DHIS2's
documented shapes (Web API guide, "Sending data values"), with the demo's codes in place
of UIDs.
"""

from __future__ import annotations

import dhis2
import pytest

from dxboard.collection.models import DataValue
from dxboard.evaluation.tests.factories import ratio
from dxboard.indicators.services import import_metadata
from dxboard.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# DHIS2's JSON example: a set-level period and orgUnit, completeDate, values with comments.
DOCUMENT = {
    "dataSet": "",
    "completeDate": "",
    "period": "2024Q1",
    "orgUnit": "99001",
    "attributeOptionCombo": "HllvX50cXC0",
    "dataValues": [
        {"dataElement": "CQ-03-MAU", "categoryOptionCombo": "HllvX50cXC0", "value": "12",
         "comment": "comment1"},
        {"dataElement": "CQ-03-TU", "categoryOptionCombo": "HllvX50cXC0", "value": "7",
         "comment": "comment2", "followup": True},
    ],
}  # fmt: skip

# DHIS2's CSV example: the documented header, quoted, with its short names.
CSV = (
    '"dataelement","period","orgunit","catoptcombo","attroptcombo","value","strby","lstupd","cmt"\n'
    '"CQ-03-MAU","2024Q2","99001","HllvX50cXC0","HllvX50cXC0","20","admin",'
    '"2024-07-01","Theo sổ"\n'
)


@pytest.fixture
def api(live_server, world):
    import_metadata(None, ratio("CQ-03"))
    client = dhis2.Api(live_server.url, "officer_a", PASSWORD, api_version=40)
    yield client
    # A kept-alive connection keeps a server thread, and its database session, open.
    client.session.close()


def test_the_client_reads_system_info(api):
    assert api.version.startswith("2.")
    assert api.version_int >= 36
    assert api.info["systemName"] == "DXBoard"


def test_the_client_pushes_pulls_and_deletes_values(api):
    pushed = api.post("dataValueSets", json=DOCUMENT).json()
    assert pushed["response"]["status"] == "SUCCESS", pushed
    assert pushed["response"]["importCount"]["imported"] == 2
    stored = DataValue.objects.get(data_element__code="CQ-03-TU")
    assert (stored.value, stored.comment, stored.followup) == (7, "comment2", True)

    pulled = api.get(
        "dataValueSets", params={"dataElement": ["CQ-03-MAU", "CQ-03-TU"], "period": "2024Q1",
                                 "orgUnit": "99001"}
    ).json()  # fmt: skip
    assert {(v["dataElement"], v["value"]) for v in pulled["dataValues"]} == {
        ("CQ-03-MAU", "12"),
        ("CQ-03-TU", "7"),
    }
    csv = api.get(
        "dataValueSets", file_type="csv",
        params={"dataElement": "CQ-03-MAU", "period": "2024Q1", "orgUnit": "99001"},
    ).text  # fmt: skip
    assert csv.splitlines()[1].startswith("CQ-03-MAU,2024Q1,99001,HllvX50cXC0")

    deleted = api.post("dataValueSets", json=DOCUMENT, params={"importStrategy": "DELETE"})
    assert deleted.json()["response"]["importCount"]["deleted"] == 2
    assert not DataValue.objects.exists()


def test_the_documented_csv_example_is_imported_unchanged(api):
    response = api.session.post(
        f"{api.api_url}/dataValueSets",
        data=CSV.encode(),
        headers={"Content-Type": "application/csv"},
    )
    assert response.status_code == 200, response.text
    stored = DataValue.objects.get()
    assert (stored.period, stored.value, stored.comment, stored.stored_by) == (
        "2024Q2", 20, "Theo sổ", "admin"
    )  # fmt: skip


def test_a_conflict_reaches_the_client_as_dhis2s_summary(api):
    bad = {"dataValues": [{**DOCUMENT["dataValues"][0], "period": "2024Q1", "orgUnit": "99001",
                           "value": "1.234,5"}]}  # fmt: skip
    with pytest.raises(dhis2.exceptions.RequestException) as raised:
        api.post("dataValueSets", json=bad)
    assert raised.value.code == 409
    assert '"object": "1.234,5"' in raised.value.description


def test_the_documented_complete_data_set_example_submits_the_report(live_server, world):
    """DHIS2's example with `dataSet` and `completeDate` (a report form of the province):
    the values are saved and the unit's report submitted, as DHIS2 completes a data set."""
    from dxboard.reporting.models import Submission

    from .factories import OPEN_PERIOD, make_form

    make_form(world.province)
    document = {
        "dataSet": "BM-T",
        "completeDate": "2024-03-10",
        "period": OPEN_PERIOD,
        "orgUnit": "99001",
        "attributeOptionCombo": "HllvX50cXC0",
        "dataValues": [
            {"dataElement": code, "categoryOptionCombo": "HllvX50cXC0", "value": value}
            for code, value in {"HS-TU": "1234", "HS-MAU": "2000", "TYLE": "97.5", "CUOC": "3",
                                "KP": "1234.5"}.items()
        ],
    }  # fmt: skip
    client = dhis2.Api(live_server.url, "officer_a", PASSWORD, api_version=40)
    try:
        summary = client.post("dataValueSets", json=document).json()["response"]
    finally:
        client.session.close()
    assert summary["importCount"]["imported"] == 5, summary
    assert summary["dataSetComplete"] == "2024-03-10"
    assert Submission.objects.get(unit=world.commune_a, period=OPEN_PERIOD).status == "submitted"
