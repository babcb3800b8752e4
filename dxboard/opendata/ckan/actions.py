"""The read actions of CKAN's Action API, over published datasets only.

Each action takes the request's parameters (a dict) and the site, returns CKAN's
`result`, and raises `CkanError` for CKAN's error envelope. Results follow the fields
CKAN 2.10 documents in `ckan/logic/action/get.py` and ckanext-datastore.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from dxboard.errors import NotFound
from dxboard.opendata import datastore, services
from dxboard.opendata.catalog import (
    Site,
    group_dict,
    group_name,
    organization_dict,
    organization_name,
    package_dict,
    resource_dict,
    tag_dict,
)
from dxboard.opendata.ckan import params, search
from dxboard.opendata.ckan.errors import CkanError, not_found, validation
from dxboard.opendata.models import Dataset
from dxboard.opendata.resources import FORMATS, resource_by_id
from dxboard.opendata.tables import table_for

CKAN_VERSION = "2.10.4"  # the API generation these answers follow
Action = Callable[[dict[str, Any], Site], Any]


def _datasets() -> list[Dataset]:
    return list(services.public_datasets())


def _required(request: dict[str, Any], name: str) -> str:
    value = params.text(request, name, "", max_length=200).strip()
    if not value:
        raise validation(name, _("Thiếu giá trị bắt buộc."))
    return value


def status_show(request: dict[str, Any], site: Site) -> dict[str, Any]:
    """Which software answers and what it offers."""
    return {
        "site_title": "DXBoard",
        "site_description": _("Dữ liệu mở chuyển đổi số"),
        "site_url": site.base,
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore", "dcat"],
    }


def site_read(request: dict[str, Any], site: Site) -> bool:
    """Whether the catalogue may be read: always, it is public."""
    return True


def package_list(request: dict[str, Any], site: Site) -> list[str]:
    """Names of the published datasets, in name order (`limit`, `offset`)."""
    limit = params.integer(request, "limit", 0, high=search.ROWS_MAX) or None
    offset = params.integer(request, "offset", 0)
    names = [d.name for d in _datasets()]
    return names[offset : offset + limit] if limit else names[offset:]


def _package(dataset: Dataset, site: Site, modified: datetime | None = None) -> dict[str, Any]:
    return package_dict(dataset, site, modified)


def package_show(request: dict[str, Any], site: Site) -> dict[str, Any]:
    """One dataset by `id` (its id or its name), with resources, tags and organisation."""
    name = _required(request, "id")
    try:
        dataset = services.public_dataset(name)
    except NotFound:
        raise not_found(_("Không tìm thấy bộ dữ liệu.")) from None
    return _package(dataset, site)


def package_search(request: dict[str, Any], site: Site) -> dict[str, Any]:
    """Datasets matching `q` and `fq`, sorted, paged (`rows`, `start`), with facets."""
    datasets = _datasets()
    modified = services.metadata_modified_many(datasets)
    return search.search(
        datasets,
        request,
        lambda d: modified[d.pk],
        lambda d: _package(d, site, modified[d.pk]),
    )


def _organizations() -> dict[str, tuple[Any, int]]:
    counts: dict[str, tuple[Any, int]] = {}
    for dataset in _datasets():
        name = organization_name(dataset.publisher)
        unit, count = counts.get(name, (dataset.publisher, 0))
        counts[name] = (unit, count + 1)
    return counts


def organization_list(request: dict[str, Any], site: Site) -> list[Any]:
    """The publishing units (names, or dicts with `all_fields`)."""
    all_fields = params.boolean(request, "all_fields", False)
    limit = params.integer(request, "limit", 0, high=search.ROWS_MAX) or None
    offset = params.integer(request, "offset", 0)
    found = sorted(_organizations().items())
    page = found[offset : offset + limit] if limit else found[offset:]
    if all_fields:
        return [organization_dict(unit, count) for _name, (unit, count) in page]
    return [name for name, _value in page]


def organization_show(request: dict[str, Any], site: Site) -> dict[str, Any]:
    """One publishing unit by `id` (its code), with `include_datasets`."""
    name = _required(request, "id").lower()
    found = _organizations().get(name)
    if found is None:
        raise not_found(_("Không tìm thấy tổ chức."))
    unit, count = found
    result = organization_dict(unit, count)
    result["users"] = []
    result["tags"] = []
    result["groups"] = []
    result["extras"] = []
    if params.boolean(request, "include_datasets", False):
        result["packages"] = [
            _package(d, site) for d in _datasets() if organization_name(d.publisher) == name
        ]
    return result


def group_list(request: dict[str, Any], site: Site) -> list[Any]:
    """The themes used by published datasets (names, or dicts with `all_fields`)."""
    all_fields = params.boolean(request, "all_fields", False)
    counts = Counter(d.theme for d in _datasets())
    themes = sorted(counts, key=group_name)
    if all_fields:
        return [group_dict(t, counts[t]) for t in themes]
    return [group_name(t) for t in themes]


def tag_list(request: dict[str, Any], site: Site) -> list[Any]:
    """Keywords of published datasets (`query` narrows, `all_fields` gives dicts)."""
    query = params.text(request, "query", "", max_length=100).lower()
    all_fields = params.boolean(request, "all_fields", False)
    tags = sorted({k for d in _datasets() for k in d.keywords if query in k.lower()})
    return [tag_dict(t) for t in tags] if all_fields else tags


def _resource(request: dict[str, Any], name: str) -> Any:
    resource_id = _required(request, name)
    resource = resource_by_id(_datasets(), resource_id)
    if resource is None:
        raise not_found(_("Không tìm thấy tài nguyên."))
    return resource


def resource_show(request: dict[str, Any], site: Site) -> dict[str, Any]:
    """One resource (a download of a dataset) by `id`."""
    resource = _resource(request, "id")
    modified = services.metadata_modified(resource.dataset)
    return resource_dict(resource, site, modified, FORMATS.index(resource.format))


def datastore_search(request: dict[str, Any], site: Site) -> dict[str, Any]:
    """Rows of a resource's table: `filters`, `q`, `fields`, `sort`, `limit`, `offset`,
    `include_total`, `records_format`, `distinct`."""
    resource = _resource(request, "resource_id")
    return datastore.search(table_for(resource.dataset), resource.id, request)


def help_show(request: dict[str, Any], site: Site) -> str:
    """The documentation of an action (`name`)."""
    name = _required(request, "name")
    action = ACTIONS.get(name)
    if action is None:
        raise not_found(_("Không có thao tác này."))
    return action.__doc__ or ""


ACTIONS: dict[str, Action] = {
    "status_show": status_show,
    "site_read": site_read,
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "tag_list": tag_list,
    "resource_show": resource_show,
    "datastore_search": datastore_search,
    "help_show": help_show,
}

__all__ = ["ACTIONS", "CkanError"]
