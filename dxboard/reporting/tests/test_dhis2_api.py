"""DHIS2 Web API compatibility under /api/: auth, options, summary shape, export."""

from __future__ import annotations

import base64
import json

import pytest

from dxboard.accounts.services import create_token
from dxboard.collection.models import DataValue, DataValueAudit
from dxboard.evaluation.tests.factories import ratio
from dxboard.indicators.services import import_metadata
from dxboard.testing import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/dataValueSets"


@pytest.fixture
def elements(world):
    import_metadata(None, ratio("CQ-03"))


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def post(client, body, *, params="", user="officer_a", **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    content_type = extra.pop("content_type", "application/json")
    return client.post(f"{URL}{params}", data, content_type=content_type, **basic(user), **extra)


def values(*rows):
    return {
        "dataValues": [
            {"dataElement": de, "period": "2024Q1", "orgUnit": "99001", "value": v, **more}
            for de, v, more in rows
        ]
    }


def test_basic_auth_posts_without_a_csrf_token_and_answers_dhis2s_summary(client, elements):
    response = post(client, values(("CQ-03-MAU", "10", {})))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["httpStatus"], body["httpStatusCode"], body["status"]) == ("OK", 200, "OK")
    summary = body["response"]
    assert summary["responseType"] == "ImportSummary"
    assert summary["status"] == "SUCCESS"
    assert summary["importCount"] == {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0}
    assert summary["importOptions"]["importStrategy"] == "CREATE_AND_UPDATE"
    assert summary["conflicts"] == [] and summary["description"]
    assert "sessionid" not in response.cookies  # Basic never opens a browser session


def test_the_versioned_path_and_the_api_token_header_work(client, world, elements):
    _token, key = create_token(world.officer_a, "dhis2")
    response = client.post(
        "/api/40/dataValueSets",
        json.dumps(values(("CQ-03-MAU", "10", {}))),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"ApiToken {key}",
    )
    assert response.status_code == 200, response.content


def test_a_session_cookie_is_not_enough(client_for, elements):
    client = client_for("officer_a")
    response = client.post(URL, json.dumps(values(("CQ-03-MAU", "1", {}))), "application/json")
    assert response.status_code == 401
    assert response.json()["httpStatusCode"] == 401
    assert not DataValue.objects.exists()


def test_a_wrong_password_is_401_and_repeated_failures_lock_the_user_out(
    client, world, elements, settings
):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        bad = client.get(f"{URL}.json", **basic("officer_a", "sai-mat-khau"))
        assert bad.status_code in (401, 429, 403)
    locked = client.get("/api/system/info.json", **basic("officer_a"))
    assert locked.status_code in (403, 429), locked.status_code


def test_system_info_answers_what_clients_read(client, world):
    response = client.get("/api/system/info.json", **basic("officer_a"))
    assert response.status_code == 200
    info = response.json()
    assert info["version"].startswith("2.") and info["revision"] and info["systemName"]


def test_conflicts_have_object_and_value_and_name_the_row(client, elements):
    response = post(client, values(("CQ-03-MAU", "10", {}), ("KHONG-CO", "1", {})))
    assert response.status_code == 409
    body = response.json()
    assert body["httpStatus"] == "Conflict" and body["status"] == "ERROR"
    (conflict,) = body["response"]["conflicts"]
    assert conflict["object"] == "KHONG-CO"
    assert "KHONG-CO" in conflict["value"]
    assert conflict["property"] == "dataElement" and conflict["indexes"] == [1]
    assert conflict["path"] == "dataValues[1]"
    assert body["response"]["importCount"]["ignored"] == 2
    assert not DataValue.objects.exists()


def test_a_vietnamese_number_is_a_conflict_on_the_value(client, elements):
    response = post(client, values(("CQ-03-MAU", "1.234,5", {})))
    (conflict,) = response.json()["response"]["conflicts"]
    assert conflict["property"] == "value" and conflict["object"] == "1.234,5"


