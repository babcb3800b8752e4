"""Import hamlets and agencies from a CSV (UTF-8) or Excel (.xlsx) file.

The file is checked as a whole first; one message per bad row and column, in
Vietnamese. Only a file without any error is written, inside one transaction.
The file type is decided by its content, not by its name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.text import fold, one_line

from .models import Unit, UnitKind
from .services import (
    ALLOWED_PARENT_KINDS,
    CODE_PATTERN,
    PHONE_PATTERN,
    RESERVED_CODES,
    can_manage_any,
    fix_missing_paths,
    managed_units,
    prepare_for_bulk,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("ma", "Mã", True, ("code", "ma_don_vi")),
    Column("ten", "Tên", True, ("name", "ten_don_vi")),
    Column("loai", "Loại", True, ("kind", "loai_don_vi")),
    Column("ma_cap_tren", "Mã cấp trên", True, ("parent", "parent_code", "ma_don_vi_cap_tren")),
    Column("dan_so", "Dân số", False, ("population",)),
    Column("nguoi_lien_he", "Người liên hệ", False, ("contact_name",)),
    Column("dien_thoai", "Điện thoại", False, ("contact_phone", "phone", "so_dien_thoai")),
    Column("email", "Email", False, ("contact_email", "thu_dien_tu", "e_mail")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Folded kind words -> (kind, division type shown on the unit page).
KIND_WORDS: dict[str, tuple[str, str]] = {
    "thon": (UnitKind.HAMLET, "thôn"),
    "ap": (UnitKind.HAMLET, "ấp"),
    "to_dan_pho": (UnitKind.HAMLET, "tổ dân phố"),
    "khom": (UnitKind.HAMLET, "khóm"),
    "khu_pho": (UnitKind.HAMLET, "khu phố"),
    "xom": (UnitKind.HAMLET, "xóm"),
    "lang": (UnitKind.HAMLET, "làng"),
    "phum": (UnitKind.HAMLET, "phum"),
    "soc": (UnitKind.HAMLET, "sóc"),
    "hamlet": (UnitKind.HAMLET, ""),
    "village": (UnitKind.HAMLET, ""),
    "so": (UnitKind.DEPARTMENT, "sở"),
    "ban": (UnitKind.DEPARTMENT, "ban"),
    "nganh": (UnitKind.DEPARTMENT, "ngành"),
    "co_quan": (UnitKind.DEPARTMENT, "cơ quan"),
    "so_ban_nganh": (UnitKind.DEPARTMENT, "sở"),
    "department": (UnitKind.DEPARTMENT, ""),
    "agency": (UnitKind.DEPARTMENT, ""),
    "ban_chi_dao": (UnitKind.COMMITTEE, "ban chỉ đạo"),
    "bcd": (UnitKind.COMMITTEE, "ban chỉ đạo"),
    "committee": (UnitKind.COMMITTEE, ""),
    "khac": (UnitKind.OTHER, ""),
    "don_vi_khac": (UnitKind.OTHER, ""),
    "other": (UnitKind.OTHER, ""),
}
# Official administrative levels come from the national list, not from a file.
OFFICIAL_WORDS = {
    "xa",
    "phuong",
    "dac_khu",
    "thi_tran",
    "commune",
    "ward",
    "huyen",
    "quan",
    "district",
    "tinh",
    "thanh_pho",
    "province",
    "nation",
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_UTF8_BOM = b"\xef\xbb\xbf"
_INTEGER = re.compile(r"^\d{1,3}([., ]\d{3})+$|^\d+$")


def _key(text: str) -> str:
    """ "Mã cấp trên" -> "ma_cap_tren"; "Tổ dân phố" -> "to_dan_pho"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


for _kind in (UnitKind.HAMLET, UnitKind.DEPARTMENT, UnitKind.COMMITTEE, UnitKind.OTHER):
    KIND_WORDS.setdefault(_key(str(_kind.label)), (_kind, ""))


@dataclass
class ImportRow:
    line: int
    code: str
    name: str
    kind: str
    division_type: str
    parent_code: str
    population: int | None
    contact_name: str
    contact_phone: str
    contact_email: str
    parent_name: str = ""


