"""datastore_search over each kind of source, and tables that follow the data."""

from __future__ import annotations

import io
import json
import sys
import types
from datetime import date
from typing import Any

import pytest
from django.test import Client

from dxboard.evaluation.demo import PROGRAMME_CODE
from dxboard.evaluation.demo import load_demo as load_evaluation_demo
from dxboard.indicators.models import Programme
from dxboard.opendata import services, sources
from dxboard.opendata.models import Dataset
from dxboard.opendata.resources import resources_of
from dxboard.opendata.tables import table_for
from dxboard.opendata.tests.factories import make_dataset, make_projects
from dxboard.projects import services as project_services
from dxboard.projects.models import Item
from dxboard.testing import World

pytestmark = pytest.mark.django_db


def search(client: Client, **data: Any) -> tuple[int, Any]:
    response = client.post(
        "/api/3/action/datastore_search", data=json.dumps(data), content_type="application/json"
    )
    return response.status_code, response.json()


@pytest.fixture
def results(world: World) -> Dataset:
    load_evaluation_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    return make_dataset(
        world,
        name="ket-qua-chi-tieu",
        title="Kết quả thực hiện chỉ tiêu chuyển đổi số",
        source="evaluation",
        programme=Programme.objects.get(code=PROGRAMME_CODE),
        period_start="2024Q1",
        period_end="2024Q4",
    )


def test_programme_results_come_from_the_evaluation_engine(world: World, results: Dataset) -> None:
    from dxboard.evaluation.services import evaluate
    from dxboard.periods import parse_period

    table = table_for(results)
    # The province and its two communes × 4 quarters × 24 indicators.
    assert len(table.rows) == 3 * 4 * 24
    assert results.programme is not None
    assert results.programme is not None
    expected = evaluate(results.programme, world.province, parse_period("2024Q4"), user=None)
    records = [r for r in table.records() if r["unit_code"] == "99" and r["period"] == "2024Q4"]
    assert [r["indicator_code"] for r in records] == [i.code for i in expected.indicators]
    assert [r["status"] for r in records] == [i.status for i in expected.indicators]
    assert records[0]["period_label"] == "Quý IV/2024"


def test_datastore_search_filters_sorts_pages_and_counts(
    client: Client, world: World, results: Dataset
) -> None:
    resource_id = resources_of(results)[1].id
    status, body = search(
        client,
        resource_id=resource_id,
        filters={"unit_code": "99001", "period": ["2024Q1", "2024Q2"]},
        sort="indicator_code desc, period",
        fields=["_id", "indicator_code", "period", "actual"],
        limit=5,
        offset=2,
    )
    assert status == 200 and body["success"]
    result = body["result"]
    assert result["total"] == 48 and result["total_was_estimated"] is False
    assert [f["id"] for f in result["fields"]] == ["_id", "indicator_code", "period", "actual"]
    assert len(result["records"]) == 5
    wanted = [
        (r["indicator_code"], r["period"])
        for r in table_for(results).records()
        if r["unit_code"] == "99001" and r["period"] in ("2024Q1", "2024Q2")
    ]
    wanted.sort(key=lambda c: str(c[1]))
    wanted.sort(key=lambda c: str(c[0]), reverse=True)
    assert [(r["indicator_code"], r["period"]) for r in result["records"]] == wanted[2:7]
    assert result["limit"] == 5 and result["offset"] == 2


def test_paging_is_stable_and_covers_every_row_once(client: Client, results: Dataset) -> None:
    resource_id = resources_of(results)[0].id
    seen = []
    for offset in range(0, 288, 100):
        _status, body = search(
            client, resource_id=resource_id, sort="status", limit=100, offset=offset
        )
        seen += [r["_id"] for r in body["result"]["records"]]
    assert sorted(seen) == list(range(1, 289))
    _status, again = search(client, resource_id=resource_id, sort="status", limit=100, offset=100)
    assert [r["_id"] for r in again["result"]["records"]] == seen[100:200]