def test_deleted_true_deletes_the_value(client, elements):
    post(client, values(("CQ-03-MAU", "10", {})))
    response = post(client, values(("CQ-03-MAU", "10", {"deleted": True})))
    assert response.json()["response"]["importCount"]["deleted"] == 1
    assert not DataValue.objects.exists()
    assert DataValueAudit.objects.filter(action="delete").count() == 1


def test_import_strategies_create_update_and_delete(client, elements):
    post(client, values(("CQ-03-MAU", "10", {})))
    create = post(
        client,
        values(("CQ-03-MAU", "11", {}), ("CQ-03-TU", "5", {})),
        params="?importStrategy=CREATE",
    )
    assert create.json()["response"]["importCount"] == {
        "imported": 1, "updated": 0, "ignored": 1, "deleted": 0
    }  # fmt: skip
    assert DataValue.objects.get(data_element__code="CQ-03-MAU").value == 10
    DataValue.objects.filter(data_element__code="CQ-03-TU").delete()
    update = post(
        client,
        values(("CQ-03-MAU", "12", {}), ("CQ-03-TU", "5", {})),
        params="?importStrategy=UPDATE",
    )
    assert update.json()["response"]["importCount"] == {
        "imported": 0, "updated": 1, "ignored": 1, "deleted": 0
    }  # fmt: skip
    delete = post(client, values(("CQ-03-MAU", "99", {})), params="?importStrategy=DELETE")
    assert delete.json()["response"]["importCount"]["deleted"] == 1
    assert not DataValue.objects.exists()


def test_stored_by_comment_and_followup_are_kept_and_a_missing_comment_keeps_the_stored_one(
    client, elements
):
    post(
        client,
        values(
            ("CQ-03-MAU", "10", {"storedBy": "dhis2-sync", "comment": "Theo sổ", "followup": True})
        ),
    )
    stored = DataValue.objects.get()
    assert (stored.stored_by, stored.comment, stored.followup) == ("dhis2-sync", "Theo sổ", True)
    post(client, values(("CQ-03-MAU", "11", {})))
    stored.refresh_from_db()
    # Without storedBy the user saving it stores it, as on DHIS2; the comment is kept.
    assert (stored.value, stored.comment, stored.stored_by) == (11, "Theo sổ", "officer_a")


def test_the_default_category_option_combo_is_accepted_and_others_refused_by_name(client, elements):
    ok = post(
        client,
        values(
            ("CQ-03-MAU", "10", {"categoryOptionCombo": "HllvX50cXC0"}),
            (
                "CQ-03-TU",
                "5",
                {"categoryOptionCombo": "default", "attributeOptionCombo": "HllvX50cXC0"},
            ),
        ),
    )
    assert ok.status_code == 200, ok.content
    bad = post(client, values(("CQ-03-MAU", "9", {"categoryOptionCombo": "Prlt0C1RF0s"})))
    (conflict,) = bad.json()["response"]["conflicts"]
    assert conflict["property"] == "categoryOptionCombo" and conflict["object"] == "Prlt0C1RF0s"
    assert DataValue.objects.get(data_element__code="CQ-03-MAU").value == 10


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ("?skipAudit=true", "skipAudit"),
        ("?importStrategy=MERGE", "importStrategy"),
        ("?idScheme=UID", "idScheme"),
        ("?orgUnitIdScheme=NAME", "orgUnitIdScheme"),
        ("?force=true", "force"),
        ("?dryRun=maybe", "dryRun"),
        ("?mergeMode=MERGE", "mergeMode"),
    ],
)
def test_an_unknown_or_unsupported_option_is_refused_by_name(client, elements, params, name):
    response = post(client, values(("CQ-03-MAU", "10", {})), params=params)
    assert response.status_code == 409
    body = response.json()["response"]
    assert body["status"] == "ERROR"
    assert [c["object"] for c in body["conflicts"]] == [name]
    assert not DataValue.objects.exists()


