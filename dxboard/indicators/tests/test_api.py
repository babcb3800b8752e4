"""The catalogue and programme endpoints and POST /metadata."""

from __future__ import annotations

import json

import pytest

from dxboard.evaluation.tests.factories import make_programme, ratio
from dxboard.indicators.services import load_catalogue

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_public_and_costs_few_queries(client, db, django_assert_max_num_queries):
    load_catalogue()
    with django_assert_max_num_queries(3):
        indicators = client.get("/api/v1/indicators").json()
    assert len(indicators) >= 30
    cq03 = next(i for i in indicators if i["code"] == "CQ-03")
    assert cq03["numerator"] == "CQ-03-TU" and cq03["pillarName"] == "Chính quyền số"
    assert len(client.get("/api/v1/dataElements").json()) > 60
    assert all(i["pillar"] == "attt" for i in client.get("/api/v1/indicators?pillar=attt").json())
    # An unknown pillar is an error, not an empty catalogue.
    unknown = client.get("/api/v1/indicators?pillar=chinh-quyen-so")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"][0]["path"] == "pillar"


def test_programmes_are_listed_for_those_who_may_read_them(client_for, world):
    make_programme("99001", [ratio("R")], [("R", 2024, 80)], code="CT-A")
    make_programme("99", [ratio("R")], [("R", 2024, 80)], code="CT-TINH", is_public=True)

    def codes(persona):
        return {p["code"] for p in client_for(persona).get("/api/v1/programmes").json()}

    assert codes("anonymous") == {"CT-TINH"}
    assert codes("officer_a") == {"CT-A", "CT-TINH"}
    assert codes("officer_b") == {"CT-TINH"}
    detail = client_for("officer_a").get("/api/v1/programmes/CT-A").json()
    assert detail["indicators"][0]["code"] == "R"
    assert detail["targets"] == [
        {"indicator": "R", "year": 2024, "orgUnit": "99001", "value": 80.0, "source": ""}
    ]
    assert client_for("officer_b").get("/api/v1/programmes/CT-A").status_code == 404


def test_post_metadata_answers_the_summary_or_the_errors_with_paths(client_for, world):
    doc = ratio("HS")
    client = client_for("province_officer")
    dry = client.post(
        "/api/v1/metadata?dryRun=true", json.dumps(doc), content_type="application/json"
    )
    assert dry.status_code == 200 and dry.json()["dryRun"]
    ok = client.post("/api/v1/metadata", json.dumps(doc), content_type="application/json")
    assert ok.json()["typeReports"]["indicators"] == {"created": 1, "updated": 0}
    doc["indicators"][0]["direction"] = "sideways"
    bad = client.post("/api/v1/metadata", json.dumps(doc), content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["path"] == "indicators[0].direction"
    broken = client.post("/api/v1/metadata", "{", content_type="application/json")
    assert broken.status_code == 400
