"""GET /programmes/{code}/evaluation and `dxboard evaluate`."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from dxboard.evaluation.tests.factories import make_programme, put, ratio, single

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(world):
    programme = make_programme(
        "99",
        [ratio("CQ-X"), single("NL-X", value_type="number")],
        [("CQ-X", 2024, 90), ("NL-X", 2024, 2000)],
        code="CT-553",
    )
    put(
        ("CQ-X-TU", "99001", "2024Q1", 12316),
        ("CQ-X-MAU", "99001", "2024Q1", 12775),
        ("NL-X", "99002", "2024Q2", 1234.5),
    )
    return programme


def test_the_evaluation_has_the_shape_of_the_issue(
    client_for, programme, django_assert_max_num_queries
):
    client = client_for("viewer")
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/programmes/CT-553/evaluation?unit=99&period=2024")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["programme"]["code"] == "CT-553"
    assert body["unit"] == {"code": "99", "name": "Tỉnh Thử Nghiệm"}
    assert body["period"] == {"code": "2024", "label": "Năm 2024"}
    assert body["summary"] == {
        "total": 2,
        "withTarget": 2,
        "met": 1,
        "ge70": 0,
        "ge50": 1,
        "lt50": 0,
        "noData": 0,
        "noTarget": 0,
        "metRate": 50.0,
    }
    cq = body["indicators"][0]
    assert (cq["code"], cq["actual"], cq["target"], cq["status"]) == ("CQ-X", 96.4, 90.0, "met")
    assert (cq["numerator"], cq["denominator"]) == (12316.0, 12775.0)
    assert body["indicators"][1]["achievement"] == 61.7


def test_a_public_programme_is_readable_without_login(client_for, programme):
    anonymous = client_for("anonymous")
    url = "/api/v1/programmes/CT-553/evaluation?period=2024Q1"
    assert anonymous.get(url).status_code == 404
    programme.is_public = True
    programme.save()
    assert anonymous.get(url).json()["summary"]["met"] == 1
    assert anonymous.get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_bad_periods_and_units_are_named(client_for, programme):
    client = client_for("admin")
    bad = client.get("/api/v1/programmes/CT-553/evaluation?period=2024Q5")
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["path"] == "period"
    assert (
        client.get("/api/v1/programmes/CT-553/evaluation?period=2024&unit=KHONG").status_code == 404
    )
    outsider = client_for("officer_b").get(
        "/api/v1/programmes/CT-553/evaluation?period=2024&unit=99001"
    )
    assert outsider.status_code == 404


def test_the_command_prints_json_and_a_vietnamese_table(programme, capsys):
    call_command(
        "evaluate", "--programme", "CT-553", "--unit", "99", "--period", "2024", "--format", "json"
    )
    assert json.loads(capsys.readouterr().out)["summary"]["metRate"] == 50.0
    call_command("evaluate", "--programme", "CT-553", "--period", "2024")
    table = capsys.readouterr().out
    assert "Thực hiện" in table and "Kế hoạch" in table and "Tình trạng" in table
    assert "96,4" in table and "1.234,5" in table and "2.000" in table
    assert "1/2 chỉ tiêu đạt, 50,0 %" in table
    with pytest.raises(CommandError):
        call_command("evaluate", "--programme", "CT-553", "--period", "202413")


def test_an_unchanged_evaluation_answers_304_to_its_etag(client_for, programme):
    client = client_for("viewer")
    url = "/api/v1/programmes/CT-553/evaluation?unit=99&period=2024"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert "private" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    put(("NL-X", "99002", "2024Q3", 1))
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_etag_does_not_skip_the_access_check(client_for, programme):
    etag = client_for("viewer").get("/api/v1/programmes/CT-553/evaluation?unit=99002")["ETag"]
    outsider = client_for("officer_a")  # commune A's officer may not see commune B
    response = outsider.get(
        "/api/v1/programmes/CT-553/evaluation?unit=99002", HTTP_IF_NONE_MATCH=etag
    )
    assert response.status_code == 404
