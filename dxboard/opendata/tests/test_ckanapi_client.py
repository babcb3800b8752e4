"""The real CKAN client, `ckanapi.RemoteCKAN`, drives the live server: every action of
issue 16's list, their parameters, and each bad input answered with CKAN's error type
and status (ckanapi turns the type back into its exception; the status is read with a
plain HTTP request beside it)."""

from __future__ import annotations

import json
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import ckanapi
import pytest

from dxboard.opendata.resources import resources_of
from dxboard.opendata.tests.factories import make_dataset, make_projects
from dxboard.testing import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ckan(live_server: Any, world: World) -> ckanapi.RemoteCKAN:
    make_projects(world)
    make_dataset(world, name="du-an-cds")
    make_dataset(
        world,
        name="phan-anh",
        title="Thống kê phản ánh hiện trường",
        source="feedback",
        keywords=["phản ánh"],
        theme="SOCI",
        publisher=world.agency,
    )
    return ckanapi.RemoteCKAN(live_server.url, user_agent="dxboard-tests")


def raw(live_server: Any, action: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The HTTP status and body of a POST, for what ckanapi does not show (the status)."""
    request = Request(
        f"{live_server.url}/api/3/action/{action}",
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def test_ckanapi_reads_status_site_and_the_lists(ckan: ckanapi.RemoteCKAN) -> None:
    status = ckan.action.status_show()
    assert status["ckan_version"].startswith("2.")
    assert {"datastore", "dcat"} <= set(status["extensions"])
    assert ckan.action.site_read() is True
    assert ckan.action.package_list() == ["du-an-cds", "phan-anh"]
    assert ckan.action.package_list(limit=1, offset=1) == ["phan-anh"]
    assert ckan.action.organization_list() == ["99", "skhcn"]
    organizations = ckan.action.organization_list(all_fields=True)
    assert [(o["name"], o["package_count"]) for o in organizations] == [("99", 1), ("skhcn", 1)]
    shown = ckan.action.organization_show(id="skhcn", include_datasets=True)
    assert shown["title"] == "Sở Khoa học và Công nghệ"
    assert [p["name"] for p in shown["packages"]] == ["phan-anh"]
    assert ckan.action.group_list() == ["gove", "soci"]
    groups = ckan.action.group_list(all_fields=True)
    assert [(g["name"], g["package_count"]) for g in groups] == [("gove", 1), ("soci", 1)]
    assert ckan.action.tag_list() == ["chuyển đổi số", "dự án", "phản ánh"]
    assert ckan.action.tag_list(query="phản") == ["phản ánh"]


def test_ckanapi_shows_packages_and_resources(ckan: ckanapi.RemoteCKAN) -> None:
    package = ckan.action.package_show(id="du-an-cds")
    assert package["title"] == "Dự án chuyển đổi số và kinh phí"
    assert [r["format"] for r in package["resources"]] == ["CSV", "JSON", "XLSX"]
    assert ckan.action.package_show(id=package["id"])["name"] == "du-an-cds"
    for resource in package["resources"]:
        assert ckan.action.resource_show(id=resource["id"]) == resource


def test_ckanapi_searches_packages_with_q_fq_sort_paging_and_facets(
    ckan: ckanapi.RemoteCKAN,
) -> None:
    found = ckan.action.package_search(fq="groups:soci", **{"facet.field": ["tags"]})
    assert found["count"] == 1 and found["results"][0]["name"] == "phan-anh"
    assert found["search_facets"]["tags"]["items"][0]["name"] == "phản ánh"
    assert ckan.action.package_search(q="phan anh")["results"][0]["name"] == "phan-anh"
    assert ckan.action.package_search(fq="organization:skhcn")["count"] == 1
    assert ckan.action.package_search(fq='tags:"dự án"')["results"][0]["name"] == "du-an-cds"
    assert ckan.action.package_search(fq="res_format:XLSX")["count"] == 2
    assert ckan.action.package_search(fq="-groups:soci")["results"][0]["name"] == "du-an-cds"
    page = ckan.action.package_search(q="*:*", sort="name desc", rows=1, start=1)
    assert page["count"] == 2 and [p["name"] for p in page["results"]] == ["du-an-cds"]
    facets = ckan.action.package_search(
        **{"facet.field": ["organization", "groups", "res_format"], "rows": 0}
    )["facets"]
    assert facets["organization"] == {"99": 1, "skhcn": 1}
    assert facets["res_format"] == {"CSV": 2, "JSON": 2, "XLSX": 2}


def test_ckanapi_reads_the_datastore_with_post_and_with_get(
    ckan: ckanapi.RemoteCKAN, live_server: Any
) -> None:
    package = ckan.action.package_show(id="du-an-cds")
    resource_id = package["resources"][0]["id"]
    result = ckan.action.datastore_search(
        resource_id=resource_id, filters={"code": "DA-01"}, fields=["code", "planned_budget"]
    )
    assert result["records"] == [{"code": "DA-01", "planned_budget": 12_500_000_000}]
    assert result["total"] == 1
    found = ckan.action.datastore_search(resource_id=resource_id, q="wi-fi", fields=["code"])
    assert found["records"] == [{"code": "DA-02"}]
    lists = ckan.action.datastore_search(
        resource_id=resource_id,
        fields=["_id", "code"],
        sort="planned_budget asc",
        limit=1,
        offset=1,
        include_total=False,
        records_format="lists",
    )
    assert lists["records"] == [[1, "DA-01"]] and "total" not in lists
    getter = ckanapi.RemoteCKAN(live_server.url, get_only=True)
    result = getter.action.datastore_search(resource_id=resource_id, sort="code desc", limit=1)
    assert [r["code"] for r in result["records"]] == ["DA-02"]
    assert result["total"] == 2
    csv = getter.action.datastore_search(
        resource_id=resource_id, fields="code", records_format="csv"
    )
    assert csv["records"] == "DA-01\nDA-02\n"


def first_resource(ckan: ckanapi.RemoteCKAN) -> str:
    return str(ckan.action.package_show(id="du-an-cds")["resources"][0]["id"])


@pytest.mark.parametrize(
    ("action", "data", "exception", "status", "field"),
    [
        ("package_show", {"id": "khong-co"}, ckanapi.NotFound, 404, None),
        ("resource_show", {"id": "khong-co"}, ckanapi.NotFound, 404, None),
        ("organization_show", {"id": "khong-co"}, ckanapi.NotFound, 404, None),
        ("datastore_search", {"resource_id": "khong-co"}, ckanapi.NotFound, 404, None),
        ("package_search", {"rows": -1}, ckanapi.ValidationError, 409, "rows"),
        ("package_search", {"rows": 100_000}, ckanapi.ValidationError, 409, "rows"),
        ("package_search", {"q": "x" * 10_000}, ckanapi.ValidationError, 409, "q"),
        ("package_search", {"fq": 'tags:"dự án'}, ckanapi.SearchQueryError, 400, None),
        ("package_search", {"sort": "popularity desc"}, ckanapi.ValidationError, 409, "sort"),
        ("datastore_search", {"filters": "[1]"}, ckanapi.ValidationError, 409, "filters"),
        ("datastore_search", {"filters": ["code"]}, ckanapi.ValidationError, 409, "filters"),
        ("datastore_search", {"sort": "secret desc"}, ckanapi.ValidationError, 409, "sort"),
        ("datastore_search", {"q": "x" * 10_000}, ckanapi.ValidationError, 409, "q"),
        ("datastore_search", {"limit": 100_000}, ckanapi.ValidationError, 409, "limit"),
    ],
)
def test_ckanapi_turns_each_bad_input_into_ckans_error(
    ckan: ckanapi.RemoteCKAN,
    live_server: Any,
    action: str,
    data: dict[str, Any],
    exception: type[Exception],
    status: int,
    field: str | None,
) -> None:
    if action == "datastore_search" and "resource_id" not in data:
        data = {"resource_id": first_resource(ckan), **data}
    with pytest.raises(exception) as raised:
        getattr(ckan.action, action)(**data)
    if field is not None:
        messages = raised.value.error_dict[field]  # type: ignore[attr-defined]
        assert messages and all(isinstance(m, str) and m for m in messages)
    got, body = raw(live_server, action, data)
    assert got == status
    assert body["success"] is False and body["error"]["message"]
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")


def test_an_unknown_action_is_a_400_that_ckanapi_reports(
    ckan: ckanapi.RemoteCKAN, live_server: Any
) -> None:
    with pytest.raises(ckanapi.CKANAPIError):
        ckan.call_action("package_create", {"name": "moi"})
    assert raw(live_server, "package_create", {})[0] == 400


def test_resource_ids_are_the_same_in_ckan_and_in_the_model(ckan: ckanapi.RemoteCKAN) -> None:
    from dxboard.opendata.models import Dataset

    dataset = Dataset.objects.get(name="du-an-cds")
    ids = [r["id"] for r in ckan.action.package_show(id="du-an-cds")["resources"]]
    assert ids == [r.id for r in resources_of(dataset)]
