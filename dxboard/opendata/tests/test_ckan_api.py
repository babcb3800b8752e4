"""The CKAN Action API answers in CKAN's shapes, envelope and error types."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dxboard.opendata.models import Dataset
from dxboard.opendata.tests.factories import make_dataset, make_projects
from dxboard.testing import World

pytestmark = pytest.mark.django_db

PACKAGE_FIELDS = {
    "id",
    "name",
    "title",
    "notes",
    "type",
    "state",
    "private",
    "url",
    "author",
    "maintainer",
    "maintainer_email",
    "license_id",
    "license_title",
    "license_url",
    "isopen",
    "owner_org",
    "organization",
    "groups",
    "tags",
    "num_tags",
    "resources",
    "num_resources",
    "metadata_created",
    "metadata_modified",
    "extras",
    "version",
}
RESOURCE_FIELDS = {
    "id",
    "package_id",
    "name",
    "description",
    "format",
    "mimetype",
    "url",
    "datastore_active",
    "state",
    "position",
    "created",
    "last_modified",
    "metadata_modified",
}


def call(client: Client, action: str, method: str = "get", **data: Any) -> tuple[int, Any]:
    if method == "post":
        response = client.post(
            f"/api/3/action/{action}", data=json.dumps(data), content_type="application/json"
        )
    else:
        response = client.get(f"/api/3/action/{action}", data)
    body = response.json()
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    return response.status_code, body


@pytest.fixture
def dataset(world: World) -> Dataset:
    make_projects(world)
    return make_dataset(world, name="du-an-cds")


def test_package_show_answers_a_package_with_ckans_documented_fields(
    client: Client, dataset: Dataset
) -> None:
    status, body = call(client, "package_show", id="du-an-cds")
    assert status == 200 and body["success"] is True
    package = body["result"]
    assert set(package) >= PACKAGE_FIELDS
    assert package["id"] == str(dataset.uuid)
    assert package["license_id"] == "CC-BY-4.0"
    assert package["organization"]["name"] == "99"
    assert [t["name"] for t in package["tags"]] == ["chuyển đổi số", "dự án"]
    assert [r["format"] for r in package["resources"]] == ["CSV", "JSON", "XLSX"]
    for resource in package["resources"]:
        assert set(resource) >= RESOURCE_FIELDS
        assert resource["url"].startswith("http://testserver/data/dataset/du-an-cds/")
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["temporal_start"] == "2025-01-01"
    assert extras["temporal_end"] == "2025-12-31"
    assert extras["spatial_code"] == "99"


def test_package_show_finds_a_package_by_its_id_too(client: Client, dataset: Dataset) -> None:
    status, body = call(client, "package_show", id=str(dataset.uuid))
    assert status == 200 and body["result"]["name"] == "du-an-cds"


def test_an_unknown_id_is_a_not_found_error_404(client: Client, dataset: Dataset) -> None:
    status, body = call(client, "package_show", id="khong-co")
    assert status == 404
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"
    status, body = call(client, "resource_show", id="khong-co")
    assert (status, body["error"]["__type"]) == (404, "Not Found Error")
    status, body = call(client, "datastore_search", resource_id="khong-co")
    assert (status, body["error"]["__type"]) == (404, "Not Found Error")


def test_a_withdrawn_dataset_is_not_found(client: Client, world: World, dataset: Dataset) -> None:
    from dxboard.opendata.services import update_dataset

    update_dataset(world.province_officer, dataset, published=False)
    status, _body = call(client, "package_show", id="du-an-cds")
    assert status == 404
    assert call(client, "package_list")[1]["result"] == []


def test_an_unknown_action_is_a_bad_request(client: Client) -> None:
    status, body = call(client, "package_create")
    assert status == 400 and body["success"] is False


def test_package_list_status_show_and_site_read(
    client: Client, world: World, dataset: Dataset
) -> None:
    make_dataset(world, name="a-truoc")
    assert call(client, "package_list")[1]["result"] == ["a-truoc", "du-an-cds"]
    assert call(client, "package_list", limit=1, offset=1)[1]["result"] == ["du-an-cds"]
    status = call(client, "status_show")[1]["result"]
    assert {"ckan_version", "site_title", "site_url", "extensions"} <= set(status)
    assert call(client, "site_read")[1]["result"] is True


def test_package_search_filters_sorts_pages_and_counts_facets(
    client: Client, world: World, dataset: Dataset
) -> None:
    make_dataset(
        world,
        name="phan-anh",
        title="Thống kê phản ánh hiện trường",
        source="feedback",
        keywords=["phản ánh"],
        theme="SOCI",
        publisher=world.agency,
    )
    _status, body = call(client, "package_search", q="phan anh")
    assert [p["name"] for p in body["result"]["results"]] == ["phan-anh"]
    _status, body = call(client, "package_search", fq='tags:"dự án"')
    assert body["result"]["count"] == 1
    _status, body = call(client, "package_search", fq="organization:skhcn")
    assert [p["name"] for p in body["result"]["results"]] == ["phan-anh"]
    _status, body = call(client, "package_search", fq="groups:soci res_format:CSV")
    assert body["result"]["count"] == 1
    _status, body = call(client, "package_search", fq="-groups:soci")
    assert [p["name"] for p in body["result"]["results"]] == ["du-an-cds"]
    _status, body = call(client, "package_search", sort="name asc", rows=1, start=1)
    assert body["result"]["count"] == 2
    assert [p["name"] for p in body["result"]["results"]] == ["phan-anh"]
    _status, body = call(
        client,
        "package_search",
        "post",
        **{"facet.field": ["organization", "tags", "res_format", "groups"]},
    )
    facets = body["result"]["search_facets"]
    assert {i["name"]: i["count"] for i in facets["res_format"]["items"]} == {
        "CSV": 2,
        "JSON": 2,
        "XLSX": 2,
    }
    organizations = {i["name"]: i["display_name"] for i in facets["organization"]["items"]}
    assert organizations == {"99": "Tỉnh Thử Nghiệm", "skhcn": "Sở Khoa học và Công nghệ"}
    assert body["result"]["facets"]["tags"]["phản ánh"] == 1


@pytest.mark.parametrize(
    ("data", "status", "kind"),
    [
        ({"rows": -1}, 409, "Validation Error"),
        ({"rows": 100000}, 409, "Validation Error"),
        ({"rows": "mười"}, 409, "Validation Error"),
        # CKAN answers a Search Query Error with 400 (ckan/views/api.py), not 409.
        ({"fq": 'tags:"dự án'}, 400, "Search Query Error"),
        ({"fq": "unknown_field:x"}, 400, "Search Query Error"),
        ({"q": 'title:"chuyển đổi'}, 400, "Search Query Error"),
        ({"sort": "popularity desc"}, 409, "Validation Error"),
        ({"q": "x" * 10_000}, 409, "Validation Error"),
        ({"facet.field": '["secret"]'}, 409, "Validation Error"),
    ],
)
def test_package_search_rejects_bad_input_in_ckans_envelope(
    client: Client, dataset: Dataset, data: dict[str, Any], status: int, kind: str
) -> None:
    got, body = call(client, "package_search", **data)
    assert got == status
    assert body["success"] is False
    assert body["error"]["__type"] == kind
    assert body["error"]["message"]


def test_organizations_groups_and_tags_are_listed_and_shown(
    client: Client, dataset: Dataset
) -> None:
    assert call(client, "organization_list")[1]["result"] == ["99"]
    organization = call(client, "organization_list", all_fields="true")[1]["result"][0]
    assert organization["package_count"] == 1 and organization["title"] == "Tỉnh Thử Nghiệm"
    shown = call(client, "organization_show", id="99", include_datasets="true")[1]["result"]
    assert [p["name"] for p in shown["packages"]] == ["du-an-cds"]
    assert call(client, "organization_show", id="98")[0] == 404
    assert call(client, "group_list")[1]["result"] == ["gove"]
    assert call(client, "tag_list")[1]["result"] == ["chuyển đổi số", "dự án"]
    assert call(client, "tag_list", query="dự")[1]["result"] == ["dự án"]


def test_resource_show_answers_each_download(client: Client, dataset: Dataset) -> None:
    package = call(client, "package_show", id="du-an-cds")[1]["result"]
    for resource in package["resources"]:
        shown = call(client, "resource_show", id=resource["id"])[1]["result"]
        assert shown == resource


def test_lists_cost_the_same_queries_for_two_datasets_or_eight(
    client: Client, world: World, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.DXBOARD_EVALUATION_CACHE_SECONDS = 600
    make_projects(world)
    for n in range(2):
        make_dataset(world, name=f"hai-{n}")
    urls = [
        "/api/3/action/package_search?rows=100",
        "/data/",
        "/data/catalog.ttl",
        "/api/3/action/package_list",
        "/api/3/action/organization_list?all_fields=true",
    ]
    for url in urls:
        client.get(url)  # warms the cache of metadata_modified
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(50) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    for n in range(6):
        make_dataset(world, name=f"tam-{n}")
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("package_show", {"id": "du-an\x00cds"}),
        ("datastore_search", {"resource_id": "x", "filters": {"unit_code": "9\x009"}}),
        ("package_search", {"q": "dự\x00án"}),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_character_in_a_parameter_is_a_400_never_a_500(
    client: Client, dataset: Dataset, action: str, data: dict[str, Any], method: str
) -> None:
    # PostgreSQL refuses NUL in text; the platform's input guard answers before the action
    # (in the platform's error shape, not CKAN's: dxboard/input_guard.py).
    if method == "post":
        response = client.post(
            f"/api/3/action/{action}", data=json.dumps(data), content_type="application/json"
        )
    else:
        # The raw character in the query string (json.dumps would escape it as \\u0000).
        query = {
            k: json.dumps(v).replace("\\u0000", "\x00") if isinstance(v, dict) else v
            for k, v in data.items()
        }
        response = client.get(f"/api/3/action/{action}", query)
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]["message"]