def test_filtered_sorted_paging_reads_every_matching_row_once(
    client: Client, results: Dataset
) -> None:
    # Sorted on a column with many ties (status), through filters and full text: pages of
    # 7 must together be the one long page, each row once, in the same order every time.
    resource_id = resources_of(results)[0].id
    request = {
        "resource_id": resource_id,
        "filters": {"period": ["2024Q2", "2024Q3"], "unit_code": ["99001", "99002"]},
        "q": "ty le",
        "sort": "status, achievement desc",
        "fields": ["_id"],
    }
    _status, whole = search(client, **request, limit=1000)
    total = whole["result"]["total"]
    assert total > 20
    walked: list[int] = []
    for offset in range(0, total, 7):
        _status, body = search(client, **request, limit=7, offset=offset)
        assert body["result"]["total"] == total
        walked += [r["_id"] for r in body["result"]["records"]]
    assert walked == [r["_id"] for r in whole["result"]["records"]]
    assert len(set(walked)) == total


@pytest.mark.parametrize(
    "request_",
    [
        {"filters": {"unit_code": "99001"}},
        {"filters": {"unit_code": ["99001", "99"], "period": "2024Q3"}},
        {"filters": {"period": "2024Q1", "status": ["met", "lt50"], "unit_code": "99002"}},
        {"filters": {"achievement": 100}},
        {"q": "dong hoa quy iii"},
        {"q": "Đông Hòa", "filters": {"period": "2024Q4"}},
        {"q": {"unit_name": "an binh", "period_label": "quý i/2024"}},
        {"q": "khong co dau"},
        {"filters": {"unit_code": "khong-co"}},
    ],
)
def test_index_matching_agrees_with_a_scan_of_every_row(
    client: Client, results: Dataset, request_: dict[str, Any]
) -> None:
    from dxboard.text import fold

    table = table_for(results)
    ids = table.field_ids
    filters = request_.get("filters", {})
    q = request_.get("q")

    def wanted(record: dict[str, Any]) -> bool:
        for name, value in filters.items():
            values = value if isinstance(value, list) else [value]
            if record[name] not in values:
                return False
        if isinstance(q, str):
            text = fold(
                " ".join(
                    str(v)
                    for f, v in record.items()
                    if v is not None and table.fields[ids.index(f)].type == "text"
                )
            )
            return all(w in text for w in fold(q).split())
        if isinstance(q, dict):
            return all(
                all(w in fold(str(record[n])) for w in fold(v).split()) for n, v in q.items()
            )
        return True

    expected = [i + 1 for i, record in enumerate(table.records()) if wanted(record)]
    for _round in range(2):  # the second answer comes from the kept matches
        _status, body = search(
            client, resource_id=resources_of(results)[0].id, fields=["_id"], limit=1000, **request_
        )
        assert [r["_id"] for r in body["result"]["records"]] == expected
        assert body["result"]["total"] == len(expected)


def test_datastore_search_full_text_ignores_diacritics_and_formats_records(
    client: Client, results: Dataset
) -> None:
    resource_id = resources_of(results)[0].id
    _status, body = search(client, resource_id=resource_id, q="xa an binh", limit=1)
    assert body["result"]["total"] == 4 * 24
    _status, body = search(
        client,
        resource_id=resource_id,
        q={"unit_name": "đông hòa"},
        records_format="lists",
        fields="unit_code,period",
        limit=2,
        include_total=False,
    )
    assert body["result"]["records"] == [["99002", "2024Q1"], ["99002", "2024Q1"]]
    assert "total" not in body["result"]
    _status, body = search(
        client, resource_id=resource_id, fields=["unit_code"], distinct=True, records_format="csv"
    )
    # Units in Vietnamese order: "Phường Đông Hòa" before "Xã An Bình".
    assert body["result"]["records"] == "99\n99002\n99001\n"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"filters": "[1, 2]"}, "filters"),
        ({"filters": '{"unit_code": "99"'}, "filters"),
        ({"filters": {"password": "x"}}, "filters"),
        ({"sort": "secret desc"}, "sort"),
        ({"sort": "unit_code sideways"}, "sort"),
        ({"fields": ["unit_code", "phone"]}, "fields"),
        ({"limit": -1}, "limit"),
        ({"limit": 100_000}, "limit"),
        ({"offset": "x"}, "offset"),
        ({"q": "x" * 10_000}, "q"),
        ({"records_format": "xml"}, "records_format"),
        ({"include_total": "maybe"}, "include_total"),
    ],
)
def test_datastore_search_rejects_bad_input_with_a_validation_error(
    client: Client, results: Dataset, data: dict[str, Any], field: str
) -> None:
    status, body = search(client, resource_id=resources_of(results)[0].id, **data)
    assert status == 409
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert body["error"][field]


