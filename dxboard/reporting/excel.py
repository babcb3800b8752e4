"""Excel round-trip: a pre-filled, protected .xlsx per form and period, and its upload.

The workbook has an instructions sheet in Vietnamese, one sheet per unit, and a very
hidden sheet holding the form, period and the layout (which row holds which data element)
signed with an HMAC of the server's secret key. An upload is refused, with nothing
written, when the file is not an .xlsx, is too large, is not ours or was tampered with,
holds formulas or bad numbers, or when its period is not open.

The layout also records, per figure, the version it had when the file was made and a
fingerprint of what its cells held (issue 18). An upload writes only the cells the
officer changed, so a figure entered on the web since the download is never overwritten
by the old copy in the file; a changed cell whose figure changed on the web meanwhile is a
conflict naming the sheet and the cell. Sheets left unchanged are skipped, so a
province-wide file goes through while some units' reports are submitted (issue 20), and
sheets removed from the file are skipped as well; the summary names both.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from dxboard.collection.models import DataValue
from dxboard.errors import ErrorDetail, InvalidInput, NotFound, ServiceError
from dxboard.indicators.models import ValueType
from dxboard.numbers import format_vn
from dxboard.spreadsheets import excel_safe
from dxboard.units.models import Unit
from dxboard.units.resolve import CodeResolver, day_of

from .models import Submission
from .services.calendar import parse_form_period, period_info
from .services.forms import (
    all_fields,
    expected_units,
    form_structure,
    get_visible_form,
    units_for_user,
)
from .services.validation import parse_field
from .services.workflow import save_draft

if TYPE_CHECKING:
    from dxboard.accounts.models import User

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
META_SHEET = "_dxboard"
INSTRUCTIONS_SHEET = "Hướng dẫn"
HEADER_ROW = 6
COL_CODE, COL_LABEL, COL_UNIT, COL_PREVIOUS, COL_VALUE, COL_COMMENT = 2, 3, 4, 5, 6, 7
SHEET_PASSWORD = "dxboard"  # keeps the layout from accidental edits; the HMAC detects the rest
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEAD_FILL = PatternFill("solid", fgColor="E9ECEF")


def _sign(payload: str) -> str:
    key = hashlib.sha256(("dxboard-excel:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def _title(unit: Unit, used: set[str]) -> str:
    base = _BAD_TITLE.sub("-", unit.code)[:28] or "DV"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}-{n}", n + 1
    used.add(title)
    return title


def filename(form_code: str, period_code: str, unit_code: str | None = None) -> str:
    parts = [form_code, period_code] + ([unit_code] if unit_code else [])
    return "_".join(re.sub(r"[^A-Za-z0-9_-]", "", p) for p in parts) + ".xlsx"


def build_workbook(
    user: User, form_code: str, period_code: str, unit_code: str | None = None
) -> bytes:
    """The template for one unit, or (unit_code None) for every unit the user reports for."""
    form = get_visible_form(user, form_code)
    period = parse_form_period(form, period_code)
    if unit_code:
        # the unit in force in that period (issue 17): 2024 templates carry former units
        unit = CodeResolver([unit_code], among=Unit.objects.visible_to(user)).at(
            unit_code, day_of(period)
        )
        if isinstance(unit, str) or not expected_units(form, period).filter(pk=unit.pk).exists():
            raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit_code})
        units = [unit]
    else:
        units = list(units_for_user(user, form, period))
        if not units:
            raise NotFound(_("Bạn không báo cáo biểu mẫu này cho đơn vị nào."))
    info = period_info(form, period)
    structure = form_structure(form)
    fields = all_fields(structure)
    codes = [f.code for f in fields]
    stored: dict[tuple[int, str], DataValue] = {
        (v.unit_id, v.data_element.code): v
        for v in DataValue.objects.filter(
            unit__in=units, period=period.code, data_element__code__in=codes
        ).select_related("data_element")
    }
    previous = {
        (unit_id, code): value
        for unit_id, code, value in DataValue.objects.filter(
            unit__in=units, period=period.previous().code, data_element__code__in=codes
        ).values_list("unit_id", "data_element__code", "value")
    }
    statuses = dict(
        Submission.objects.filter(form=form, period=period.code, unit__in=units).values_list(
            "unit_id", "status"
        )
    )
    workbook = Workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS_SHEET
    _instructions(guide, form, info)
    meta_sheets = []
    used: set[str] = {INSTRUCTIONS_SHEET, META_SHEET}
    for unit in units:
        sheet = workbook.create_sheet(_title(unit, used))
        rows = _unit_sheet(sheet, form, info, unit, structure, stored, previous, statuses)
        meta_sheets.append({"title": sheet.title, "unit": unit.code, "rows": rows})
    meta = workbook.create_sheet(META_SHEET)
    payload = json.dumps(
        {"form": form.code, "period": period.code, "sheets": meta_sheets},
        ensure_ascii=False,
        sort_keys=True,
    )
    meta["A1"], meta["A2"] = payload, _sign(payload)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    meta.protection.password = SHEET_PASSWORD
    workbook.active = 1 if len(units) == 1 else 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet, form, info) -> None:
    lines = [
        (_("HƯỚNG DẪN NHẬP BIỂU MẪU %(code)s") % {"code": form.code}, True),
        (form.name, True),
        (
            _("Kỳ báo cáo: %(p)s. Hạn nộp: %(d)s.")
            % {"p": info.period.label, "d": info.deadline.strftime("%d/%m/%Y")},
            False,
        ),
        ("", False),
        (_("1. Mỗi trang là một đơn vị (tên trang là mã đơn vị)."), False),
        (_("2. Chỉ nhập vào cột “Số liệu” và “Ghi chú” (ô nền vàng). Các ô khác bị khóa."), False),
        (_("3. Nhập số, không nhập công thức. Số thập phân dùng dấu phẩy (1.234,5)."), False),
        (_("4. Tỷ lệ phần trăm nhập từ 0 đến 100, không kèm dấu %."), False),
        (_("5. Để trống ô nếu chưa có số liệu; ô trống sẽ xóa số liệu đã lưu."), False),
        (_("6. Số liệu chênh lệch lớn so với kỳ trước cần ghi chú giải trình."), False),
        (
            _("7. Không thêm, xóa, đổi tên trang hoặc dòng: tệp bị sửa cấu trúc sẽ bị từ chối."),
            False,
        ),
        (
            _(
                "8. Tải tệp lên trang nhập liệu của biểu mẫu trên DXBoard. Nếu có lỗi, không số "
                "liệu nào được lưu; hệ thống báo từng trang, dòng và cột cần sửa."
            ),
            False,
        ),
        (_("9. Sau khi tải lên, vào DXBoard để kiểm tra và bấm “Nộp báo cáo”."), False),
    ]
    for i, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=i, column=1, value=text)
        cell.font = Font(bold=bold, size=13 if i == 1 else 11)
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD


def _unit_sheet(sheet, form, info, unit, structure, stored, previous, statuses) -> list:
    sheet["A1"] = excel_safe(f"{form.code} – {form.name}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = excel_safe(
        _("Đơn vị: %(name)s (mã %(code)s)") % {"name": unit.name, "code": unit.code}
    )
    sheet["A3"] = _("Kỳ: %(p)s – hạn nộp %(d)s") % {
        "p": info.period.label,
        "d": info.deadline.strftime("%d/%m/%Y"),
    }
    status = statuses.get(unit.pk)
    if status:
        sheet["A4"] = _("Trạng thái trên DXBoard: %(s)s") % {
            "s": Submission(status=status).get_status_display()
        }
    headers = [
        "STT",
        _("Mã"),
        _("Chỉ tiêu"),
        _("Đơn vị tính"),
        _("Kỳ trước"),
        _("Số liệu"),
        _("Ghi chú"),
    ]
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=text)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    validations = {
        "decimal": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        "whole": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
        "percent": DataValidation(type="decimal", operator="between", formula1="0", formula2="100"),
        "bool": DataValidation(type="list", formula1='"Có,Không"'),
    }
    for key, dv in validations.items():
        dv.error = {
            "percent": _("Nhập tỷ lệ từ 0 đến 100."),
            "bool": _("Chọn Có hoặc Không."),
        }.get(key, _("Nhập số không âm."))
        dv.errorTitle = _("Số liệu không hợp lệ")
        dv.showErrorMessage = True
        sheet.add_data_validation(dv)
    row, number, layout = HEADER_ROW + 1, 0, []
    for section in structure:
        sheet.cell(row=row, column=1, value=excel_safe(section.section.title)).font = Font(
            bold=True
        )
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        row += 1
        for info_field in section.fields:
            number += 1
            value = stored.get((unit.pk, info_field.code))
            before = previous.get((unit.pk, info_field.code))
            shown = excel_safe(_cell_value(value, info_field.value_type))
            comment = excel_safe(value.comment) if value and value.comment else None
            cells = [
                number,
                info_field.code,
                info_field.label,
                info_field.unit_of_measure,
                before,
                shown,
                comment,
            ]
            for col, content in enumerate(cells, start=1):
                cell = sheet.cell(row=row, column=col, value=excel_safe(content))
                cell.border = BOX
                cell.alignment = Alignment(wrap_text=col == COL_LABEL, vertical="top")
                if col in (COL_VALUE, COL_COMMENT):
                    cell.protection = Protection(locked=False)
                    cell.fill = INPUT_FILL
                if col in (COL_PREVIOUS, COL_VALUE):
                    cell.number_format = "#,##0.##"
            kind = {
                ValueType.INTEGER: "whole",
                ValueType.PERCENTAGE: "percent",
                ValueType.BOOLEAN: "bool",
                ValueType.TEXT: None,
            }.get(info_field.value_type, "decimal")
            coordinate = sheet.cell(row=row, column=COL_VALUE).coordinate
            own = _bounds_validation(info_field, kind)
            if own is not None:
                sheet.add_data_validation(own)
                own.add(coordinate)
            elif kind:
                validations[kind].add(coordinate)
            layout.append(
                [row, info_field.code, value.version if value else 0, _fingerprint(shown, comment)]
            )
            row += 1
    for letter, width in zip("ABCDEFG", (6, 16, 60, 14, 14, 16, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.protection.sheet = True
    sheet.protection.password = SHEET_PASSWORD
    return layout


def _bounds_validation(info_field, kind: str | None) -> DataValidation | None:
    """Excel's own check for an element declaring a range other than "not negative".

    The server checks the range anyway (collection.values.parsing.check_bounds); this
    only tells the officer while typing.
    """
    if kind not in ("whole", "decimal"):
        return None
    low, high = info_field.field.data_element.bounds
    if low == 0 and high is None:
        return None  # the shared "not negative" validation of the sheet
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        dv = DataValidation(
            type=kind, operator="between", formula1=_excel_number(low), formula2=_excel_number(high)
        )
        text = _("Nhập số từ %(min)s đến %(max)s.") % {
            "min": format_vn(low),
            "max": format_vn(high),
        }
    elif low is not None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_excel_number(low))
        text = _("Nhập số không nhỏ hơn %(min)s.") % {"min": format_vn(low)}
    else:
        dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=_excel_number(high))
        text = _("Nhập số không lớn hơn %(max)s.") % {"max": format_vn(high)}
    dv.error, dv.errorTitle, dv.showErrorMessage = text, _("Số liệu không hợp lệ"), True
    return dv


def _excel_number(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _cell_value(value: DataValue | None, value_type: str) -> Any:
    if value is None:
        return None
    if value.value is None:
        return value.text_value
    if value_type == ValueType.BOOLEAN:
        return "Có" if value.value else "Không"
    number = value.value.normalize()
    return int(number) if number == number.to_integral_value() else number


def _canonical(value: Any) -> str:
    """What a cell holds, the same whether written by us or read back from the file.

    Numbers pass through Excel as binary floating point, so they are compared as floats:
    1234.56 written as a Decimal comes back as the float 1234.56.
    """
    raw = _raw(value)
    if isinstance(raw, Decimal):
        return repr(float(raw))
    return raw


def _comment_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _fingerprint(value: Any, comment: Any) -> str:
    """A short digest of a row's figure and comment cells, to tell an untouched row."""
    text = f"{_canonical(value)}\x1f{_comment_text(comment)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- upload ------------------------------------------------------------------------------


