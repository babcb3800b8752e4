"""DHIS2 `dataValueSets` documents (JSON or CSV) read into `ValueRow`s."""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput

from .rows import ValueRow

CSV_COLUMNS = ("dataelement", "period", "orgunit", "value")


def read_data_value_set(content: bytes | str, *, csv_format: bool) -> list[ValueRow]:
    """Rows of a DHIS2 `dataValueSets` document: JSON `{"dataValues": [...]}` or CSV.

    CSV needs the header `dataelement,period,orgunit,value` (any order, any case);
    DHIS2's other columns (categoryoptioncombo, storedby, comment, ...) are accepted and
    only `comment` is kept. Row paths are "dataValues[i]" for JSON and "Dòng N" for CSV.
    Raises InvalidInput when the document itself cannot be read.
    """
    text = decode_text(content)
    if "\x00" in text:
        message = _("Nội dung có ký tự không hợp lệ (NUL).")
        raise InvalidInput(message, [ErrorDetail(".", message)])
    if csv_format:
        return _read_csv(text)
    document = load_json(text)
    values = document.get("dataValues") if isinstance(document, dict) else None
    if not isinstance(values, list):
        message = _("Cần một đối tượng JSON có danh sách “dataValues”.")
        raise InvalidInput(message, [ErrorDetail("dataValues", message)])
    # DHIS2 lets the set name the period and unit once for all its values.
    defaults = {key: document[key] for key in ("period", "orgUnit") if document.get(key)}
    rows = []
    for i, item in enumerate(values):
        if not isinstance(item, dict):
            message = _("Mỗi số liệu phải là một đối tượng JSON.")
            raise InvalidInput(message, [ErrorDetail(f"dataValues[{i}]", message)])
        rows.append(ValueRow.from_mapping({**defaults, **item, "path": ""}, f"dataValues[{i}]"))
    return rows


def decode_text(content: bytes | str) -> str:
    """UTF-8 text (a BOM is allowed); another encoding is refused with a clear message."""
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A CSV saved by Excel as "CSV (Comma delimited)" is Windows-1258/Latin-1, not UTF-8.
        message = _(
            "Nội dung không phải văn bản UTF-8 (byte thứ %(position)s); "
            "hãy lưu tệp với mã hóa UTF-8 (Excel: “CSV UTF-8”)."
        ) % {"position": error.start + 1}
        raise InvalidInput(message, [ErrorDetail(".", message)]) from None


def _refuse_constant(name: str) -> None:
    message = _("Giá trị “%(value)s” không phải là số hợp lệ.") % {"value": name}
    raise InvalidInput(message, [ErrorDetail(".", message)])


def load_json(text: str) -> object:
    """JSON without NaN/Infinity (not JSON, and no figure) and without deep nesting."""
    try:
        return json.loads(text or "null", parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        message = _("Nội dung không phải JSON hợp lệ (dòng %(line)s).") % {"line": error.lineno}
        raise InvalidInput(message, [ErrorDetail(".", message)]) from None
    except RecursionError:
        message = _("Nội dung JSON lồng nhau quá sâu.")
        raise InvalidInput(message, [ErrorDetail(".", message)]) from None


def _read_csv(text: str) -> list[ValueRow]:
    reader = csv.reader(io.StringIO(text))
    header = [column.strip().lower() for column in next(reader, [])]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        message = _("Dòng 1: thiếu cột %(columns)s.") % {"columns": ", ".join(missing)}
        raise InvalidInput(message, [ErrorDetail(_("Dòng 1"), message)])
    index = {column: header.index(column) for column in header}
    element, period, unit, value = (index[column] for column in CSV_COLUMNS)
    comment = index.get("comment")
    width = len(header)
    # Translated once: a province file has tens of thousands of lines.
    line_label = _("Dòng %(line)s")
    rows = []
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < width:
            record = record + [""] * (width - len(record))
        rows.append(
            ValueRow(
                data_element=record[element].strip(),
                period=record[period].strip(),
                org_unit=record[unit].strip(),
                value=record[value],
                comment="" if comment is None else record[comment],
                path=line_label % {"line": line},
            )
        )
    return rows
