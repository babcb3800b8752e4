"""Excel helpers shared by the registers' imports and exports (community teams, DX projects).

Reading: the first sheet of an uploaded .xlsx, refused with a plain message when it is not
an .xlsx, too large, or longer than the register allows; the header row and the columns
found by their Vietnamese titles wherever the province's template puts them.

Errors: `RowErrors` names each bad cell "Dòng N, cột “X”", the way officers talk about a
sheet. Imports are all-or-nothing, so callers collect every row's errors and call
`raise_if_errors` before writing anything.

Writing: `titled_sheet` lays out a title, a subtitle and a bold header row, the layout the
provinces already use; `titled_table` does the same for a whole table of figures (real
numbers with formats, frozen header, fitted widths); `xlsx_response` sends the file.

The report forms' protected workbooks (`dxboard.reporting.excel`) are another
format, signed and round-tripped cell by cell; they do not use this module.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.text import fold, one_line

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 10 * 1024 * 1024
# A small .xlsx can unzip to gigabytes; openpyxl would read it all into memory.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# The header may sit below a title and a subtitle; it is looked for in the first rows only.
HEADER_SEARCH_ROWS = 15
# Rows 1–2 hold the title and subtitle, row 3 the header; data starts on row 4.
HEADER_ROW = 3
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_DATE_PATTERNS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


# --- cells ---------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as one line of text: None is "", 1975.0 is "1975", runs of spaces are one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return one_line(str(value))


def excel_safe(value: Any) -> Any:
    """A value openpyxl will write: text loses the control characters a sheet cannot hold.

    Text pasted from a word processor may carry them (a vertical tab, a form feed), and
    openpyxl refuses such a cell, which would fail the whole export.
    """
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    sheet.append([excel_safe(value) for value in values])


def is_blank(values: Iterable[Any]) -> bool:
    return not any(cell_text(value) for value in values)


def cell_date(value: Any) -> date | None:
    """A date cell, or a text date written dd/mm/yyyy; None when blank.

    Raises ValueError with a message naming the expected format otherwise.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” không phải ngày (dd/mm/yyyy).") % {"value": text})


# --- reading -------------------------------------------------------------------------------


