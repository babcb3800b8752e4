"""The scorecards API: sets, scores, transitions, results; an integrator's token reads
published results; errors in the one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dxboard.accounts.services import create_token
from dxboard.scorecards import services
from dxboard.scorecards.models import Scorecard
from dxboard.scorecards.tests.factories import ENTRIES_A, set_document
from dxboard.testing import World, make_user


def _post(client: Client, url: str, body: object, **headers: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_province_officer_posts_a_set_and_reads_it_back(client: Client, world: World) -> None:
    client.force_login(world.province_officer)
    response = _post(client, "/api/v1/scorecards?dryRun=true", set_document())
    assert response.status_code == 200, response.content
    assert not Scorecard.objects.exists()
    response = _post(client, "/api/v1/scorecards", set_document())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "open"
    detail = client.get("/api/v1/scorecards/XA-2025").json()
    assert [g["code"] for g in detail["groups"]] == ["NT", "CQ", "TT"]
    assert detail["groups"][0]["criteria"][0]["rule"]["type"] == "steps"
    assert [s["code"] for s in client.get("/api/v1/scorecards").json()] == ["XA-2025"]


@pytest.mark.django_db
def test_a_set_whose_maxima_do_not_add_up_answers_400_naming_the_numbers(
    client: Client, world: World
) -> None:
    client.force_login(world.province_officer)
    response = _post(client, "/api/v1/scorecards", set_document(maxPoints=150))
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert {
        "path": "maxPoints",
        "message": "Các nhóm chỉ số cộng lại 200 điểm, khác tổng điểm của bộ chỉ số 150.",
    } in details
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_scores_transitions_and_results_through_the_api(client: Client, world: World) -> None:
    services.import_scorecard(world.province_officer, set_document())
    client.force_login(world.officer_a)
    response = _post(
        client,
        "/api/v1/scorecards/XA-2025/scores",
        {"scores": [{"unit": "99001", **e} for e in ENTRIES_A]},
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"changed": 8}
    bad = _post(
        client,
        "/api/v1/scorecards/XA-2025/scores",
        {"scores": [{"unit": "99001", "criterion": "NT-5", "points": "nhiều"}]},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["path"] == "scores[0].points"
    client.force_login(world.approver_a)
    assert (
        _post(
            client, "/api/v1/scorecards/XA-2025/transitions", {"action": "submit", "unit": "99001"}
        ).status_code
        == 200
    )
    # Before publication, commune A reads only its own row, without a rank.
    mine = client.get("/api/v1/scorecards/XA-2025/results").json()
    assert mine["complete"] is False
    assert [(r["unit"], r["rank"]) for r in mine["results"]] == [("99001", None)]
    client.force_login(world.province_officer)
    for action in (
        {"action": "review"},
        {"action": "confirm", "decision": "QĐ 5/QĐ-HĐTĐ"},
        {"action": "publish"},
    ):
        response = _post(client, "/api/v1/scorecards/XA-2025/transitions", action)
        assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    # An integrator's token, with no role anywhere, reads the published results.
    integrator = make_user("ioc")
    _token, secret = create_token(integrator, "IOC")
    client.logout()
    response = client.get(
        "/api/v1/scorecards/XA-2025/results?group=CQ", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["complete"] is True
    first = body["results"][0]
    assert first["unit"] == "99001" and first["rank"] == 1
    assert first["maxPoints"] == 100  # the group's, as asked
    assert first["rankingPoints"] == first["points"]  # every CQ criterion is ranked
    assert body["results"][1]["submitted"] is False and body["results"][1]["points"] == 0
    assert (
        client.get(
            "/api/v1/scorecards/XA-2025/results?group=XX", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code
        == 400
    )
    unknown = client.get(
        "/api/v1/scorecards/XA-2025/results?peers=KHONG-CO", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"] == [
        {"path": "peers", "message": "Không tìm thấy nhóm đơn vị “KHONG-CO”."}
    ]


@pytest.mark.django_db
def test_the_results_endpoint_takes_a_fixed_number_of_queries(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    services.import_scorecard(world.province_officer, set_document())
    services.save_scores(
        world.officer_a, Scorecard.objects.get(), [{"unit": "99001", **e} for e in ENTRIES_A]
    )
    client.force_login(world.province_officer)
    with django_assert_max_num_queries(14):
        response = client.get("/api/v1/scorecards/XA-2025/results")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_endpoints_are_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/scorecards",
        "/api/v1/scorecards/{code}",
        "/api/v1/scorecards/{code}/scores",
        "/api/v1/scorecards/{code}/transitions",
        "/api/v1/scorecards/{code}/results",
    ):
        assert path in paths, path