@dataclass
class ImportCheck:
    """The outcome of reading and checking a file; nothing has been written yet."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[ErrorDetail] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _file_error(message: str) -> InvalidInput:
    return InvalidInput(message, [ErrorDetail(_("Tệp"), message)])


def _looks_binary(content: bytes) -> bool:
    sample = content[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > len(sample) // 100


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return one_line(str(value))


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise _file_error(
                    _("Tệp nén không phải bảng tính Excel (.xlsx). Hãy dùng tệp mẫu.")
                )
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except InvalidInput:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on broken files
        raise _file_error(
            _("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng.")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[list[str]]:
    if content.startswith(_UTF8_BOM):
        content = content[len(_UTF8_BOM) :]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        message = _(
            "Tệp không phải UTF-8 (có thể đã lưu theo bảng mã Windows-1258 hoặc CP1252). "
            "Trong Excel hãy chọn Lưu thành “CSV UTF-8 (phân tách bằng dấu phẩy)”."
        )
        raise InvalidInput(
            message, [ErrorDetail(_("Dòng %(line)d") % {"line": line}, message)]
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for values in reader:
            rows.append([one_line(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise _file_error(
            _("Tệp CSV sai cấu trúc ở dòng %(line)d.") % {"line": reader.line_num}
        ) from error
    return rows


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The cells of a CSV or .xlsx file as text, header first.

    The content decides the type; a name that does not match it is refused so the
    user learns what the file really is.
    """
    extension = PurePath(filename or "").suffix.lower()
    if not content:
        raise _file_error(_("Tệp rỗng."))
    if len(content) > MAX_FILE_BYTES:
        raise _file_error(_("Tệp lớn hơn 5 MB."))
    if content.startswith(_OLE2_MAGIC):
        raise _file_error(
            _(
                "Tệp là Excel 97–2003 (.xls); hệ thống chỉ đọc .xlsx hoặc CSV UTF-8. "
                "Hãy mở tệp bằng Excel và lưu lại dạng .xlsx."
            )
        )
    is_zip = content.startswith(_ZIP_MAGIC)
    if extension not in (".csv", ".xlsx"):
        raise _file_error(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    if extension == ".xlsx":
        if is_zip:
            return _read_xlsx(content)
        if _looks_binary(content):
            raise _file_error(_("Tệp có đuôi .xlsx nhưng không phải bảng tính Excel."))
        raise _file_error(
            _(
                "Tệp có đuôi .xlsx nhưng nội dung là văn bản (CSV). "
                "Hãy đổi đuôi tệp thành .csv hoặc lưu lại đúng dạng Excel."
            )
        )
    if is_zip:
        raise _file_error(
            _("Tệp có đuôi .csv nhưng nội dung là bảng tính Excel; hãy đổi đuôi thành .xlsx.")
        )
    if _looks_binary(content):
        raise _file_error(_("Tệp không phải văn bản CSV: nội dung là dữ liệu nhị phân."))
    return _read_csv(content)


def _where(line: int, column: str) -> str:
    return _("Dòng %(line)d, cột “%(column)s”") % {
        "line": line,
        "column": COLUMN_BY_KEY[column].label,
    }


def _header_map(header: list[str]) -> tuple[dict[str, int], list[ErrorDetail]]:
    lookup = {}
    for column in COLUMNS:
        for name in (column.key, _key(column.label), *column.aliases):
            lookup[name] = column.key
    positions: dict[str, int] = {}
    errors = []
    for index, title in enumerate(header):
        key = lookup.get(_key(title))
        if key is None:
            continue
        if key in positions:
            errors.append(
                ErrorDetail(
                    _("Dòng 1"),
                    _("Cột “%(column)s” xuất hiện hai lần.") % {"column": COLUMN_BY_KEY[key].label},
                )
            )
        positions[key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            errors.append(
                ErrorDetail(
                    _("Dòng 1"),
                    _("Thiếu cột “%(key)s” (%(label)s).")
                    % {"key": column.key, "label": column.label},
                )
            )
    return positions, errors


def _parse_row(line: int, cells: dict[str, str], errors: list[ErrorDetail]) -> ImportRow:
    def bad(column: str, message: str) -> None:
        errors.append(ErrorDetail(_where(line, column), message))

    code = cells["ma"]
    if not code:
        bad("ma", _("Mã không được để trống."))
    elif len(code) > 50:
        bad("ma", _("Mã dài tối đa 50 ký tự."))
    elif not CODE_PATTERN.match(code):
        bad(
            "ma",
            _("Mã “%(code)s” chỉ được gồm chữ cái không dấu, chữ số, _ và -.") % {"code": code},
        )
    elif code.lower() in RESERVED_CODES:
        bad("ma", _("Mã “%(code)s” là từ dành riêng của hệ thống.") % {"code": code})
    name = cells["ten"]
    if not name:
        bad("ten", _("Tên không được để trống."))
    elif len(name) > 200:
        bad("ten", _("Tên dài tối đa 200 ký tự."))
    kind_word = _key(cells["loai"])
    kind, division_type = KIND_WORDS.get(kind_word, ("", ""))
    if not cells["loai"]:
        bad("loai", _("Loại không được để trống."))
    elif kind_word in OFFICIAL_WORDS:
        bad(
            "loai",
            _(
                "“%(value)s” là đơn vị hành chính chính thức, được nạp từ danh mục nhà nước; "
                "tệp chỉ nhập thôn, ấp, tổ dân phố và cơ quan, đơn vị."
            )
            % {"value": cells["loai"]},
        )
    elif not kind:
        bad(
            "loai",
            _(
                "Loại “%(value)s” không hợp lệ. Dùng: thôn, ấp, tổ dân phố, khóm, sở, ban, "
                "ngành, ban chỉ đạo, khác (hoặc hamlet, department, committee, other)."
            )
            % {"value": cells["loai"]},
        )
    parent_code = cells["ma_cap_tren"]
    if not parent_code:
        bad("ma_cap_tren", _("Mã cấp trên không được để trống."))
    population = None
    if cells["dan_so"]:
        if _INTEGER.match(cells["dan_so"]):
            population = int(re.sub(r"\D", "", cells["dan_so"]))
            if population > 2_000_000_000:
                bad("dan_so", _("Dân số quá lớn."))
                population = None
        else:
            bad("dan_so", _("Dân số phải là số nguyên không âm, ví dụ 12345."))
    contact_name = cells["nguoi_lien_he"]
    if len(contact_name) > 150:
        bad("nguoi_lien_he", _("Tên người liên hệ dài tối đa 150 ký tự."))
    phone = cells["dien_thoai"]
    if phone and not PHONE_PATTERN.match(phone):
        bad("dien_thoai", _("Số điện thoại chỉ gồm chữ số, dấu cách, + . - ( )."))
    email = cells["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad("email", _("Địa chỉ thư điện tử “%(email)s” không hợp lệ.") % {"email": email})
    return ImportRow(
        line=line,
        code=code,
        name=name,
        kind=kind,
        division_type=division_type,
        parent_code=parent_code,
        population=population,
        contact_name=contact_name,
        contact_phone=phone,
        contact_email=email,
    )


def check_units_file(user, filename: str, content: bytes) -> ImportCheck:
    """Read and check a file without writing anything; errors are returned, not raised."""
    check = ImportCheck()
    try:
        table = read_table(filename, content)
    except InvalidInput as error:
        check.errors = error.details
        return check
    while table and not any(table[-1]):
        table.pop()
    if not table:
        check.errors.append(ErrorDetail(_("Tệp"), _("Tệp không có dữ liệu.")))
        return check
    positions, check.errors = _header_map(table[0])
    if check.errors:
        return check
    if len(table) - 1 > MAX_ROWS:
        check.errors.append(
            ErrorDetail(_("Tệp"), _("Tệp có quá %(max)d dòng dữ liệu.") % {"max": MAX_ROWS})
        )
        return check
    for line, values in enumerate(table[1:], start=2):
        if not any(values):
            continue
        cells = {
            key: (
                values[positions[key]] if key in positions and positions[key] < len(values) else ""
            )
            for key in COLUMN_BY_KEY
        }
        check.rows.append(_parse_row(line, cells, check.errors))
    if not check.rows:
        check.errors.append(ErrorDetail(_("Tệp"), _("Tệp không có dòng dữ liệu nào.")))
        return check
    _check_codes_and_parents(user, check)
    check.errors.sort(key=_error_order)
    return check


def _error_order(error: ErrorDetail) -> tuple[int, int]:
    """By line, then by column in the file's column order."""
    match = re.search(r"\d+", error.path)
    line = int(match.group()) if match else 0
    columns = [i for i, c in enumerate(COLUMNS) if f"“{c.label}”" in error.path]
    return line, columns[0] if columns else -1


def _check_codes_and_parents(user, check: ImportCheck) -> None:
    """Duplicates in the file and in the database, and parents: all set-based."""
    first_line: dict[str, int] = {}
    for row in check.rows:
        if not row.code:
            continue
        if row.code in first_line:
            check.errors.append(
                ErrorDetail(
                    _where(row.line, "ma"),
                    _("Mã “%(code)s” trùng với dòng %(first)d của tệp.")
                    % {"code": row.code, "first": first_line[row.code]},
                )
            )
        else:
            first_line[row.code] = row.line
    taken = set(
        Unit.objects.in_force().filter(code__in=list(first_line)).values_list("code", flat=True)
    )
    for row in check.rows:
        if row.code in taken:
            check.errors.append(
                ErrorDetail(
                    _where(row.line, "ma"),
                    _("Mã “%(code)s” đã có đơn vị đang hiệu lực sử dụng.") % {"code": row.code},
                )
            )
    in_file = {row.code: row for row in check.rows if first_line.get(row.code) == row.line}
    outside = {row.parent_code for row in check.rows if row.parent_code not in in_file}
    visible = {
        u.code: u for u in Unit.objects.visible_to(user).in_force().filter(code__in=list(outside))
    }
    managed = set(
        managed_units(user).in_force().filter(code__in=list(outside)).values_list("code", flat=True)
    )
    for row in check.rows:
        if not row.parent_code:
            continue
        where = _where(row.line, "ma_cap_tren")
        parent_row = in_file.get(row.parent_code)
        if parent_row is not None:
            parent_kind, row.parent_name = parent_row.kind, parent_row.name
            if parent_row is row:
                check.errors.append(
                    ErrorDetail(where, _("Đơn vị không thể là cấp trên của chính nó."))
                )
                continue
        elif row.parent_code in visible:
            parent = visible[row.parent_code]
            parent_kind, row.parent_name = parent.kind, parent.name
            if row.parent_code not in managed:
                check.errors.append(
                    ErrorDetail(
                        where,
                        _("Bạn không có quyền thêm đơn vị dưới “%(name)s”.")
                        % {"name": parent.name},
                    )
                )
                continue
        else:
            check.errors.append(
                ErrorDetail(
                    where,
                    _("Không tìm thấy đơn vị cấp trên mã “%(code)s”.") % {"code": row.parent_code},
                )
            )
            continue
        if row.kind and parent_kind and parent_kind not in ALLOWED_PARENT_KINDS[row.kind]:
            check.errors.append(
                ErrorDetail(
                    where,
                    _("Đơn vị loại “%(kind)s” không đặt dưới đơn vị loại “%(parent_kind)s” được.")
                    % {
                        "kind": UnitKind(row.kind).label,
                        "parent_kind": UnitKind(parent_kind).label,
                    },
                )
            )
    _check_cycles(check, in_file)


def _check_cycles(check: ImportCheck, in_file: dict[str, ImportRow]) -> None:
    for row in in_file.values():
        seen = {row.code}
        current = in_file.get(row.parent_code)
        while current is not None:
            if current.code in seen:
                check.errors.append(
                    ErrorDetail(
                        _where(row.line, "ma_cap_tren"),
                        _("Các dòng trong tệp làm cấp trên của nhau thành vòng lặp."),
                    )
                )
                break
            seen.add(current.code)
            current = in_file.get(current.parent_code)


@transaction.atomic
def import_units(user, filename: str, content: bytes, *, dry_run: bool = False) -> ImportCheck:
    """Check the file and, if it has no error at all, create every unit in it.

    Raises InvalidInput with one detail per bad row and column; then nothing is written.
    """
    if not can_manage_any(user):
        raise InvalidInput(_("Bạn không có quyền nhập đơn vị."))
    check = check_units_file(user, filename, content)
    if check.errors:
        raise InvalidInput(
            _("Tệp có %(count)d lỗi; chưa nhập dòng nào.") % {"count": len(check.errors)},
            check.errors,
        )
    if dry_run:
        return check
    parents = {
        u.code: u
        for u in managed_units(user).in_force().filter(code__in=[r.parent_code for r in check.rows])
    }
    pending = list(check.rows)
    while pending:  # one bulk insert per tree level inside the file
        ready = [r for r in pending if r.parent_code in parents]
        if not ready:  # cannot happen after the checks; refuse rather than loop
            raise InvalidInput(_("Không xác định được cấp trên của một số dòng."))
        units = [
            prepare_for_bulk(
                Unit(
                    code=r.code,
                    name=r.name,
                    kind=r.kind,
                    division_type=r.division_type,
                    parent=parents[r.parent_code],
                    population=r.population,
                    contact_name=r.contact_name,
                    contact_phone=r.contact_phone,
                    contact_email=r.contact_email,
                )
            )
            for r in ready
        ]
        Unit.objects.bulk_create(units, batch_size=500)
        parents.update({u.code: u for u in units})
        done = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in done]
    fix_missing_paths()
    return check
