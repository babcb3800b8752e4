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
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    if csv_format:
        return _read_csv(text)
    try:
        document = json.loads(text or "null")
    except json.JSONDecodeError as error:
        message = _("Nội dung không phải JSON hợp lệ (dòng %(line)s).") % {"line": error.lineno}
        raise InvalidInput(message, [ErrorDetail(".", message)]) from None
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
