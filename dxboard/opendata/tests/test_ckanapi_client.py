"""The real CKAN client, `ckanapi.RemoteCKAN`, drives the live server."""

from __future__ import annotations

from typing import Any

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
    make_dataset(world, name="phan-anh", source="feedback", keywords=["phản ánh"], theme="SOCI")
    return ckanapi.RemoteCKAN(live_server.url, user_agent="dxboard-tests")


def test_ckanapi_lists_shows_and_searches_datasets(ckan: ckanapi.RemoteCKAN) -> None:
    assert ckan.action.package_list() == ["du-an-cds", "phan-anh"]
    package = ckan.action.package_show(id="du-an-cds")
    assert package["title"] == "Dự án chuyển đổi số và kinh phí"
    assert [r["format"] for r in package["resources"]] == ["CSV", "JSON", "XLSX"]
    found = ckan.action.package_search(fq="groups:soci", **{"facet.field": ["tags"]})
    assert found["count"] == 1 and found["results"][0]["name"] == "phan-anh"
    assert found["search_facets"]["tags"]["items"][0]["name"] == "phản ánh"
    assert ckan.action.organization_list() == ["99"]
    assert ckan.action.status_show()["ckan_version"].startswith("2.")


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
    getter = ckanapi.RemoteCKAN(live_server.url, get_only=True)
    result = getter.action.datastore_search(resource_id=resource_id, sort="code desc", limit=1)
    assert [r["code"] for r in result["records"]] == ["DA-02"]
    assert result["total"] == 2


def test_ckanapi_turns_ckan_errors_back_into_its_exceptions(ckan: ckanapi.RemoteCKAN) -> None:
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="khong-co")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.datastore_search(resource_id="khong-co")
    with pytest.raises(ckanapi.ValidationError) as error:
        ckan.action.package_search(rows=-1)
    assert "rows" in error.value.error_dict
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(fq='tags:"dự án')
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.datastore_search(resource_id=resources_of_first(ckan), filters="[1]")


def resources_of_first(ckan: ckanapi.RemoteCKAN) -> str:
    return str(ckan.action.package_show(id="du-an-cds")["resources"][0]["id"])


def test_resource_ids_are_the_same_in_ckan_and_in_the_model(ckan: ckanapi.RemoteCKAN) -> None:
    from dxboard.opendata.models import Dataset

    dataset = Dataset.objects.get(name="du-an-cds")
    ids = [r["id"] for r in ckan.action.package_show(id="du-an-cds")["resources"]]
    assert ids == [r.id for r in resources_of(dataset)]