def test_code_id_schemes_and_dry_run_are_honoured(client, elements):
    response = post(
        client,
        values(("CQ-03-MAU", "10", {})),
        params="?idScheme=CODE&orgUnitIdScheme=code&dryRun=true&preheatCache=false",
    )
    assert response.json()["response"]["importCount"]["imported"] == 1
    assert response.json()["response"]["importOptions"]["dryRun"] is True
    assert not DataValue.objects.exists()


def test_an_unknown_content_type_is_refused_naming_it(client, elements):
    response = post(client, "de=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 409
    (conflict,) = response.json()["response"]["conflicts"]
    assert conflict["object"] == "Content-Type"


def test_dhis2s_xml_data_value_set_is_imported(client, elements):
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="2024Q1" orgUnit="99001">'
        '<dataValue dataElement="CQ-03-MAU" value="12" comment="Theo sổ" followup="true"/>'
        '<dataValue dataElement="CQ-03-TU" categoryOptionCombo="HllvX50cXC0" value="7"/>'
        "</dataValueSet>"
    )
    response = post(client, xml, content_type="application/xml")
    assert response.status_code == 200, response.content
    assert response.json()["response"]["importCount"]["imported"] == 2
    stored = DataValue.objects.get(data_element__code="CQ-03-MAU")
    assert (stored.comment, stored.followup) == ("Theo sổ", True)


def test_xml_with_a_doctype_or_broken_xml_is_refused(client, elements):
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><dataValueSet/>'
    assert post(client, bomb, content_type="text/xml").status_code == 409
    broken = post(client, "<dataValueSet>", content_type="application/xml")
    assert broken.status_code == 409 and not DataValue.objects.exists()


def test_async_runs_as_a_task_with_a_status_url(
    client, elements, django_capture_on_commit_callbacks
):
    # The task is queued when the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, values(("CQ-03-MAU", "10", {})), params="?async=true")
    assert response.status_code == 200, response.content
    job = response.json()["response"]
    assert job["jobType"] == "DATAVALUE_IMPORT"
    assert job["relativeNotifierEndpoint"] == f"/api/system/tasks/DATAVALUE_IMPORT/{job['id']}"
    notes = client.get(job["relativeNotifierEndpoint"], **basic("officer_a")).json()
    assert notes[0]["completed"] is True
    summary = client.get(
        f"/api/system/taskSummaries/DATAVALUE_IMPORT/{job['id']}", **basic("officer_a")
    ).json()
    assert summary["importCount"]["imported"] == 1 and summary["importOptions"]["async"] is True
    assert DataValue.objects.get().value == 10
    # Another user's job is not found.
    other = client.get(job["relativeNotifierEndpoint"], **basic("officer_b"))
    assert other.status_code == 404


# --- CSV -------------------------------------------------------------------------------

DHIS2_CSV = (
    '"dataelement","period","orgunit","catoptcombo","attroptcombo","value","strby","lstupd","cmt"\n'
    '"CQ-03-MAU","2024Q1","99001","","","10","dhis2","2024-04-01","Theo sổ"\n'
    '"CQ-03-TU","2024Q1","99001","HllvX50cXC0","HllvX50cXC0","5","dhis2","2024-04-01",""\n'
)


def test_dhis2s_documented_csv_with_short_headers_keeps_the_comment(client, elements):
    response = post(client, DHIS2_CSV, content_type="application/csv")
    assert response.status_code == 200, response.content
    assert DataValue.objects.get(data_element__code="CQ-03-MAU").comment == "Theo sổ"


def test_the_documented_csv_rows_with_an_empty_attribute_combo_and_comment_are_read(
    client, elements
):
    # DHIS2's guide, "Sending data values in CSV format": the attribute combo left empty
    # and unquoted, no comment after the last comma (default combo for its catoptcombo).
    csv = (
        '"dataelement","period","orgunit","catoptcombo","attroptcombo","value","strby",'
        '"lstupd","cmt"\n'
        '"CQ-03-MAU","2024Q1","99001","HllvX50cXC0",,"7","bombali","2010-04-17",\n'
        '"CQ-03-TU","2024Q1","99001","HllvX50cXC0",,"5","bombali","2010-04-17",\n'
    )
    response = post(client, csv, content_type="application/csv")
    assert response.status_code == 200, response.content
    assert response.json()["response"]["importCount"]["imported"] == 2
    stored = DataValue.objects.get(data_element__code="CQ-03-MAU")
    assert (stored.value, stored.stored_by, stored.comment) == (7, "bombali", "")


