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


@pytest.mark.django_db
def test_the_results_table_exports_with_real_numbers_and_a_titled_frozen_header(
    world: World,
) -> None:
    from django.test import Client

    from dxboard.scorecards.tests.test_results import _publish, _score
    from dxboard.testing import make_unit

    make_unit("Xã Cần Đăng", code="99003", parent=world.province)
    scorecard = make_scorecard(world)
    _score(world, scorecard, "99001", 4, 40)  # 180
    _score(world, scorecard, "99002", 3, 40)  # 175
    _score(world, scorecard, "99003", 3, 40)  # 175
    services.set_ranked(world.admin, scorecard, "99001", False, "Sáp nhập giữa năm")
    _publish(world, scorecard)
    client = Client()
    client.force_login(world.officer_b)
    page = client.get("/scorecards/XA-2025/ranking/?sort=group:CQ").content.decode()
    assert 'href="/scorecards/XA-2025/ranking/export.xlsx?sort=group%3ACQ"' in page
    response = client.get("/scorecards/XA-2025/ranking/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "xep-hang-XA-2025" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    title = sheet["A1"].value
    assert "Bộ chỉ số đánh giá chuyển đổi số cấp xã năm 2025" in title
    assert "Tỉnh Thử Nghiệm" in title and "2025" in title
    assert sheet.freeze_panes == "A4"
    header = [c.value for c in sheet[3]]
    assert header[:6] == ["Hạng", "Mã đơn vị", "Đơn vị", "Điểm", "Điểm tối đa", "Chỉ số (0–1)"]
    assert "1. Nhận thức số" in header and "Xếp loại" in header and "Ghi chú" in header
    rows = [[c for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [r[1].value for r in rows] == ["99002", "99003", "99001"]
    first = rows[0]
    assert first[0].value == 1 and first[0].number_format == "#,##0"
    assert first[3].value == 175 and first[3].number_format == "#,##0.00"
    assert first[4].value == 200
    assert first[5].value == 0.875 and first[5].number_format == "0.0000"
    assert rows[1][0].value == 1  # the tie
    excluded = rows[2]
    assert excluded[0].value is None
    assert excluded[-1].value == "Không xếp hạng: Sáp nhập giữa năm"
    nt = header.index("1. Nhận thức số")
    assert first[nt].value == 75 and first[nt].number_format == "#,##0.00"
    assert sheet.column_dimensions["C"].width >= len("Phường Đông Hòa")
    # By a group: the group's points and rank, named in the title.
    response = client.get("/scorecards/XA-2025/ranking/export.xlsx?sort=group:CQ")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Hoạt động chính quyền số" in sheet["A1"].value
    assert sheet["E4"].value == 100


@pytest.mark.django_db
def test_before_publication_a_unit_exports_only_its_own_row(world: World) -> None:
    from django.test import Client

    scorecard = make_scorecard(world)
    for code in ("99001", "99002"):
        services.save_scores(
            world.admin, scorecard, [{"unit": code, "criterion": "NT-1", "value": 4}]
        )
    client = Client()
    client.force_login(world.officer_a)
    sheet = load_workbook(
        io.BytesIO(client.get("/scorecards/XA-2025/ranking/export.xlsx").content)
    ).active
    assert [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["99001"]
    assert sheet["A4"].value is None  # no rank before publication
    assert "chưa công bố" in sheet["A2"].value


@pytest.mark.django_db
def test_the_command_imports_a_json_set_and_checks_one_with_dry_run(
    world: World, tmp_path: Path
) -> None:
    import json

    from dxboard.scorecards.tests.factories import set_document

    path = tmp_path / "bo-chi-so.json"
    path.write_text(json.dumps(set_document(ownerUnit="99"), ensure_ascii=False), "utf-8")
    out = io.StringIO()
    call_command("import_scorecard", str(path), "--dry-run", stdout=out)
    assert "Chạy thử: bộ chỉ số XA-2025 hợp lệ" in out.getvalue()
    assert not Scorecard.objects.exists()
    call_command("import_scorecard", str(path), stdout=out)
    assert "Đã nhập bộ chỉ số XA-2025 (2 đơn vị được đánh giá)." in out.getvalue()
    bad = tmp_path / "sai.json"
    bad.write_text("{", "utf-8")
    with pytest.raises(CommandError, match="không phải JSON hợp lệ"):
        call_command("import_scorecard", str(bad))
