"""No published output ever holds a person (issue 16, point 5).

Two scans, each reading every published dataset through every output (pages, downloads,
CKAN actions, DataStore, DCAT) and looking in each for every personal value the database
holds: reporters' names, phones, e-mails and addresses, the text citizens wrote, members'
names and phones, account holders, unit contacts, project notes.

- a small world with people in every register and a dataset of each of the six kinds
  (a few seconds; every run);
- the whole demo (`dxboard demo`: 3 minutes on an idle machine, nearly all of it the
  other apps' demos, scorecards and committee report first), marked slow: CI runs it once,
  on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import sys
import types
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from dxboard.accounts.models import User
from dxboard.community.models import Member, Team
from dxboard.community.tests.factories import make_team
from dxboard.evaluation.demo import PROGRAMME_CODE
from dxboard.evaluation.demo import load_demo as load_evaluation_demo
from dxboard.feedback.models import FieldReport
from dxboard.feedback.tests.factories import at, make_report
from dxboard.indicators.models import Programme
from dxboard.opendata import sources
from dxboard.opendata.models import Dataset, SourceKind
from dxboard.opendata.resources import resources_of
from dxboard.opendata.tests.factories import make_dataset, make_projects
from dxboard.periods import PeriodType, last_finished
from dxboard.projects import services as project_services
from dxboard.projects.models import Item, ItemUpdate
from dxboard.reporting.tests.factories import OPEN_PERIOD, make_form
from dxboard.testing import World
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
    values.update(ItemUpdate.objects.values_list("note", flat=True))
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


def leaks(texts: dict[str, str], secrets: set[str]) -> list[tuple[str, str]]:
    return [
        (where, secret) for where, text in texts.items() for secret in secrets if secret in text
    ]


def test_no_output_of_a_dataset_of_any_kind_holds_a_personal_value(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # People in every register the sources read.
    for n in range(3):
        make_report(
            world,
            reporter_name=f"Trần Thị Phản Ánh {n}",
            reporter_phone=f"090812345{n}",
            reporter_email=f"phananh{n}@example.vn",
            address=f"Số {n + 40} hẻm Bí Mật, khóm Hai",
            description=f"Đèn đường trước nhà tôi hỏng đã {n + 3} tuần, xin sửa giúp",
            now=at(2025, 3, 10 + n),
        )
    make_team(world.commune_a, members=3, user=world.admin, decision_signer="Lê Văn Ký Tên")
    make_projects(world)
    item = Item.objects.get(code="DA-01")
    note = "Gọi anh Nguyễn Văn Tư 0909123456"
    project_services.update_item(world.admin, item, note=note, progress=30)  # the update's note
    Item.objects.filter(pk=item.pk).update(note="Chị Hoa phụ trách, số riêng 0977000111")
    Unit.objects.filter(pk=world.commune_a.pk).update(
        contact_name="Phạm Thị Liên Hệ", contact_phone="0296 3812 345"
    )
    User.objects.filter(pk=world.province_officer.pk).update(
        full_name="Võ Minh Cán Bộ", email="canbo.rieng@example.vn"
    )
    load_evaluation_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    make_form(world.province, "BM-T")
    # The scorecards' interface gives rows with more than the table publishes: nothing else
    # of a row may get out.
    reviewer = "Đặng Văn Thẩm Định"

    def published_results(unit: Any, year: int) -> list[dict[str, Any]]:
        return [
            {
                "unit_code": "99001",
                "unit_name": "Xã An Bình",
                "set_code": "DTI-XA",
                "points": 712.5,
                "rank": 1,
                "reviewer": reviewer,
                "note": "Ý kiến của ông Đặng Văn Thẩm Định",
            }
        ]

    fake = types.ModuleType(sources.SCORECARDS_MODULE)
    fake.published_results = published_results  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, sources.SCORECARDS_MODULE, fake)

    quarter = last_finished(PeriodType.QUARTER, date.today())
    make_dataset(
        world,
        name="ket-qua",
        source="evaluation",
        programme=Programme.objects.get(code=PROGRAMME_CODE),
        period_start="2024Q1",
        period_end="2024Q4",
    )
    make_dataset(
        world, name="phan-anh", source="feedback", period_start="2025Q1", period_end="2025Q4"
    )
    make_dataset(
        world,
        name="to-cong-nghe",
        source="community",
        period_start=quarter.code,
        period_end=quarter.next().code,
    )
    make_dataset(world, name="du-an")
    make_dataset(
        world,
        name="nop-bao-cao",
        source="completeness",
        report_form_code="BM-T",
        period_start=OPEN_PERIOD,
        period_end=OPEN_PERIOD,
    )
    make_dataset(world, name="bang-diem", source="scorecards")
    assert set(Dataset.objects.values_list("source", flat=True)) == set(SourceKind.values)

    secrets = personal_values() | {reviewer}
    # The world really holds people, so the scan has something to find.
    for planted in (
        "0908123450",
        note,
        "Chị Hoa phụ trách, số riêng 0977000111",
        "Lê Văn Ký Tên",
        "canbo.rieng@example.vn",
        "0296 3812 345",
    ):
        assert planted in secrets
    assert Member.objects.exclude(phone="").count() == 3
    texts = outputs(client)
    for dataset in Dataset.objects.all():
        assert '"total": 0' not in texts[f"{dataset.name} datastore"], dataset.name
    assert not leaks(texts, secrets), leaks(texts, secrets)[:20]
    # And the scan does find a value that gets out (here planted in a description).
    Dataset.objects.filter(name="du-an").update(description="Hỏi chị Trần Thị Phản Ánh 1")
    shown = {"package_show": client.get("/api/3/action/package_show", {"id": "du-an"}).content}
    assert leaks({k: v.decode() for k, v in shown.items()}, secrets) == [
        ("package_show", "Trần Thị Phản Ánh 1")
    ]


@pytest.mark.slow
def test_no_output_of_any_demo_dataset_holds_a_personal_value(client: Client) -> None:
    call_command("demo", no_serve=True, stdout=io.StringIO())
    published = set(Dataset.objects.values_list("source", flat=True))
    assert published >= {
        SourceKind.EVALUATION,
        SourceKind.FEEDBACK,
        SourceKind.COMMUNITY,
        SourceKind.PROJECTS,
        SourceKind.COMPLETENESS,
        SourceKind.SCORECARDS,
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
    found = leaks(texts, secrets)
    assert not found, found[:20]
    # And the scan does find a value that gets out (here planted in a description).
    phone = FieldReport.objects.exclude(reporter_phone="").values_list("reporter_phone", flat=True)[
        0
    ]
    dataset = Dataset.objects.order_by("name")[0]
    Dataset.objects.filter(pk=dataset.pk).update(description=f"Liên hệ {phone}")
    shown = client.get("/api/3/action/package_show", {"id": dataset.name}).content.decode()
    assert phone in shown
    assert [secret for secret in secrets if secret in shown] == [phone]
