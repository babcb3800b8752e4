"""DHIS2 `dataValueSets` documents (JSON or CSV) read into `ValueRow`s."""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput

from .rows import ValueRow

CSV_COLUMNS = ("dataelement", "period", "orgunit", "value")
# DHIS2's documented CSV layout, by position (docs: "Sending data values in CSV format").
CSV_LAYOUT = (
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
)
# Header names that mean a layout column: DHIS2's long and short spellings.
CSV_ALIASES = {
    **{name: name for name in CSV_LAYOUT},
    "categoryoptioncombo": "catoptcombo",
    "attributeoptioncombo": "attroptcombo",
    "strby": "storedby",
    "lstupd": "lastupdated",
    "cmt": "comment",
    # DHIS2's guide shows its CSV export's header with "flwup".
    "flwup": "followup",
    "created": "created",
}
VALUE_POSITION = CSV_LAYOUT.index("value")


def read_data_value_set(
    content: bytes | str, *, csv_format: bool, first_row_is_header: bool = True
) -> list[ValueRow]:
    """Rows of a DHIS2 `dataValueSets` document: JSON `{"dataValues": [...]}` or CSV.

    CSV follows DHIS2's positional layout (`CSV_LAYOUT`: dataelement, period, orgunit,
    catoptcombo, attroptcombo, value, storedby, lastupdated, comment, followup, deleted),
    its first row a header that is skipped (`first_row_is_header`, DHIS2's
    `firstRowIsHeader`). A header whose every cell names a layout column (any order, any
    case, DHIS2's short names `strby`, `lstupd`, `cmt` and its export's `flwup` too) is
    read by name instead; it needs dataelement, period, orgunit and value. A column a
    file does not have keeps what is stored. Row paths are "dataValues[i]" for JSON and
    "Dòng N" for CSV.
    Raises InvalidInput when the document itself cannot be read.
    """
    text = decode_text(content)
    if "\x00" in text:
        message = _("Nội dung có ký tự không hợp lệ (NUL).")
        raise InvalidInput(message, [ErrorDetail(".", message)])
    if csv_format:
        return _read_csv(text, first_row_is_header)
    document = load_json(text)
    values = document.get("dataValues") if isinstance(document, dict) else None
    if not isinstance(values, list):
        message = _("Cần một đối tượng JSON có danh sách “dataValues”.")
        raise InvalidInput(message, [ErrorDetail("dataValues", message)])
    # DHIS2 lets the set name the period, unit and attribute combo once for all its values.
    defaults = {
        key: document[key]
        for key in ("period", "orgUnit", "attributeOptionCombo")
        if document.get(key)
    }
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


def _csv_columns(header: list[str]) -> dict[str, int] | None:
    """Column positions named by the header, or None when it is not a header of names."""
    names = [CSV_ALIASES.get(cell.strip().lower().replace("_", "")) for cell in header]
    if not names or None in names:
        return None
    return {name: position for position, name in reversed(list(enumerate(names))) if name}


def _read_csv(text: str, first_row_is_header: bool) -> list[ValueRow]:
    records = list(csv.reader(io.StringIO(text)))
    first_line = 1
    columns: dict[str, int] = dict(zip(CSV_LAYOUT, range(len(CSV_LAYOUT)), strict=True))
    if first_row_is_header and records:
        named = _csv_columns(records[0])
        if named is not None:
            missing = [column for column in CSV_COLUMNS if column not in named]
            if missing:
                message = _("Dòng 1: thiếu cột %(columns)s.") % {"columns": ", ".join(missing)}
                raise InvalidInput(message, [ErrorDetail(_("Dòng 1"), message)])
            columns = named
        records, first_line = records[1:], 2
    # Translated once: a province file has tens of thousands of lines.
    line_label = _("Dòng %(line)s")
    short: list[ErrorDetail] = []
    rows = []
    for line, record in enumerate(records, start=first_line):
        if not any(cell.strip() for cell in record):
            continue

        def cell(name: str) -> str | None:
            position = columns.get(name)
            return None if position is None or position >= len(record) else record[position]  # noqa: B023

        path = line_label % {"line": line}
        if cell("value") is None and (cell("deleted") or "").strip().lower() != "true":
            short.append(
                ErrorDetail(
                    path,
                    _("%(row)s chỉ có %(count)s cột; cột value là cột %(position)s.")
                    % {"row": path, "count": len(record), "position": columns["value"] + 1},
                )
            )
            continue
        rows.append(
            ValueRow.from_mapping(
                {
                    "dataElement": (cell("dataelement") or "").strip(),
                    "period": (cell("period") or "").strip(),
                    "orgUnit": (cell("orgunit") or "").strip(),
                    "categoryOptionCombo": cell("catoptcombo"),
                    "attributeOptionCombo": cell("attroptcombo"),
                    "value": cell("value"),
                    "storedBy": cell("storedby"),
                    "comment": cell("comment"),
                    "followup": cell("followup"),
                    "deleted": cell("deleted"),
                },
                path,
            )
        )
    if short:
        message = _("Tệp CSV có %(count)s dòng thiếu cột; chưa nhập gì.") % {"count": len(short)}
        raise InvalidInput(message, short)
    return rows
