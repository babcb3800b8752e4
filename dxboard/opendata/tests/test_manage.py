"""Province officers choose and describe datasets; others may not; bad input is named."""

from __future__ import annotations

from typing import Any

import pytest

from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dxboard.opendata import services
from dxboard.opendata.models import Dataset
from dxboard.opendata.tests.factories import make_dataset
from dxboard.testing import World

pytestmark = pytest.mark.django_db


def form_data(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "du-an-2025",
        "title": "Dự án chuyển đổi số năm 2025",
        "title_en": "Digital transformation projects 2025",
        "description": "Kinh phí kế hoạch và giải ngân.",
        "source": "projects",
        "publisher": world.province.pk,
        "coverage": world.province.pk,
        "period_start": "2025",
        "period_end": "2025",
        "licence": "CC-BY-4.0",
        "frequency": "QUARTERLY",
        "theme": "ECON",
        "keywords": "dự án, kinh phí, dự án",
        "contact_name": "Phòng Chuyển đổi số",
        "contact_email": "cds@example.vn",
        "published": "on",
    }
    data.update(overrides)
    return data


def test_a_province_officer_publishes_a_dataset_from_the_form(
    client_for: Any, world: World
) -> None:
    client = client_for("province_officer")
    assert client.get("/data/manage/new/").status_code == 200
    response = client.post("/data/manage/new/", form_data(world))
    assert response.status_code == 302
    dataset = Dataset.objects.get(name="du-an-2025")
    assert dataset.keywords == ["dự án", "kinh phí"]
    assert dataset.licence == "CC-BY-4.0"
    assert client.get("/data/dataset/du-an-2025/").status_code == 200
    listing = client.get("/data/manage/").content.decode()
    assert "Dự án chuyển đổi số năm 2025" in listing


def test_the_form_names_the_field_at_fault(client_for: Any, world: World) -> None:
    client = client_for("province_officer")
    response = client.post(
        "/data/manage/new/", form_data(world, period_start="2025Q5", period_end="2024")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "period_start" in form.errors
    assert not Dataset.objects.exists()
    response = client.post(
        "/data/manage/new/",
        form_data(world, source="evaluation", period_start="2024Q1", period_end="2024Q4"),
    )
    assert "programme" in response.context["form"].errors


def test_an_officer_edits_and_withdraws_a_dataset(client_for: Any, world: World) -> None:
    dataset = make_dataset(world, name="du-an")
    client = client_for("province_officer")
    assert client.get("/data/manage/du-an/").status_code == 200
    response = client.post("/data/manage/du-an/", form_data(world, name="du-an", published=""))
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.published is False
    assert client.get("/data/dataset/du-an/").status_code == 404


def test_a_commune_officer_may_not_manage_datasets(client_for: Any, world: World) -> None:
    make_dataset(world, name="du-an")
    client = client_for("officer_a")
    assert client.get("/data/manage/").status_code == 403
    assert client.get("/data/manage/new/").status_code == 403
    assert client.get("/data/manage/du-an/").status_code == 404
    with pytest.raises((Forbidden, NotFound)):
        services.create_dataset(world.officer_a, **{**_fields(world), "publisher": world.commune_a})


def _fields(world: World) -> dict[str, Any]:
    return {
        "name": "thu",
        "title": "Thử",
        "description": "Thử",
        "publisher": world.province,
        "source": "projects",
        "period_start": "2025",
        "period_end": "2025",
        "contact_name": "Phòng CĐS",
        "contact_email": "cds@example.vn",
    }


def test_the_service_refuses_a_duplicate_name_and_bad_periods(world: World) -> None:
    make_dataset(world, name="thu")
    with pytest.raises(Conflict) as conflict:
        services.create_dataset(world.province_officer, **_fields(world))
    assert conflict.value.details[0].path == "name"
    with pytest.raises(InvalidInput) as invalid:
        services.create_dataset(
            world.province_officer,
            **{**_fields(world), "name": "thu-2", "period_start": "2025Q1", "period_end": "2025"},
        )
    assert [d.path for d in invalid.value.details] == ["period_end"]
    with pytest.raises(InvalidInput) as invalid:
        services.create_dataset(
            world.province_officer, **{**_fields(world), "name": "Có Dấu", "keywords": 5}
        )
    assert [d.path for d in invalid.value.details] == ["keywords"]
    with pytest.raises(InvalidInput) as invalid:
        services.create_dataset(world.province_officer, **{**_fields(world), "name": "Có Dấu"})
    assert "name" in [d.path for d in invalid.value.details]


def test_the_default_licence_is_cc_by_4(world: World) -> None:
    assert make_dataset(world).licence == "CC-BY-4.0"
