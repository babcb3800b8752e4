"""POST /dataValueSets (JSON and CSV), GET /dataValues, and `dxboard import-datavalues`."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from dxboard.collection.models import DataValue
from dxboard.evaluation.tests.factories import ratio
from dxboard.indicators.services import import_metadata

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets"


@pytest.fixture
def elements(world):
    import_metadata(None, ratio("CQ-03"))


def test_it_imports_a_json_data_value_set(client_for, elements):
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001", "value": "7"}
        ]
    }
    response = client_for("officer_a").post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "SUCCESS",
        "dryRun": False,
        "importCount": {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0},
        "conflicts": [],
        # which unit the code was read as for that period (issue 17)
        "orgUnits": [
            {
                "orgUnit": "99001",
                "period": "2024Q1",
                "name": "Xã An Bình",
                "validFrom": None,
                "validTo": None,
            }
        ],
    }


def test_it_imports_csv_with_dhis2s_other_columns(client_for, elements):
    csv = (
        "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby\n"
        "CQ-03-MAU,2024Q1,99001,,,100,x\n"
        'CQ-03-TU,2024Q1,99001,,,"96,4",x\n'
    )
    response = client_for("officer_a").post(URL, csv, content_type="text/csv")
    assert response.status_code == 409  # 96,4 is not an integer
    assert response.json()["conflicts"][0]["path"] == "Dòng 3"
    assert response.json()["error"]["details"][0]["path"] == "Dòng 3"
    assert not DataValue.objects.exists()
    ok = client_for("officer_a").post(
        URL, csv.replace('"96,4"', "96"), content_type="application/csv"
    )
    assert ok.json()["importCount"]["imported"] == 2


def test_an_outsider_gets_a_conflict_and_nothing_is_saved(client_for, elements):
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-TU", "period": "2024", "orgUnit": "99001", "value": 1}
        ]
    }
    response = client_for("officer_b").post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["conflicts"][0]["path"] == "dataValues[0]"


def test_a_dry_run_answers_the_counts_only(client_for, elements):
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-TU", "period": "2024", "orgUnit": "99001", "value": 1}
        ]
    }
    response = client_for("admin").post(
        f"{URL}?dryRun=true", json.dumps(body), content_type="application/json"
    )
    assert response.json()["importCount"]["imported"] == 1 and not DataValue.objects.exists()


def test_a_document_without_data_values_is_a_400(client_for, elements):
    response = client_for("admin").post(URL, "{}", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["path"] == "dataValues"


def test_values_are_read_back_and_hidden_from_outsiders(
    client_for, elements, django_assert_max_num_queries
):
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-TU", "period": f"2024{m:02d}", "orgUnit": "99001", "value": m}
            for m in range(1, 13)
        ]
    }
    client = client_for("officer_a")
    client.post(URL, json.dumps(body), content_type="application/json")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/dataValues?orgUnit=99001&period=2024Q1")
    assert [v["value"] for v in response.json()] == ["1", "2", "3"]
    assert response.json()[0]["storedBy"] == "officer_a"
    assert client_for("officer_b").get("/api/v1/dataValues?orgUnit=99001").status_code == 404
    bad = client_for("officer_a").get("/api/v1/dataValues?orgUnit=99001&period=2024Q5")
    assert bad.status_code == 400


def test_the_command_imports_a_file_and_refuses_a_bad_one(world, elements, tmp_path, capsys):
    good = tmp_path / "values.csv"
    good.write_text("dataelement,period,orgunit,value\nCQ-03-MAU,2024,99001,10\n", encoding="utf-8")
    call_command("import_datavalues", str(good), user="admin")
    assert DataValue.objects.count() == 1
    bad = tmp_path / "values.json"
    bad.write_text(
        json.dumps(
            {
                "dataValues": [
                    {"dataElement": "CQ-03-TU", "period": "2024", "orgUnit": "99001", "value": 11}
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_datavalues", str(bad), user="admin")
    assert DataValue.objects.count() == 1


# --- issue 17: a code means the unit in force at the figure's period ----------------------


@pytest.fixture
def reorganised(world, elements):
    """Former commune 99001-cũ (valid until 30/06/2025) became today's Xã An Bình."""
    import datetime as dt

    from dxboard.testing import make_unit
    from dxboard.units.models import SuccessionKind
    from dxboard.units.services import record_succession

    world.commune_a.valid_from = dt.date(2025, 7, 1)
    world.commune_a.save()
    former = make_unit(
        "Xã An Bình cũ", code="99001", parent=world.province, valid_to=dt.date(2025, 6, 30)
    )
    neighbour = make_unit(
        "Xã Đông Hòa cũ", code="99002", parent=world.province, valid_to=dt.date(2025, 6, 30)
    )
    record_succession([former], world.commune_a, SuccessionKind.MERGE, dt.date(2025, 7, 1))
    record_succession([neighbour], world.commune_b, SuccessionKind.MERGE, dt.date(2025, 7, 1))
    return former


