"""The metadata import: upsert by code, all or nothing, errors with JSON paths."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from dxboard.errors import Forbidden, InvalidInput
from dxboard.indicators.models import DataElement, Indicator, Programme, Target
from dxboard.indicators.services import import_metadata, load_catalogue
from dxboard.units.models import Unit

pytestmark = pytest.mark.django_db


def document() -> dict:
    return {
        "organisationUnits": [
            {"code": "99001-AP9", "name": "Ấp Chín", "level": "hamlet", "parent": "99001"},
            {"code": "SYT", "name": "Sở Y tế", "level": "agency", "parent": "99"},
        ],
        "dataElements": [
            {
                "code": "HS-TT",
                "name": "Hồ sơ trực tuyến",
                "valueType": "INTEGER",
                "aggregationType": "SUM",
            },
            {
                "code": "HS-TONG",
                "name": "Tổng hồ sơ",
                "valueType": "integer",
                "aggregationType": "sum",
            },
        ],
        "indicators": [
            {
                "code": "HS",
                "name": "Tỷ lệ hồ sơ trực tuyến",
                "numerator": "HS-TT",
                "denominator": "HS-TONG",
                "factor": 100,
                "unit": "%",
                "direction": "up",
                "pillar": "chinh_quyen_so",
            }
        ],
        "programmes": [
            {
                "code": "CT-553",
                "name": "Chương trình chuyển đổi số tỉnh giai đoạn 2021–2025",
                "startYear": 2021,
                "endYear": 2025,
                "thresholds": [100, 70, 50],
                "orgUnit": "99",
                "indicators": ["HS"],
                "targets": [
                    {"indicator": "HS", "year": 2024, "orgUnit": "99", "value": 50},
                    {"indicator": "HS", "year": 2025, "orgUnit": "99001", "value": "60.5"},
                ],
            }
        ],
    }


def test_it_imports_everything_and_a_second_run_updates(world):
    summary = import_metadata(world.province_officer, document()).as_dict()
    assert summary["stats"] == {"created": 8, "updated": 0, "total": 8}
    assert Unit.objects.get(code="99001-AP9").parent == world.commune_a
    indicator = Indicator.objects.get(code="HS")
    assert indicator.kind == "ratio" and indicator.denominator.code == "HS-TONG"
    programme = Programme.objects.get(code="CT-553")
    assert programme.owner_unit == world.province and programme.indicators.count() == 1
    assert Target.objects.get(year=2025).value == 60.5
    again = document()
    again["indicators"][0]["name"] = "Tỷ lệ hồ sơ nộp trực tuyến"
    second = import_metadata(world.province_officer, again).as_dict()
    assert second["stats"] == {"created": 0, "updated": 8, "total": 8}
    assert Indicator.objects.get(code="HS").name == "Tỷ lệ hồ sơ nộp trực tuyến"


def test_a_dry_run_writes_nothing(world):
    summary = import_metadata(world.admin, document(), dry_run=True).as_dict()
    assert summary["dryRun"] and summary["stats"]["created"] == 8
    assert not DataElement.objects.exists() and not Unit.objects.filter(code="SYT").exists()


def test_every_error_is_named_by_its_json_path_and_nothing_is_imported(world):
    doc = document()
    doc["organisationUnits"][0]["parent"] = "KHONGCO"
    doc["dataElements"][1]["valueType"] = "so"
    doc["indicators"][0]["numerator"] = "KHONG-CO"
    doc["indicators"][0]["pillar"] = "kinh_te"
    doc["programmes"][0]["thresholds"] = [50, 70, 100]
    doc["programmes"][0]["endYear"] = 2020
    doc["programmes"][0]["targets"].append(
        {"indicator": "HS", "year": 2024, "orgUnit": "99", "value": "nhiều"}
    )
    doc["programmes"][0]["targets"].append({"indicator": "XX", "year": 2024, "value": 1})
    with pytest.raises(InvalidInput) as raised:
        import_metadata(world.admin, doc)
    paths = [d.path for d in raised.value.details]
    for expected in (
        "organisationUnits[0].parent",
        "dataElements[1].valueType",
        "indicators[0].numerator",
        "indicators[0].pillar",
        "programmes[0].thresholds",
        "programmes[0].endYear",
        "programmes[0].targets[2].value",
        "programmes[0].targets[2]",  # duplicate of targets[0]
        "programmes[0].targets[3].indicator",
    ):
        assert expected in paths, (expected, paths)
    assert not DataElement.objects.exists() and not Unit.objects.filter(code="SYT").exists()


def test_a_reporter_may_not_import_metadata(world):
    with pytest.raises(Forbidden):
        import_metadata(world.officer_a, document())


def test_a_province_officer_may_not_create_a_province(world):
    doc = {"organisationUnits": [{"code": "98", "name": "Tỉnh khác", "level": "province"}]}
    with pytest.raises(InvalidInput) as raised:
        import_metadata(world.province_officer, doc)
    assert {d.path for d in raised.value.details} >= {"organisationUnits[0]"}


def test_a_programme_of_another_unit_is_refused(world):
    doc = document()
    doc["programmes"][0]["orgUnit"] = "99002"
    doc["programmes"][0]["targets"] = []
    officer = world.officer_a
    from dxboard.accounts.models import Role
    from dxboard.accounts.services import grant_role

    grant_role(officer, world.commune_a, Role.PROVINCE_OFFICER)
    del doc["organisationUnits"]
    with pytest.raises(InvalidInput) as raised:
        import_metadata(officer, doc)
    assert "programmes[0].orgUnit" in [d.path for d in raised.value.details]


def test_the_catalogue_has_the_indicators_other_apps_write_to(db):
    load_catalogue()
    load_catalogue()  # idempotent
    assert Indicator.objects.count() >= 30
    for code, (numerator, denominator) in {
        "CQ-11": ("CQ-11-DAXL", "CQ-11-TIEPNHAN"),
        "CQ-12": ("CQ-12-DUNGHAN", "CQ-12-DAXL"),
        "CQ-13": ("CQ-13-HAILONG", "CQ-13-DANHGIA"),
        "NL-02": ("NL-02-THANHVIEN", "NL-02-DANSO"),
        "XH-08": ("XH-08-COTO", "XH-08-TONG"),
    }.items():
        indicator = Indicator.objects.get(code=code)
        assert (indicator.numerator.code, indicator.denominator.code) == (numerator, denominator)
        assert indicator.factor == 100
    assert Indicator.objects.get(code="CQ-06").direction == "down"
    prefixes = {code[:2] for code in Indicator.objects.values_list("code", flat=True)}
    assert prefixes >= {"NT", "TC", "HT", "NL", "AT", "CQ", "KT", "XH"}


def test_the_commands_import_a_file_and_report_errors(world, tmp_path, capsys):
    path = tmp_path / "metadata.json"
    path.write_text(json.dumps(document()), encoding="utf-8")
    call_command("import_metadata", str(path), "--dry-run")
    assert not Programme.objects.exists()
    call_command("import_metadata", str(path))
    assert Programme.objects.filter(code="CT-553").exists()
    bad = document()
    bad["programmes"][0]["targets"][0]["value"] = "x"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError, match=r"programmes\[0\]\.targets\[0\]\.value"):
        call_command("import_metadata", str(path))
    call_command("load_catalogue")
    assert "52 chỉ tiêu" in capsys.readouterr().out


def test_a_target_in_the_vietnamese_number_format_is_refused_naming_its_path(world):
    # A metadata document is written by a program (API, CLI): "60,5" is not a JSON number.
    bad = document()
    bad["programmes"][0]["targets"][1]["value"] = "60,5"
    with pytest.raises(InvalidInput) as raised:
        import_metadata(world.province_officer, bad)
    assert [d.path for d in raised.value.details] == ["programmes[0].targets[1].value"]
    assert not Target.objects.exists()


def test_a_data_element_declares_its_plausible_range(world):
    """Issue 18: minValue / maxValue, checked by the write path on every channel."""
    element = {"code": "THAYDOI", "name": "Số hộ tăng thêm", "valueType": "integer"}
    import_metadata(None, {"dataElements": [{**element, "minValue": -500, "maxValue": "1000"}]})
    saved = DataElement.objects.get(code="THAYDOI")
    assert saved.bounds == (Decimal(-500), Decimal(1000))
    with pytest.raises(InvalidInput) as error:
        import_metadata(None, {"dataElements": [{**element, "minValue": 5, "maxValue": 1}]})
    assert error.value.details[0].path == "dataElements[0].minValue"
    import_metadata(None, {"dataElements": [element]})
    assert DataElement.objects.get(code="THAYDOI").bounds == (Decimal(0), None)
