"""No published output ever holds a person (issue 16, point 5).

The whole demo is loaded, every dataset it publishes is read through every output
(pages, downloads, CKAN actions, DataStore, DCAT), and each output is scanned for every
personal value the demo holds: reporters' names, phones, e-mails and addresses, the text
citizens wrote, members' names and phones, account holders, unit contacts, project notes.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from dxboard.accounts.models import User
from dxboard.community.models import Member, Team
from dxboard.feedback.models import FieldReport
from dxboard.opendata.models import Dataset, SourceKind
from dxboard.opendata.resources import resources_of
from dxboard.projects.models import Item
from dxboard.units.models import Unit

pytestmark = pytest.mark.django_db


def personal_values() -> set[str]:
    values: set[str] = set()
    row: tuple[str, ...]
    for row in FieldReport.objects.values_list(
        "reporter_name",
        "reporter_phone",
        "reporter_email",
        "address",
        "description",
        "rating_comment",
        "public_answer",
        "reject_reason",
        "tracking_code",
    ):
        values.update(row)
    for row in Member.objects.values_list("full_name", "phone"):
        values.update(row)
    values.update(Team.objects.values_list("decision_signer", flat=True))
    for row in User.objects.values_list("full_name", "email", "phone"):
        values.update(row)
    for row in Unit.objects.values_list("contact_name", "contact_phone", "contact_email"):
        values.update(row)
    values.update(Item.objects.values_list("note", flat=True))
    # Names of units and categories are public; a value this short would match by chance.
    return {v.strip() for v in values if v and len(v.strip()) >= 6}


def xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def outputs(client: Client) -> dict[str, str]:
    texts: dict[str, str] = {}

    def get(url: str, data: dict[str, str] | None = None) -> str:
        response = client.get(url, data or {})
        assert response.status_code == 200, (url, response.status_code)
        return str(response.content.decode())

    def action(name: str, **data: Any) -> str:
        response = client.post(
            f"/api/3/action/{name}", data=json.dumps(data), content_type="application/json"
        )
        assert response.status_code == 200, (name, response.content[:300])
        return response.content.decode()

    texts["catalogue"] = get("/data/")
    texts["catalog.ttl"] = get("/data/catalog.ttl")
    texts["catalog.jsonld"] = get("/data/catalog.jsonld")
    texts["package_search"] = action(
        "package_search", rows=1000, **{"facet.field": ["organization", "tags", "groups"]}
    )
    texts["organization_list"] = action("organization_list", all_fields=True)
    texts["tag_list"] = action("tag_list")
    texts["group_list"] = action("group_list", all_fields=True)
    texts["status_show"] = action("status_show")
    for dataset in Dataset.objects.all():
        name = dataset.name
        texts[f"{name} page"] = get(f"/data/dataset/{name}/")
        texts[f"{name} ttl"] = get(f"/data/dataset/{name}.ttl")
        texts[f"{name} jsonld"] = get(f"/data/dataset/{name}.jsonld")
        texts[f"{name} package_show"] = action("package_show", id=name)
        texts[f"{name} organization_show"] = action(
            "organization_show", id=dataset.publisher.code, include_datasets=True
        )
        for resource in resources_of(dataset):
            texts[f"{name} resource_show {resource.format.code}"] = action(
                "resource_show", id=resource.id
            )
            response = client.get(resource.path)
            assert response.status_code == 200
            if resource.format.code == "xlsx":
                texts[f"{name} download xlsx"] = xlsx_text(response.content)
            else:
                texts[f"{name} download {resource.format.code}"] = response.content.decode()
        texts[f"{name} datastore"] = action(
            "datastore_search", resource_id=resources_of(dataset)[0].id, limit=32000
        )
    return texts


def test_no_output_of_any_demo_dataset_holds_a_personal_value(client: Client) -> None:
    call_command("demo", no_serve=True, stdout=io.StringIO())
    published = set(Dataset.objects.values_list("source", flat=True))
    assert published >= {
        SourceKind.EVALUATION,
        SourceKind.FEEDBACK,
        SourceKind.COMMUNITY,
        SourceKind.PROJECTS,
        SourceKind.COMPLETENESS,
    }
    secrets = personal_values()
    # The demo really holds people, so the scan has something to find.
    assert FieldReport.objects.exclude(reporter_phone="").count() > 100
    assert Member.objects.exclude(phone="").count() > 100
    assert len(secrets) > 500
    texts = outputs(client)
    # Every dataset has rows, so the scan reads real figures.
    for dataset in Dataset.objects.all():
        assert '"total": 0' not in texts[f"{dataset.name} datastore"], dataset.name
    leaks = [
        (where, secret) for where, text in texts.items() for secret in secrets if secret in text
    ]
    assert not leaks, leaks[:20]
    # And the scan does find a value that gets out (here planted in a description).
    phone = FieldReport.objects.exclude(reporter_phone="").values_list("reporter_phone", flat=True)[
        0
    ]
    dataset = Dataset.objects.order_by("name")[0]
    Dataset.objects.filter(pk=dataset.pk).update(description=f"Liên hệ {phone}")
    shown = client.get("/api/3/action/package_show", {"id": dataset.name}).content.decode()
    assert phone in shown
    assert [secret for secret in secrets if secret in shown] == [phone]