def test_the_header_of_dhis2s_documented_export_is_read_by_name_in_any_order(client, elements):
    # DHIS2's guide shows its CSV export with a "flwup" column; reordered, it is read by
    # name (a header with an unknown name would be read by position instead).
    csv = "period,orgunit,dataelement,value,flwup,comment\n2024Q1,99001,CQ-03-MAU,12,true,Theo sổ\n"
    response = post(client, csv, content_type="text/csv")
    assert response.status_code == 200, response.content
    stored = DataValue.objects.get()
    assert (stored.value, stored.followup, stored.comment) == (12, True, "Theo sổ")


def test_a_positional_csv_with_any_header_is_read_by_position(client, elements):
    csv = "de,pe,ou,coc,aoc,value,storedby,lastupdated,comment\nCQ-03-MAU,2024Q1,99001,,,10,x,,Ghi chú\n"
    response = post(client, csv, content_type="text/csv")
    assert response.status_code == 200, response.content
    assert DataValue.objects.get().comment == "Ghi chú"


def test_a_csv_without_the_comment_column_keeps_the_stored_comment(client, elements):
    post(client, DHIS2_CSV, content_type="text/csv")
    response = post(
        client,
        "dataelement,period,orgunit,value\nCQ-03-MAU,2024Q1,99001,12\n",
        content_type="text/csv",
    )
    assert response.json()["response"]["importCount"]["updated"] == 1
    stored = DataValue.objects.get(data_element__code="CQ-03-MAU")
    assert (stored.value, stored.comment) == (12, "Theo sổ")


def test_a_csv_row_with_fewer_columns_than_the_layout_is_refused_naming_it(client, elements):
    csv = "de,pe,ou,coc,aoc,value\nCQ-03-MAU,2024Q1,99001,,,10\nCQ-03-TU,2024Q1,99001\n"
    response = post(client, csv, content_type="text/csv")
    assert response.status_code == 409
    (conflict,) = response.json()["response"]["conflicts"]
    assert conflict["path"] == "Dòng 3" and "value" in conflict["value"]
    assert not DataValue.objects.exists()


def test_first_row_is_header_false_reads_the_first_row_as_data(client, elements):
    csv = "CQ-03-MAU,2024Q1,99001,,,10\n"
    response = post(client, csv, params="?firstRowIsHeader=false", content_type="text/csv")
    assert response.json()["response"]["importCount"]["imported"] == 1


# --- export ----------------------------------------------------------------------------


def _stock(client):
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-MAU", "period": p, "orgUnit": ou, "value": "10", "comment": "c"}
            for p in ("2024Q1", "2024Q2", "2023Q4")
            for ou in ("99001", "99001-AP1")
        ]
    }
    assert post(client, body, user="province_officer").status_code == 200


def test_get_data_value_sets_filters_and_answers_json_and_csv(
    client, elements, django_assert_max_num_queries
):
    _stock(client)
    with django_assert_max_num_queries(8):
        response = client.get(
            f"{URL}.json?dataElement=CQ-03-MAU&orgUnit=99001&period=2024Q1&period=2024Q2",
            **basic("officer_a"),
        )
    assert response.status_code == 200, response.content
    rows = response.json()["dataValues"]
    assert [(r["period"], r["orgUnit"]) for r in rows] == [("2024Q1", "99001"), ("2024Q2", "99001")]
    assert rows[0]["categoryOptionCombo"] == "HllvX50cXC0" and rows[0]["comment"] == "c"
    assert rows[0]["storedBy"] == "province_officer"
    children = client.get(
        f"{URL}.json?dataElement=CQ-03-MAU&orgUnit=99001&children=true"
        "&startDate=2024-01-01&endDate=2024-12-31",
        **basic("officer_a"),
    ).json()["dataValues"]
    assert len(children) == 4
    csv = client.get(
        f"{URL}.csv?dataElement=CQ-03-MAU&orgUnit=99001&lastUpdated=2000-01-01",
        **basic("officer_a"),
    )
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("dataelement,period,orgunit,catoptcombo,attroptcombo,value")
    assert len(lines) == 4