@dataclass
class UploadResult:
    units: list[tuple[str, int]]  # (unit code, figures changed)
    # Sheets whose cells were all left as downloaded: nothing to save, not even a draft.
    unchanged: list[str] = field(default_factory=list)
    # Sheets of the template that the file no longer holds: skipped.
    missing: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(n for _code, n in self.units)


def _refuse(message: str, path: str = "file") -> InvalidInput:
    return InvalidInput(message, [ErrorDetail(path, message)])


def check_file(data: bytes) -> None:
    """Refuse what is not a real .xlsx, by content rather than by name."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise _refuse(
            _(
                "Tệp là định dạng Excel 97–2003 (.xls) đổi tên; hãy dùng biểu mẫu .xlsx tải từ "
                "DXBoard."
            )
        )
    if data[:4] != b"PK\x03\x04":
        raise _refuse(_("Tệp không phải tệp Excel .xlsx (có thể là CSV hoặc tệp khác đổi tên)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unzipped = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse(_("Tệp .xlsx bị hỏng, không mở được.")) from None
    if "[Content_Types].xml" not in names:
        raise _refuse(_("Tệp không phải tệp Excel .xlsx (thiếu [Content_Types].xml)."))
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _refuse(_("Nội dung tệp quá lớn sau khi giải nén."))


def read_upload(file: BinaryIO, size: int | None = None) -> bytes:
    """Read an uploaded file, refusing it before parsing when above the size limit."""
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _refuse(_too_big())
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(_too_big())
    return data


def _too_big() -> str:
    return _(
        "Tệp lớn hơn %(mb)s MB; biểu mẫu của DXBoard chỉ vài chục KB. Hãy kiểm tra lại tệp."
    ) % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}


def import_workbook(user: User, form_code: str, period_code: str, data: bytes) -> UploadResult:
    """Check an uploaded template fully, then save every unit's figures as drafts.

    All or nothing: one error anywhere and nothing is written. Errors name the sheet,
    the row and the column.
    """
    form = get_visible_form(user, form_code)
    period = parse_form_period(form, period_code)
    check_file(data)
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:
        raise _refuse(_("Không đọc được tệp Excel.")) from None
    if META_SHEET not in workbook.sheetnames:
        raise _refuse(_("Tệp không phải biểu mẫu tải từ DXBoard (thiếu phần nhận dạng)."))
    meta = workbook[META_SHEET]
    payload, signature = meta["A1"].value, meta["A2"].value
    if (
        not isinstance(payload, str)
        or not isinstance(signature, str)
        or not hmac.compare_digest(_sign(payload), signature)
    ):
        raise _refuse(
            _("Tệp đã bị sửa phần nhận dạng hoặc không do DXBoard tạo ra; hãy tải lại biểu mẫu.")
        )
    layout = json.loads(payload)
    if layout.get("form") != form.code or layout.get("period") != period.code:
        raise _refuse(
            _("Tệp là biểu mẫu %(f)s kỳ %(p)s, không phải biểu mẫu %(form)s kỳ %(period)s.")
            % {
                "f": layout.get("form"),
                "p": layout.get("period"),
                "form": form.code,
                "period": period.code,
            }
        )
    info = period_info(form, period)
    if not info.is_open:
        raise _refuse(info.closed_message(), "period")
    fields = {f.code: f for f in all_fields(form_structure(form))}
    errors: list[ErrorDetail] = []
    batches: list[_Batch] = []
    result = UploadResult([])
    for sheet_meta in layout.get("sheets", []):
        title = sheet_meta["title"]
        where = _("Trang “%(t)s”") % {"t": title}
        if title not in workbook.sheetnames:
            result.missing.append(title)
            continue
        batch = _read_sheet(workbook[title], sheet_meta, fields, where, errors)
        if batch is None:
            continue
        if batch.values:
            batches.append(batch)
        else:
            result.unchanged.append(title)
    if not errors:
        errors.extend(_stale_cells(user, batches, period, fields))
    if errors:
        raise InvalidInput(
            _("Tệp có %(n)s lỗi; chưa lưu số liệu nào.") % {"n": len(errors)}, errors
        )
    with transaction.atomic():
        for batch in batches:
            where = _("Trang “%(t)s”") % {"t": batch.title}
            try:
                saved = save_draft(
                    user,
                    form.code,
                    batch.unit_code,
                    period.code,
                    batch.values,
                    batch.comments,
                    # Checked again under the report's lock: a web save between the check
                    # above and this write is a conflict too, not a silent overwrite.
                    value_versions=batch.versions or None,
                    source="excel",
                )
            except InvalidInput as error:
                errors.extend(
                    ErrorDetail(
                        _("%(w)s, dòng %(r)s") % {"w": where, "r": batch.rows.get(d.path, "?")},
                        d.message,
                    )
                    for d in error.details or [ErrorDetail("", error.message)]
                )
                continue
            except ServiceError as error:
                errors.append(ErrorDetail(where, error.message))
                continue
            result.units.append((batch.unit_code, saved.changed))
        if errors:
            # Raising inside the atomic block rolls back every sheet already saved.
            raise InvalidInput(
                _("Tệp có %(n)s lỗi; chưa lưu số liệu nào.") % {"n": len(errors)}, errors
            )
    return result


@dataclass
class _Batch:
    """What one sheet changes: the figures and comments of its changed rows."""

    title: str
    unit_code: str
    values: dict[str, Any]
    comments: dict[str, str]
    rows: dict[str, int]
    # The version each changed figure had when the file was made (templates made before
    # versions were recorded have none: every row then counts as changed).
    versions: dict[str, int]


def _read_sheet(
    sheet, sheet_meta: dict, fields: dict, where: str, errors: list[ErrorDetail]
) -> _Batch | None:
    """The changed rows of one sheet, or None (and `errors` extended) when it is wrong."""
    batch = _Batch(sheet_meta["title"], sheet_meta["unit"], {}, {}, {}, {})
    bad = len(errors)
    for entry in sheet_meta["rows"]:
        row, code = entry[0], entry[1]
        path = _("%(w)s, dòng %(r)s") % {"w": where, "r": row}
        if code not in fields:
            errors.append(ErrorDetail(path, _("Biểu mẫu đã thay đổi; hãy tải lại tệp mới.")))
            continue
        if sheet.cell(row=row, column=COL_CODE).value != code:
            errors.append(
                ErrorDetail(
                    path,
                    _(
                        "Mã chỉ tiêu ở cột B không khớp biểu mẫu (tệp đã bị thêm, xóa hoặc sửa "
                        "dòng); hãy tải lại biểu mẫu."
                    ),
                )
            )
            continue
        cell = sheet.cell(row=row, column=COL_VALUE)
        comment = sheet.cell(row=row, column=COL_COMMENT)
        label = fields[code].label
        if cell.data_type == "f" or comment.data_type == "f":
            coordinate = cell.coordinate if cell.data_type == "f" else comment.coordinate
            errors.append(
                ErrorDetail(
                    path,
                    _("Ô %(cell)s chứa công thức; hãy nhập giá trị (số), không nhập công thức.")
                    % {"cell": coordinate},
                )
            )
            continue
        if len(entry) >= 4 and _fingerprint(cell.value, comment.value) == entry[3]:
            continue  # as downloaded: the stored figure (maybe newer) stays
        raw = _raw(cell.value)
        try:
            parse_field(fields[code], raw)
        except ValueError as error:
            errors.append(
                ErrorDetail(
                    _("%(p)s, cột “Số liệu” (%(label)s)") % {"p": path, "label": label},
                    str(error),
                )
            )
            continue
        batch.values[code] = raw
        batch.comments[code] = _comment_text(comment.value)
        batch.rows[code] = row
        if len(entry) >= 4:
            batch.versions[code] = int(entry[2])
    return None if len(errors) > bad else batch


def _stale_cells(user: User, batches: list[_Batch], period, fields: dict) -> list[ErrorDetail]:
    """Changed cells whose figure was changed on DXBoard after the file was made (one query).

    Only units the user may see: the message shows the current figure, which must not
    leak from another commune's sheet (save_draft refuses that sheet anyway).
    """
    wanted = [b for b in batches if b.versions]
    if not wanted:
        return []
    resolver = CodeResolver({b.unit_code for b in wanted}, among=Unit.objects.visible_to(user))
    units = {b.unit_code: resolver.at(b.unit_code, day_of(period)) for b in wanted}
    stored = {
        (unit_id, code): (version, number, text)
        for unit_id, code, version, number, text in DataValue.objects.filter(
            unit__in=[u for u in units.values() if isinstance(u, Unit)],
            period=period.code,
            data_element__code__in={c for b in wanted for c in b.versions},
        ).values_list("unit_id", "data_element__code", "version", "value", "text_value")
    }
    errors = []
    for batch in wanted:
        unit = units[batch.unit_code]
        if not isinstance(unit, Unit):
            continue  # save_draft names the unknown unit
        for code, expected in batch.versions.items():
            version, number, text = stored.get((unit.pk, code), (0, None, ""))
            if version == expected:
                continue
            now = (format_vn(number) if number is not None else text) if version else ""
            errors.append(
                ErrorDetail(
                    _("Trang “%(t)s”, ô %(col)s%(row)s (%(label)s)")
                    % {
                        "t": batch.title,
                        "col": "F",
                        "row": batch.rows[code],
                        "label": fields[code].label,
                    },
                    (
                        _(
                            "Số liệu đã được sửa trên DXBoard sau khi tải tệp (nay là "
                            "%(now)s); hãy tải lại biểu mẫu rồi nhập lại ô này."
                        )
                        % {"now": now}
                        if version
                        else _(
                            "Số liệu đã bị xóa trên DXBoard sau khi tải tệp; hãy tải lại biểu "
                            "mẫu rồi nhập lại ô này."
                        )
                    ),
                )
            )
    return errors


def _raw(value: Any) -> str | Decimal:
    """A cell's content: numbers stay numbers (no guessing about separators)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return str(value).strip()
