"""A published dataset as CKAN describes a package, shared by the Action API, the DCAT
records and the public pages, so they never disagree.

Organisations are the publishing units (named by their code, lower case); groups are the
themes. The DCAT fields CKAN keeps in `extras` (ckanext-dcat's names) are there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dxboard.opendata.models import LICENCE_URLS, Dataset, Licence, Theme
from dxboard.opendata.resources import Resource, resources_of
from dxboard.opendata.services import metadata_modified
from dxboard.periods import parse_period
from dxboard.units.models import Unit

OPEN_LICENCES = set(Licence.values)
ADMIN_UNIT_URI = "https://dxboard.gov.vn/def/unit/{code}"  # see dcat.unit_uri
THEME_URI = "http://publications.europa.eu/resource/authority/data-theme/{code}"


def iso(moment: datetime) -> str:
    """CKAN's timestamps: ISO 8601 in UTC without the offset."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def organization_name(unit: Unit) -> str:
    return unit.code.lower()


def organization_dict(unit: Unit, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": organization_name(unit),
        "name": organization_name(unit),
        "title": unit.name,
        "display_name": unit.name,
        "description": unit.name_en,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": iso(unit.created_at),
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_name(theme: str) -> str:
    return theme.lower()


def group_dict(theme: str, package_count: int | None = None) -> dict[str, Any]:
    label = str(Theme(theme).label)
    data: dict[str, Any] = {
        "id": group_name(theme),
        "name": group_name(theme),
        "title": label,
        "display_name": label,
        "description": THEME_URI.format(code=theme),
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_display_url": "",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def tag_dict(name: str) -> dict[str, Any]:
    return {
        "id": name,
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


@dataclass(frozen=True)
class Site:
    """Where the site is, for absolute URLs (CKAN gives absolute resource URLs)."""

    base: str  # "https://dxboard.angiang.gov.vn", no trailing slash

    def url(self, path: str) -> str:
        return self.base + path


def resource_dict(
    resource: Resource, site: Site, modified: datetime, position: int
) -> dict[str, Any]:
    dataset = resource.dataset
    return {
        "id": resource.id,
        "package_id": str(dataset.uuid),
        "name": resource.name,
        "description": dataset.description,
        "format": resource.format.label,
        "mimetype": resource.format.mimetype,
        "url": site.url(resource.path),
        "url_type": None,
        "datastore_active": True,
        "state": "active",
        "position": position,
        "created": iso(dataset.created_at),
        "last_modified": iso(modified),
        "metadata_modified": iso(modified),
        "resource_type": None,
        "size": None,
        "hash": "",
        "cache_url": None,
        "license": LICENCE_URLS[Licence(dataset.licence)],
    }


def temporal(dataset: Dataset) -> tuple[str, str]:
    return (
        parse_period(dataset.period_start).start.isoformat(),
        parse_period(dataset.period_end).end.isoformat(),
    )


def package_dict(dataset: Dataset, site: Site, modified: datetime | None = None) -> dict[str, Any]:
    modified = modified or metadata_modified(dataset)
    licence = Licence(dataset.licence)
    start, end = temporal(dataset)
    resources = [resource_dict(r, site, modified, i) for i, r in enumerate(resources_of(dataset))]
    extras = {
        "title_en": dataset.title_en,
        "notes_en": dataset.description_en,
        "frequency": dataset.frequency,
        "spatial_uri": ADMIN_UNIT_URI.format(code=dataset.coverage.code),
        "spatial_code": dataset.coverage.code,
        "temporal_start": start,
        "temporal_end": end,
        "theme": THEME_URI.format(code=dataset.theme),
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "publisher_name": dataset.publisher.name,
        "publisher_uri": ADMIN_UNIT_URI.format(code=dataset.publisher.code),
        "language": "vi",
        "source_kind": dataset.source,
    }
    return {
        "id": str(dataset.uuid),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "url": site.url(f"/data/dataset/{dataset.name}/"),
        "version": None,
        "author": dataset.publisher.name,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "license_id": licence.value,
        "license_title": licence.label,
        "license_url": LICENCE_URLS[licence],
        "isopen": licence.value in OPEN_LICENCES,
        "owner_org": organization_name(dataset.publisher),
        "organization": organization_dict(dataset.publisher),
        "groups": [group_dict(dataset.theme)],
        "tags": [tag_dict(k) for k in dataset.keywords],
        "num_tags": len(dataset.keywords),
        "resources": resources,
        "num_resources": len(resources),
        "metadata_created": iso(dataset.created_at),
        "metadata_modified": iso(modified),
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