def test_an_exported_csv_imports_back_unchanged(client, elements):
    _stock(client)
    csv = client.get(
        f"{URL}.csv?dataElement=CQ-03-MAU&orgUnit=99&children=true&period=2024Q1",
        **basic("province_officer"),
    ).content.decode()
    response = post(client, csv, user="province_officer", content_type="text/csv")
    assert response.json()["response"]["importCount"]["ignored"] == 2, response.content


def test_the_export_needs_its_filters_and_hides_other_units(client, elements):
    missing = client.get(f"{URL}.json?orgUnit=99001", **basic("officer_a"))
    assert missing.status_code == 400
    reports = {r["property"] for r in missing.json()["errorReports"]}
    assert reports == {"dataSet", "period"}
    foreign = client.get(
        f"{URL}.json?dataElement=CQ-03-MAU&orgUnit=99001&period=2024Q1", **basic("officer_b")
    )
    assert foreign.status_code == 404


# --- DHIS2's summary, field by field ------------------------------------------------------


def test_conflicts_carry_dhis2s_error_codes_and_object_types(client, world, elements):
    response = post(
        client,
        {
            "dataValues": [
                {"dataElement": "KHONG-CO", "period": "2024Q1", "orgUnit": "99001", "value": "1"},
                {"dataElement": "CQ-03-MAU", "period": "2024Q9", "orgUnit": "99001", "value": "1"},
                {"dataElement": "CQ-03-MAU", "period": "2024Q1", "orgUnit": "00000", "value": "1"},
                {"dataElement": "CQ-03-MAU", "period": "2024Q1", "orgUnit": "99001",
                 "categoryOptionCombo": "Prlt0C1RF0s", "value": "1"},
                {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001",
                 "attributeOptionCombo": "Prlt0C1RF0s", "value": "1"},
                {"dataElement": "CQ-03-TU", "period": "2024Q2", "orgUnit": "99001",
                 "value": "1.234,5"},
            ]
        },
    )  # fmt: skip
    conflicts = response.json()["response"]["conflicts"]
    assert [(c["errorCode"], c["property"], c["indexes"]) for c in conflicts] == [
        ("E7610", "dataElement", [0]),
        ("E7611", "period", [1]),
        ("E7612", "orgUnit", [2]),
        ("E7613", "categoryOptionCombo", [3]),
        ("E7615", "attributeOptionCombo", [4]),
        ("E7619", "value", [5]),
    ]
    # DHIS2 names the object's type in `objects`: an org unit is an organisationUnit.
    assert conflicts[2]["objects"] == {"organisationUnit": "00000"}
    assert conflicts[0]["objects"] == {"dataElement": "KHONG-CO"}
    assert response.json()["response"]["rejectedIndexes"] == [0, 1, 2, 3, 4, 5]


def test_a_unit_the_user_sees_but_may_not_write_for_is_dhis2s_e7617(client, world, elements):
    # The viewer sees the whole province and enters no figure.
    (conflict,) = post(client, values(("CQ-03-MAU", "1", {})), user="viewer").json()["response"][
        "conflicts"
    ]
    assert (conflict["errorCode"], conflict["property"]) == ("E7617", "orgUnit")
    assert conflict["objects"] == {"organisationUnit": "99001"}