def test_a_get_request_reads_json_parameters_from_the_query_string(
    client: Client, results: Dataset
) -> None:
    response = client.get(
        "/api/3/action/datastore_search",
        {
            "resource_id": resources_of(results)[0].id,
            "filters": '{"unit_code": "99"}',
            "limit": "1",
        },
    )
    assert response.status_code == 200
    assert response.json()["result"]["total"] == 4 * 24


def test_a_table_follows_a_change_of_the_data_and_metadata_modified_moves(world: World) -> None:
    make_projects(world)
    dataset = make_dataset(world, name="du-an")
    before = services.metadata_modified(dataset)
    assert [r["code"] for r in table_for(dataset).records()] == ["DA-01", "DA-02"]
    item = Item.objects.get(code="DA-02")
    project_services.update_item(world.admin, item, disbursed_budget=300_000_000)
    table = table_for(dataset)
    assert table.records()[1]["disbursed_budget"] == 300_000_000
    assert services.metadata_modified(dataset) > before


def test_projects_publish_budgets_but_never_the_note(world: World) -> None:
    make_projects(world)
    item = Item.objects.get(code="DA-01")
    project_services.update_item(world.admin, item, note="Gọi anh Nguyễn Văn Tư 0909123456")
    table = table_for(make_dataset(world, name="du-an"))
    assert "0909123456" not in json.dumps(table.records(), ensure_ascii=False)
    assert table.records()[0]["planned_budget"] == 12_500_000_000


def test_scorecard_results_come_from_the_scorecards_app_once_it_publishes_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fake of the interface the scorecards app will provide (its module is absent here).
    calls = []

    def published_results(unit: Any, year: Any) -> list[dict[str, Any]]:
        calls.append((unit.code, year))
        return [
            {"unit_code": "99001", "unit_name": "Xã An Bình", "score": 712.5, "rank": 1},
            {"unit_code": "99002", "unit_name": "Phường Đông Hòa", "score": 650, "rank": 2},
        ]

    fake = types.ModuleType(sources.SCORECARDS_MODULE)
    fake.published_results = published_results  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, sources.SCORECARDS_MODULE, fake)
    dataset = make_dataset(
        world, name="bang-diem", source="scorecards", period_start="2024", period_end="2024"
    )
    records = table_for(dataset).records()
    assert calls and calls[0] == ("99", 2024)
    assert records[0] == {
        "year": 2024,
        "set_code": "",
        "unit_code": "99001",
        "unit_name": "Xã An Bình",
        "score": 712.5,
        "max_score": None,
        "rank": 1,
    }


def test_scorecard_rows_say_which_set_ranked_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The scorecards app's ResultRow: departments and communes are ranked in separate sets
    # of the same year, so a rank means nothing without its set.
    from decimal import Decimal

    def published_results(unit: Any, year: Any) -> list[Any]:
        return [
            types.SimpleNamespace(
                unit_code="SKHCN",
                unit_name="Sở Khoa học và Công nghệ",
                set_code="DTI-SO-2024",
                points=Decimal("812.50"),
                max_points=Decimal("1000"),
                rank=1,
            ),
            types.SimpleNamespace(
                unit_code="99001",
                unit_name="Xã An Bình",
                set_code="DTI-XA-2024",
                points=Decimal("700"),
                max_points=Decimal("1000"),
                rank=1,
            ),
        ]

    fake = types.ModuleType(sources.SCORECARDS_MODULE)
    fake.published_results = published_results  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, sources.SCORECARDS_MODULE, fake)
    dataset = make_dataset(
        world, name="bang-diem", source="scorecards", period_start="2024", period_end="2024"
    )
    records = table_for(dataset).records()
    assert [(r["set_code"], r["unit_code"], r["rank"]) for r in records] == [
        ("DTI-SO-2024", "SKHCN", 1),
        ("DTI-XA-2024", "99001", 1),
    ]
    assert (records[0]["score"], records[0]["max_score"]) == (812.5, 1000)


def test_without_the_scorecards_service_the_dataset_is_empty_not_an_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "SCORECARDS_MODULE", "dxboard.scorecards.absent")
    dataset = make_dataset(world, name="bang-diem", source="scorecards")
    assert table_for(dataset).rows == []


def test_with_caching_on_a_kept_results_table_costs_one_query_to_reuse(
    results: Dataset, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.DXBOARD_EVALUATION_CACHE_SECONDS = 600
    table = table_for(results)
    services.metadata_modified(results)
    with django_assert_max_num_queries(2):  # the revision number (and nothing that scans)
        assert table_for(results) is table
        services.metadata_modified(results)
