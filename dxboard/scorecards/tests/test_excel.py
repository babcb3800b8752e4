"""The set as an Excel sheet in the provinces' layout: export, import, round trip, and
a duplicate STT or a missing parent named by line and STT."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from dxboard.errors import InvalidInput
from dxboard.scorecards import services
from dxboard.scorecards.excel import export_scorecard, read_scorecard_file
from dxboard.scorecards.models import Scorecard
from dxboard.scorecards.tests.factories import make_scorecard
from dxboard.spreadsheets import workbook_bytes
from dxboard.testing import World

HEADER = [
    "STT",
    "Chỉ số",
    "Điểm tối đa",
    "Cách xác định và tính điểm",
    "Tài liệu kiểm chứng",
    "Nguồn",
    "Đơn vị xác minh",
]


def _sheet(rows: list[list[Any]], meta: dict[str, object] | None = None) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CẤP XÃ"])
    sheet.append(["(Kèm theo Quyết định số 123/QĐ-UBND)"])
    sheet.append([*HEADER, "Cách tính", "Tham số"])
    for row in rows:
        sheet.append(row)
    meta = meta or {
        "Mã bộ chỉ số": "XA-X",
        "Năm": 2025,
        "Loại đơn vị": "commune",
        "Tổng điểm tối đa": 40,
    }
    for key, value in meta.items():
        sheet.append([key, value])
    return io.BytesIO(workbook_bytes(workbook))


@pytest.mark.django_db
def test_export_writes_the_decisions_layout(world: World) -> None:
    content = export_scorecard(make_scorecard(world))
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[3]][:7] == HEADER
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert rows[0][:3] == ["1", "Nhận thức số", 100]
    assert rows[1][:3] == ["1.1", "Ban chỉ đạo chuyển đổi số họp trong năm", 20]
    assert rows[1][3] == "≥ 4: 20; ≥ 3: 15; ≥ 2: 10; ≥ 1: 5; còn lại: 0"
    assert rows[1][9] == "4: 20; 3: 15; 2: 10; 1: 5"


@pytest.mark.django_db
def test_an_exported_file_imports_back_into_the_same_set(world: World, tmp_path: Path) -> None:
    original = make_scorecard(world)
    path = tmp_path / "bo-chi-so.xlsx"
    path.write_bytes(export_scorecard(original))
    original_document = services.scorecard_document(original)
    Scorecard.objects.filter(pk=original.pk).delete()
    call_command("import_scorecard", str(path))
    copy = Scorecard.objects.get(code="XA-2025")
    document = services.scorecard_document(copy)
    for key in ("name", "groups", "maxPoints", "year", "unitKind", "tiers", "closesOn"):
        assert document[key] == original_document[key], key


@pytest.mark.django_db
def test_an_excel_set_with_a_duplicate_stt_is_refused_naming_the_line(world: World) -> None:
    file = _sheet(
        [
            ["1", "Nhận thức số", 40],
            ["1.1", "Họp BCĐ", 20, "", "", "", "", "steps", "4: 20; 2: 10"],
            ["1.1", "Chuyên mục", 20, "", "", "", "", "yesno"],
        ]
    )
    with pytest.raises(InvalidInput) as error:
        read_scorecard_file(file)
    assert [(d.path, d.message) for d in error.value.details] == [
        ("Dòng 6, cột “STT”", "STT “1.1” trùng với dòng 5.")
    ]


@pytest.mark.django_db
def test_an_excel_set_with_a_missing_parent_is_refused(world: World) -> None:
    file = _sheet([["1", "Nhận thức số", 40], ["2.1", "Chỉ số mồ côi", 40]])
    with pytest.raises(InvalidInput) as error:
        read_scorecard_file(file)
    assert error.value.details[0].path == "Dòng 5, cột “STT”"
    assert "không có chỉ số chính “2”" in error.value.details[0].message


@pytest.mark.django_db
def test_excel_maxima_errors_name_the_line_and_stt(world: World) -> None:
    file = _sheet([["1", "Nhận thức số", 40], ["1.1", "Họp BCĐ", 30], ["1.2", "Chuyên mục", ""]])
    document, where = read_scorecard_file(file)
    with pytest.raises(InvalidInput) as error:
        services.import_scorecard(world.province_officer, document, where=where)
    paths = {d.path: d.message for d in error.value.details}
    assert paths["Dòng 6 (STT 1.2), cột “Điểm tối đa”"] == "Chỉ số 1.2: thiếu điểm tối đa."
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_errors_without_saving(world: World, tmp_path: Path) -> None:
    path = tmp_path / "sai.xlsx"
    path.write_bytes(_sheet([["1", "Nhận thức số", 40], ["1.1", "Họp", 30]]).getvalue())
    with pytest.raises(CommandError, match="cộng lại 30 điểm"):
        call_command("import_scorecard", str(path))
    assert not Scorecard.objects.exists()