def test_the_import_options_block_has_every_field_dhis2_answers(client, elements):
    options = post(client, values(("CQ-03-MAU", "10", {}))).json()["response"]["importOptions"]
    # The fields of DHIS2 2.40's importOptions, as a 2.40.9 server answers them.
    assert set(options) >= {
        "idSchemes", "dryRun", "preheatCache", "async", "importStrategy", "mergeMode",
        "reportMode", "skipExistingCheck", "sharing", "skipNotifications", "skipAudit",
        "datasetAllowsPeriods", "strictPeriods", "strictDataElements",
        "strictCategoryOptionCombos", "strictAttributeOptionCombos", "strictOrganisationUnits",
        "strictDataSetApproval", "strictDataSetLocking", "strictDataSetInputPeriods",
        "requireCategoryOptionCombo", "requireAttributeOptionCombo", "skipPatternValidation",
        "ignoreEmptyCollection", "force", "firstRowIsHeader", "skipLastUpdated",
        "mergeDataValues", "skipCache",
    }  # fmt: skip


def test_a_numerator_above_its_denominator_names_its_row_without_an_error_code(client, elements):
    response = post(client, values(("CQ-03-MAU", "5", {}), ("CQ-03-TU", "7", {})))
    (conflict,) = response.json()["response"]["conflicts"]
    assert (conflict["object"], conflict["property"], conflict["indexes"]) == (
        "CQ-03-TU", "value", [1]
    )  # fmt: skip
    assert "errorCode" not in conflict  # DHIS2 has no such check, hence no code
    assert response.json()["response"]["rejectedIndexes"] == [1]


# --- dataSet: completing a report, exporting a form ---------------------------------------


def _form_document(**header):
    from .factories import OPEN_PERIOD

    return {
        "dataSet": "BM-T",
        "period": OPEN_PERIOD,
        "orgUnit": "99001",
        **header,
        "dataValues": [
            {"dataElement": code, "value": value}
            for code, value in {"HS-TU": "1234", "HS-MAU": "2000", "TYLE": "97.5", "CUOC": "3",
                                "KP": "1234.5"}.items()
        ],
    }  # fmt: skip


def test_a_complete_date_submits_the_report_and_the_summary_says_when(client, world):
    from dxboard.reporting.models import Submission

    from .factories import make_form

    make_form(world.province)
    response = post(client, _form_document(completeDate="2024-03-10"))
    assert response.status_code == 200, response.content
    assert response.json()["response"]["dataSetComplete"] == "2024-03-10"
    assert Submission.objects.get(unit=world.commune_a).status == "submitted"


def test_a_refused_completion_answers_an_import_summary_and_keeps_nothing(client, world):
    from dxboard.reporting.models import Submission

    from .factories import make_form

    make_form(world.province)
    assert post(client, _form_document(completeDate="2024-03-10")).status_code == 200
    DataValue.objects.all().delete()
    Submission.objects.update(status="draft")
    # A second completion of a report of another form code that does not exist.
    response = post(client, _form_document(dataSet="BM-KHONG-CO", completeDate="2024-03-11"))
    assert response.status_code == 409
    body = response.json()
    assert body["response"]["responseType"] == "ImportSummary"
    assert body["response"]["status"] == "ERROR"
    assert body["response"]["dataSetComplete"] == "false"
    (conflict,) = body["response"]["conflicts"]
    assert conflict["object"] == "BM-KHONG-CO" and conflict["value"]
    assert not DataValue.objects.exists()


def test_get_data_value_sets_by_data_set_answers_the_forms_values(client, world):
    from .factories import make_form

    make_form(world.province)
    assert post(client, _form_document()).status_code == 200
    response = client.get(
        f"{URL}.json?dataSet=BM-T&orgUnit=99001&period=2024Q1", **basic("officer_a")
    )
    assert response.status_code == 200, response.content
    document = response.json()
    assert document["dataSet"] == "BM-T"
    assert {r["dataElement"] for r in document["dataValues"]} == {
        "HS-TU", "HS-MAU", "TYLE", "CUOC", "KP"
    }  # fmt: skip
    unknown = client.get(
        f"{URL}.json?dataSet=BM-KHONG-CO&orgUnit=99001&period=2024Q1", **basic("officer_a")
    )
    assert unknown.status_code == 404


