"""Editing yearly targets: the service (rules, audit) and the page (permissions, htmx)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from dxboard.errors import Forbidden, InvalidInput, NotFound
from dxboard.evaluation.tests.web_factories import web_programme
from dxboard.indicators.models import Target, TargetChange
from dxboard.indicators.target_services import TargetInput, set_target, set_targets

pytestmark = pytest.mark.django_db

SOURCE = "Kế hoạch 12/KH-UBND ngày 05/01/2024"


def _target(code: str, year: int, unit: str = "99") -> Decimal | None:
    row = Target.objects.filter(indicator__code=code, year=year, unit__code=unit).first()
    return row.value if row else None


# --- service -----------------------------------------------------------------------------


def test_a_province_officer_sets_a_target_and_it_is_audited(world):
    programme = web_programme()
    change = set_target(
        world.province_officer, programme, "CQ-T1", 2024, world.province, Decimal(85), SOURCE
    )
    assert _target("CQ-T1", 2024) == Decimal(85)
    assert (change.action, change.old_value, change.new_value) == ("update", "80", "85")
    assert change.source_document == SOURCE
    assert change.user == world.province_officer


def test_an_unchanged_target_writes_no_audit_row(world):
    programme = web_programme()
    set_target(
        world.province_officer, programme, "CQ-T1", 2024, world.province, Decimal(85), SOURCE
    )
    again = set_target(
        world.province_officer, programme, "CQ-T1", 2024, world.province, Decimal(85), SOURCE
    )
    assert again is None
    assert TargetChange.objects.count() == 1


def test_an_empty_value_removes_the_target(world):
    programme = web_programme()
    change = set_target(
        world.province_officer, programme, "CQ-T1", 2024, world.province, None, SOURCE
    )
    assert change.action == "delete"
    assert _target("CQ-T1", 2024) is None


def test_every_change_needs_its_source_document(world):
    programme = web_programme()
    with pytest.raises(InvalidInput) as error:
        set_target(world.province_officer, programme, "CQ-T1", 2024, world.province, Decimal(1), "")
    assert "văn bản giao chỉ tiêu" in error.value.details[0].message
    assert _target("CQ-T1", 2024) == Decimal(80)


def test_a_bad_cell_saves_nothing(world):
    programme = web_programme()
    with pytest.raises(InvalidInput) as error:
        set_targets(
            world.province_officer,
            programme,
            world.province,
            [
                TargetInput("CQ-T1", 2023, Decimal(75), SOURCE, path="2023"),
                TargetInput("CQ-T1", 2024, Decimal(120), SOURCE, path="2024"),
                TargetInput("CQ-T1", 2031, Decimal(90), SOURCE, path="2031"),
            ],
        )
    assert [d.path for d in error.value.details] == ["2024", "2031"]
    assert "100 %" in error.value.details[0].message
    assert _target("CQ-T1", 2023) == Decimal(70)
    assert not TargetChange.objects.exists()


def test_a_child_unit_gets_its_own_target(world):
    programme = web_programme()
    set_target(
        world.province_officer, programme, "CQ-T1", 2025, world.commune_a, Decimal(95), SOURCE
    )
    assert _target("CQ-T1", 2025, "99001") == Decimal(95)
    assert _target("CQ-T1", 2025) == Decimal(90)


def test_a_commune_officer_may_not_edit_the_province_targets(world):
    programme = web_programme()
    with pytest.raises(Forbidden):
        set_target(world.officer_a, programme, "CQ-T1", 2024, world.province, Decimal(1), SOURCE)


def test_an_outsider_does_not_find_another_communes_programme(world):
    programme = web_programme(code="CT-XA", unit="99001")
    with pytest.raises(NotFound):
        set_target(world.officer_b, programme, "CQ-T1", 2024, world.commune_a, Decimal(1), SOURCE)


# --- page --------------------------------------------------------------------------------


def _url(code: str = "CT-WEB", unit: str = "") -> str:
    url = reverse("indicators:targets_edit", args=[code])
    return f"{url}?unit={unit}" if unit else url


def test_the_grid_shows_targets_in_vietnamese_numbers(world, client_for):
    programme = web_programme()
    set_target(None, programme, "NL-T3", 2025, world.province, Decimal("12316.5"), SOURCE)
    response = client_for("province_officer").get(_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="80"' in text  # a ratio: "80", "97,5"
    assert 'value="12.316,5"' in text  # a count is grouped
    assert SOURCE in text


def test_a_child_units_grid_shows_the_province_target_as_a_hint(world, client_for):
    web_programme()
    text = client_for("province_officer").get(_url(unit="99001")).content.decode()
    assert 'placeholder="80"' in text


def test_a_province_officer_saves_a_row_without_javascript(world, client_for):
    web_programme()
    client = client_for("province_officer")
    response = client.post(
        _url(unit="99"),
        {
            "indicator": "NL-T3",
            "unit": "99",
            "value-2024": "1.234,5",
            "value-2025": "2.000",
            "source": SOURCE,
        },
    )
    assert response.status_code == 302
    assert "#row-NL-T3" in response["Location"]
    assert _target("NL-T3", 2024) == Decimal("1234.5")
    assert _target("NL-T3", 2025) == Decimal(2000)
    assert TargetChange.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu 2 thay đổi của chỉ tiêu NL-T3." in page


def test_an_htmx_row_save_returns_the_row(world, client_for):
    web_programme()
    response = client_for("province_officer").post(
        _url(unit="99"),
        {
            "indicator": "CQ-T1",
            "unit": "99",
            "value-2024": "82,5",
            "value-2023": "70",
            "value-2025": "90",
            "source": SOURCE,
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="row-CQ-T1",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<tr id="row-CQ-T1"')
    assert "Đã lưu 1 thay đổi" in text
    assert _target("CQ-T1", 2024) == Decimal("82.5")


def test_a_bad_number_is_named_and_nothing_is_saved(world, client_for):
    web_programme()
    response = client_for("province_officer").post(
        _url(unit="99"),
        {
            "indicator": "CQ-T1",
            "unit": "99",
            "value-2024": "tám mươi",
            "value-2025": "95",
            "source": SOURCE,
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "“tám mươi” không phải là số." in text
    assert 'value="tám mươi"' in text
    assert _target("CQ-T1", 2025) == Decimal(90)


def test_a_missing_source_is_shown_on_the_row(world, client_for):
    web_programme()
    response = client_for("province_officer").post(
        _url(unit="99"),
        {
            "indicator": "CQ-T1",
            "unit": "99",
            "value-2024": "85",
            "value-2023": "70",
            "value-2025": "90",
            "source": "",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="row-CQ-T1",
    )
    assert "Ghi văn bản giao chỉ tiêu" in response.content.decode()
    assert _target("CQ-T1", 2024) == Decimal(80)


def test_a_commune_officer_gets_a_403_on_the_targets_page(world, client_for):
    web_programme()
    client = client_for("officer_a")
    assert client.get(_url()).status_code == 403
    response = client.post(
        _url(), {"indicator": "CQ-T1", "unit": "99", "value-2024": "1", "source": SOURCE}
    )
    assert response.status_code == 403
    assert _target("CQ-T1", 2024) == Decimal(80)


def test_an_outsider_gets_a_404_on_the_targets_page(world, client_for):
    web_programme(code="CT-XA", unit="99001")
    assert client_for("officer_b").get(_url("CT-XA")).status_code == 404


def test_the_history_lists_the_changes(world, client_for):
    web_programme()
    client = client_for("province_officer")
    client.post(
        _url(unit="99001"),
        {"indicator": "CQ-T1", "unit": "99001", "value-2024": "75", "source": SOURCE},
    )
    text = client.get(_url()).content.decode()
    assert "Xã An Bình" in text
    assert "∅ → 75" in text
