"""The shared Excel helpers of the registers: safe reading, header search, row errors."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from dxboard import spreadsheets
from dxboard.errors import InvalidInput
from dxboard.text import one_line


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_it_reads_the_first_sheet_and_finds_the_header_below_a_title():
    rows = spreadsheets.read_first_sheet(
        _xlsx([["DANH SÁCH"], [], ["STT", "Họ và tên", "Điện thoại"], [1, "An", 912]]),
        max_rows=10,
    )
    header = spreadsheets.find_header(rows, "HO VA TEN", "không thấy")
    assert header == 2
    columns = spreadsheets.map_columns(rows[header], {"name": ("Họ và tên",), "x": ("Không",)})
    assert columns == {"name": 1}
    assert [
        (line, spreadsheets.cells(r, columns)) for line, r in spreadsheets.data_rows(rows, 2)
    ] == [(4, {"name": "An"})]


def test_a_file_longer_than_allowed_is_refused_whole():
    rows = [["Mã"]] + [[n] for n in range(12)]
    with pytest.raises(InvalidInput, match="hơn 10 dòng"):
        spreadsheets.read_first_sheet(_xlsx(rows), max_rows=10)
    # Empty rows past the limit (formatting only) do not count.
    assert len(spreadsheets.read_first_sheet(_xlsx([["Mã"], [1], [None], [None]]), max_rows=2)) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Excel 97–2003"),
        (b"STT;Ho va ten\n1;An\n", "không đọc được"),
        (b"", "không đọc được"),
    ],
)
def test_it_refuses_what_is_not_an_xlsx_with_a_message(content, message):
    with pytest.raises(InvalidInput, match=message):
        spreadsheets.read_first_sheet(io.BytesIO(content), max_rows=10)


def test_it_refuses_a_zip_that_is_not_a_workbook_or_unzips_too_big(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải Excel")
    with pytest.raises(InvalidInput, match="không đọc được"):
        spreadsheets.read_first_sheet(buffer, max_rows=10)
    monkeypatch.setattr(spreadsheets, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(InvalidInput, match="giải nén"):
        spreadsheets.read_first_sheet(_xlsx([["Mã"]]), max_rows=10)


def test_cells_become_text_and_dates():
    assert spreadsheets.cell_text(1975.0) == "1975"
    assert spreadsheets.cell_text("  Ấp   Một ") == "Ấp Một"
    assert spreadsheets.cell_date(datetime(2025, 2, 1, 0, 0)) == date(2025, 2, 1)
    assert spreadsheets.cell_date("01/02/2025") == date(2025, 2, 1)
    assert spreadsheets.cell_date("") is None
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        spreadsheets.cell_date("2025/31/12")


def test_row_errors_name_line_and_column_and_stop_the_import():
    errors = spreadsheets.RowErrors(7)
    assert not errors
    errors.cell("Điện thoại", "không hợp lệ.")
    errors.row("ghi hai lần.")
    assert [d.path for d in errors.details] == ["Dòng 7, cột “Điện thoại”", "Dòng 7"]
    with pytest.raises(InvalidInput, match="Tệp có 2 lỗi; chưa có dòng nào được lưu"):
        spreadsheets.raise_if_errors(errors.details, parsed=3)
    with pytest.raises(InvalidInput, match="không có dòng dữ liệu"):
        spreadsheets.raise_if_errors([], parsed=0)


def test_a_titled_sheet_has_title_subtitle_and_a_frozen_header():
    workbook, sheet = spreadsheets.titled_sheet("Tờ", "TIÊU ĐỀ", "Phụ đề", ["A", "B"], [5, 9])
    sheet.append([1, 2])
    saved = load_workbook(io.BytesIO(spreadsheets.workbook_bytes(workbook))).active
    assert [list(r) for r in saved.iter_rows(values_only=True)] == [
        ["TIÊU ĐỀ", None], ["Phụ đề", None], ["A", "B"], [1, 2],
    ]  # fmt: skip
    assert saved.freeze_panes == "A4" and saved["A3"].font.bold
    response = spreadsheets.xlsx_response(b"x", "tep.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="tep.xlsx"'


def test_control_characters_leave_names_and_never_break_an_export():
    # Regression: a unit name with a control character (pasted text) made openpyxl refuse
    # the cell, and the field-report statistics export answered 500.
    assert one_line("Ấp\x0bTân\x04 Hòa\t\n Mới\x85") == "Ấp Tân Hòa Mới"
    assert spreadsheets.cell_text("  Tổ\x1a  số 1 ") == "Tổ số 1"
    sheet = Workbook().active
    spreadsheets.append_row(sheet, ["Xã\x04 An Bình", 12, None])
    assert [cell.value for cell in sheet[1]] == ["Xã An Bình", 12, None]