def _size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def _check_container(file: IO[bytes]) -> None:
    """Refuse files that are not an .xlsx before openpyxl reads them, with a useful message."""
    if _size(file) > MAX_FILE_BYTES:
        raise InvalidInput(_("Tệp lớn hơn %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    file.seek(0)
    magic = file.read(4)
    file.seek(0)
    if magic == _OLE2_MAGIC:
        raise InvalidInput(
            _(
                "Tệp là Excel 97–2003 (.xls); hệ thống chỉ đọc .xlsx. "
                "Hãy mở tệp bằng Excel và lưu lại dạng .xlsx."
            )
        )
    try:
        with zipfile.ZipFile(file) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            is_workbook = "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile as error:
        raise InvalidInput(_("Tệp không đọc được. Hãy tải lên tệp Excel (.xlsx).")) from error
    finally:
        file.seek(0)
    if not is_workbook:
        raise InvalidInput(_("Tệp không đọc được. Hãy tải lên tệp Excel (.xlsx)."))
    if unzipped > MAX_UNZIPPED_BYTES:
        raise InvalidInput(_("Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp."))


def read_first_sheet(file: IO[bytes], *, max_rows: int) -> list[tuple[Any, ...]]:
    """The cell values of the first sheet, row by row (a row may be shorter than others).

    A file with content beyond `max_rows` rows is refused whole rather than cut, so that
    nothing is half-imported.
    """
    _check_container(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on broken files
        raise InvalidInput(_("Tệp không đọc được. Hãy tải lên tệp Excel (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong used range; read what the sheet really holds.
        sheet.reset_dimensions()
        rows: list[tuple[Any, ...]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) < max_rows:
                rows.append(tuple(values))
            elif not is_blank(values):
                raise InvalidInput(
                    _("Tệp có hơn %(max)s dòng; hãy chia thành nhiều tệp.") % {"max": max_rows}
                )
        return rows
    finally:
        workbook.close()


def find_header(rows: Sequence[Sequence[Any]], title: str, message: str) -> int:
    """The index of the first row holding a cell `title` (compared without diacritics)."""
    key = fold(title)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(fold(cell_text(value)) == key for value in row):
            return index
    raise InvalidInput(message)


def map_columns(header: Sequence[Any], wanted: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """{field: column index} for the fields whose title (or one alias) is in the header.

    Titles compare without diacritics and case; the first matching column wins.
    """
    names = {field: {fold(title) for title in titles} for field, titles in wanted.items()}
    found: dict[str, int] = {}
    for position, value in enumerate(header):
        key = fold(cell_text(value))
        for field, titles in names.items():
            if key in titles and field not in found:
                found[field] = position
    return found


def cells(raw: Sequence[Any], columns: Mapping[str, int]) -> dict[str, Any]:
    """The raw values of one row by field; a column past the row's end is None."""
    return {field: raw[index] if index < len(raw) else None for field, index in columns.items()}


def data_rows(rows: Sequence[Sequence[Any]], header_index: int):
    """(line number as Excel shows it, row) for every row below the header."""
    return enumerate(rows[header_index + 1 :], start=header_index + 2)


# --- errors --------------------------------------------------------------------------------


class RowErrors:
    """The errors of one data row, each named by its line and column."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.details: list[ErrorDetail] = []

    def cell(self, column: str, message: str) -> None:
        path = _("Dòng %(line)s, cột “%(column)s”") % {"line": self.line, "column": column}
        self.details.append(ErrorDetail(path, message))

    def row(self, message: str) -> None:
        self.details.append(ErrorDetail(_("Dòng %(line)s") % {"line": self.line}, message))

    def __bool__(self) -> bool:
        return bool(self.details)


def raise_if_errors(errors: list[ErrorDetail], parsed: int) -> None:
    """Stop an import before anything is written: on any error, or when no row has data."""
    if errors:
        raise InvalidInput(
            _("Tệp có %(count)s lỗi; chưa có dòng nào được lưu.") % {"count": len(errors)}, errors
        )
    if not parsed:
        raise InvalidInput(_("Tệp không có dòng dữ liệu nào."))


# --- writing -------------------------------------------------------------------------------


def titled_sheet(
    sheet_name: str, title: str, subtitle: str, headers: Sequence[str], widths: Sequence[int]
) -> tuple[Workbook, Worksheet]:
    """A workbook whose first sheet has the title, subtitle and header rows; append data."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [subtitle])
    sheet.append(list(headers))
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return workbook, sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- titled tables (every table a person sees, exported) ----------------------------------

# Excel number formats: the codes use "," for thousands and "." for decimals, and Excel
# shows them with the reader's own separators, so a Vietnamese Excel shows 1.234,5 while
# the cell stays a real number that sums and sorts.
INTEGER = "#,##0"
DECIMAL_1 = "#,##0.0"
DECIMAL_2 = "#,##0.00"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
MIN_WIDTH, MAX_WIDTH = 6, 60


class Column:
    """One column of a titled table: its title and, for numbers and dates, the format."""

    def __init__(self, title: str, number_format: str = "", *, wrap: bool = False) -> None:
        self.title = title
        self.number_format = number_format
        self.wrap = wrap


def _width(value: Any, number_format: str) -> int:
    if value is None:
        return 0
    if isinstance(value, float | int) and not isinstance(value, bool):
        # Grouping separators and decimals take room once formatted.
        digits = len(f"{abs(value):,.2f}") if number_format != INTEGER else len(f"{value:,}")
        return digits + 1
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).split("\n")), default=0)


def titled_table(
    sheet_name: str,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    workbook: Workbook | None = None,
) -> Workbook:
    """A sheet with the title (name the unit and the period in it), a subtitle, a bold
    header frozen above the data, real numbers with their formats, and widths that fit
    the longest value (bounded). With `workbook`, the sheet is added to it."""
    if workbook is None:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = excel_safe(sheet_name)[:31]
    else:
        sheet = workbook.create_sheet(excel_safe(sheet_name)[:31])
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [subtitle])
    sheet["A2"].font = Font(italic=True)
    append_row(sheet, [c.title for c in columns])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max(MIN_WIDTH, min(len(c.title), 30)) for c in columns]
    for values in rows:
        values = [float(v) if isinstance(v, Decimal) else v for v in values]
        append_row(sheet, values)
        line = sheet.max_row
        for index, (column, value) in enumerate(zip(columns, values, strict=True)):
            cell = sheet.cell(row=line, column=index + 1)
            if column.number_format and value is not None:
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[index] = max(widths[index], _width(value, column.number_format))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return workbook