def _post(client, rows):
    return client.post(URL, json.dumps({"dataValues": rows}), content_type="application/json")


def test_a_2024_figure_goes_to_the_former_unit_and_the_answer_says_which(
    client_for, reorganised, world
):
    rows = [
        {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001", "value": "7"},
        {"dataElement": "CQ-03-TU", "period": "2025Q3", "orgUnit": "99001", "value": "9"},
    ]
    response = _post(client_for("officer_a"), rows)
    assert response.status_code == 200, response.content
    taken = {(u["period"], u["name"], u["validTo"]) for u in response.json()["orgUnits"]}
    assert taken == {("2024Q1", "Xã An Bình cũ", "2025-06-30"), ("2025Q3", "Xã An Bình", None)}
    stored = dict(DataValue.objects.values_list("period", "unit__name"))
    assert stored == {"2024Q1": "Xã An Bình cũ", "2025Q3": "Xã An Bình"}


def test_the_new_communes_officer_may_not_write_a_neighbours_former_figures(
    client_for, reorganised
):
    rows = [{"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99002", "value": "7"}]
    response = _post(client_for("officer_a"), rows)
    assert response.status_code == 409
    assert "không được xem đơn vị này" in response.json()["conflicts"][0]["message"]
    assert not DataValue.objects.exists()


def test_a_post_2025_commune_code_for_2024q1_is_an_error_naming_the_row(
    client_for, elements, world
):
    import datetime as dt

    from dxboard.testing import make_unit
    from dxboard.units.models import SuccessionKind, UnitSuccession

    new = make_unit(
        "Xã Mới Lập", code="99777", parent=world.province, valid_from=dt.date(2025, 7, 1)
    )
    former = make_unit("Xã Cũ", code="99666", parent=world.province, valid_to=dt.date(2025, 6, 30))
    # Its history is recorded: before 1 July 2025 its figures belong to its predecessor.
    UnitSuccession.objects.create(
        predecessor=former, successor=new, kind=SuccessionKind.MERGE, effective_on=new.valid_from
    )
    rows = [
        {"dataElement": "CQ-03-TU", "period": "2025Q3", "orgUnit": "99001", "value": "1"},
        {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99777", "value": "7"},
    ]
    response = _post(client_for("province_officer"), rows)
    assert response.status_code == 409
    conflict = response.json()["conflicts"][0]
    assert conflict["path"] == "dataValues[1]"
    assert conflict["message"] == (
        "Mã đơn vị “99777” không ứng với đơn vị nào có hiệu lực ngày 31/03/2024."
    )
    assert not DataValue.objects.exists()  # nothing half-written


def test_a_unit_loaded_without_its_history_answers_for_the_years_before_its_start(
    client_for, elements, world
):
    # A province that loaded only the units in force (no `load-units --legacy`) keeps
    # entering its 2024 figures: with no former unit recorded, the code has no other owner.
    import datetime as dt

    from dxboard.testing import make_unit

    make_unit("Xã Mới Lập", code="99777", parent=world.province, valid_from=dt.date(2025, 7, 1))
    rows = [{"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99777", "value": "7"}]
    response = _post(client_for("province_officer"), rows)
    assert response.status_code == 200, response.json()
    assert DataValue.objects.get().unit.code == "99777"


def test_a_kept_stored_by_is_what_the_readers_answer(client_for, elements):
    """DHIS2's `storedBy` (the source system's user) is kept, so it is what comes back;
    a value saved without one answers who saved it."""
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001", "value": "1",
             "storedBy": "dhis2-sync"},
            {"dataElement": "CQ-03-MAU", "period": "2024Q1", "orgUnit": "99001", "value": "2"},
        ]
    }  # fmt: skip
    client = client_for("officer_a")
    assert client.post(URL, json.dumps(body), content_type="application/json").status_code == 200
    read = client.get("/api/v1/dataValues?orgUnit=99001&period=2024Q1").json()
    assert {v["dataElement"]: v["storedBy"] for v in read} == {
        "CQ-03-TU": "dhis2-sync",
        "CQ-03-MAU": "officer_a",
    }