def test_values_of_a_submitted_report_are_conflicts_naming_element_and_row(client, world):
    from .factories import make_form

    make_form(world.province)
    assert post(client, _form_document(completeDate="2024-03-10")).status_code == 200
    changed = _form_document()
    changed["dataValues"][1]["value"] = "2001"
    response = post(client, changed)
    assert response.status_code == 409
    summary = response.json()["response"]
    assert summary["conflicts"][1]["object"] == "HS-MAU"
    assert summary["conflicts"][1]["property"] == "dataElement"
    assert summary["rejectedIndexes"] == [0, 1, 2, 3, 4]
    assert DataValue.objects.get(data_element__code="HS-MAU").value == 2000


# --- a write refused mid-way (a concurrent import) --------------------------------------


def test_a_conflict_while_saving_answers_an_import_summary(client, elements, monkeypatch):
    from dxboard.errors import Conflict
    from dxboard.reporting.dhis2 import views

    def busy(*args, **kwargs):
        raise Conflict("Số liệu vừa được người khác ghi; hãy gửi lại.")

    monkeypatch.setattr(views, "import_data_value_set", busy)
    response = post(client, values(("CQ-03-MAU", "10", {})))
    assert response.status_code == 409
    summary = response.json()["response"]
    assert summary["responseType"] == "ImportSummary" and summary["status"] == "ERROR"
    assert summary["conflicts"][0]["value"] == "Số liệu vừa được người khác ghi; hãy gửi lại."


def test_an_async_import_that_fails_still_completes_with_its_error(
    client, elements, monkeypatch, django_capture_on_commit_callbacks
):
    from dxboard.errors import Conflict
    from dxboard.reporting.services import api_import

    def busy(*args, **kwargs):
        raise Conflict("Số liệu vừa được người khác ghi; hãy gửi lại.")

    monkeypatch.setattr(api_import, "import_data_value_set", busy)
    with django_capture_on_commit_callbacks(execute=True):
        job = post(client, values(("CQ-03-MAU", "10", {})), params="?async=true").json()
    notes = client.get(job["response"]["relativeNotifierEndpoint"], **basic("officer_a")).json()
    # A client polls until `completed`: a failed import must get there too.
    assert notes[0]["completed"] is True and notes[0]["level"] == "ERROR"
    summary = client.get(
        f"/api/system/taskSummaries/DATAVALUE_IMPORT/{job['response']['id']}",
        **basic("officer_a"),
    ).json()
    assert summary["status"] == "ERROR"
    assert summary["conflicts"][0]["value"] == "Số liệu vừa được người khác ghi; hãy gửi lại."


def test_an_async_import_that_crashes_is_completed_with_an_error_and_raises(
    world, elements, monkeypatch
):
    from dxboard.collection.models import ImportJob, ImportJobStatus
    from dxboard.reporting.dhis2.options import ImportOptions
    from dxboard.reporting.dhis2.tasks import import_job_task, start_import
    from dxboard.reporting.services import api_import

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(api_import, "import_data_value_set", crash)
    body = json.dumps(values(("CQ-03-MAU", "10", {}))).encode()
    job_id = start_import(world.officer_a, body, csv_format=False, options=ImportOptions())
    with pytest.raises(RuntimeError):
        import_job_task.call(str(job_id))
    job = ImportJob.objects.get(pk=job_id)
    assert job.status == ImportJobStatus.DONE and job.summary["status"] == "ERROR"
    assert "disk full" not in json.dumps(job.summary)  # no server internals to the client


def test_the_forms_data_value_set_answers_the_kept_stored_by(client, client_for, world):
    from .factories import OPEN_PERIOD, make_form

    make_form(world.province)
    document = _form_document()
    document["dataValues"][0]["storedBy"] = "dhis2-sync"
    assert post(client, document).status_code == 200
    read = client_for("officer_a").get(
        f"/api/v1/forms/BM-T/dataValueSet?period={OPEN_PERIOD}&orgUnit=99001"
    )
    stored_by = {v["dataElement"]: v["storedBy"] for v in read.json()["dataValues"]}
    assert stored_by["HS-TU"] == "dhis2-sync" and stored_by["HS-MAU"] == "officer_a"
