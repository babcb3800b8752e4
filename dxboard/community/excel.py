"""Excel import and export of team members in the layout provinces already use.

One sheet: STT | Xã/Phường | Thôn/Ấp | Họ và tên | Chức danh trong tổ | Giới tính |
Năm sinh hoặc nhóm tuổi | Điện thoại | Đơn vị công tác. A title may sit above the header
row; the header is found by its "Họ và tên" cell. Import is all-or-nothing: every bad
row and field gets its own message and nothing is written until the whole file is clean.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.text import fold
from dxboard.units.models import Unit, UnitKind

from . import services
from .models import AgeGroup, Gender, Member, MemberRole, Team, TeamStatus

HEADERS = [
    "STT",
    "Xã/Phường",
    "Thôn/Ấp",
    "Họ và tên",
    "Chức danh trong tổ",
    "Giới tính",
    "Năm sinh hoặc nhóm tuổi",
    "Điện thoại",
    "Đơn vị công tác",
]
TITLE = "DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"
MAX_ROWS = 50_000

ROLE_WORDS = {
    "to truong": MemberRole.LEADER,
    "to pho": MemberRole.DEPUTY,
    "thanh vien": MemberRole.MEMBER,
}
GENDER_WORDS = {"nam": Gender.MALE, "nu": Gender.FEMALE}
AGE_WORDS = {
    "duoi 30": AgeGroup.UNDER_30,
    "duoi 30 tuoi": AgeGroup.UNDER_30,
    "30-45": AgeGroup.FROM_30_TO_45,
    "tu 30 den 45 tuoi": AgeGroup.FROM_30_TO_45,
    "46-60": AgeGroup.FROM_46_TO_60,
    "tu 46 den 60 tuoi": AgeGroup.FROM_46_TO_60,
    "tren 60": AgeGroup.OVER_60,
    "tren 60 tuoi": AgeGroup.OVER_60,
}
_UNIT_WORDS = re.compile(r"^(xa|phuong|dac khu|thi tran|thon|ap|khom|ban|to dan pho|khu pho|to)\s+")


def _unit_key(name: str) -> str:
    """ "Ấp Một" and "Một" match; "Xã An Bình" and "An Bình" match."""
    return _UNIT_WORDS.sub("", fold(name))


# --- export --------------------------------------------------------------------------------


def export_members(user, unit: Unit) -> bytes:
    """The members of active teams in a visible unit's subtree as an .xlsx file."""
    services.summary(user, unit)  # 404 when the unit is not visible
    show_phones = services.phones_visible(user, unit)
    members = (
        Member.objects.visible_to(user)
        .filter(team__unit__path__startswith=unit.path, team__status=TeamStatus.ACTIVE)
        .select_related("team__unit__parent")
        .order_by("team__unit__parent__sort_key", "team__unit__sort_key", "role", "full_name")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thành viên"
    sheet.append([TITLE])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"{unit.name} – {_('ngày')} {date.today():%d/%m/%Y}"])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    role_labels = dict(MemberRole.choices)
    gender_labels = dict(Gender.choices)
    age_labels = dict(AgeGroup.choices)
    for number, member in enumerate(members, start=1):
        team_unit = member.team.unit
        if team_unit.kind == UnitKind.HAMLET:
            commune_name, hamlet_name = (
                team_unit.parent.name if team_unit.parent else "",
                team_unit.name,
            )
        else:
            commune_name, hamlet_name = team_unit.name, ""
        age = member.birth_year or (str(age_labels[member.age_group]) if member.age_group else "")
        sheet.append(
            [
                number,
                commune_name,
                hamlet_name,
                member.full_name,
                str(role_labels[member.role]),
                str(gender_labels[member.gender]) if member.gender else "",
                age,
                member.phone if show_phones else "",
                member.organisation,
            ]
        )
        sheet.cell(row=sheet.max_row, column=8).number_format = "@"
    for index, width in enumerate([6, 24, 22, 28, 18, 10, 20, 14, 26], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: int
    created: int
    updated: int
    teams_created: int


@dataclass
class _Row:
    line: int
    unit: Unit
    fields: dict[str, Any]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _find_header(rows: list[tuple]) -> int:
    for index, row in enumerate(rows[:15]):
        if any(fold(_cell_text(v)) == "ho va ten" for v in row):
            return index
    raise InvalidInput(
        _("Không tìm thấy dòng tiêu đề có cột “Họ và tên”. Hãy dùng tệp mẫu xuất từ DXBoard.")
    )


def _columns(header: tuple) -> dict[str, int]:
    wanted = {
        "commune": ("xa/phuong", "xa, phuong", "xa"),
        "hamlet": ("thon/ap", "thon, ap", "thon/ap/to dan pho", "ap"),
        "name": ("ho va ten",),
        "role": ("chuc danh trong to", "chuc danh"),
        "gender": ("gioi tinh",),
        "age": ("nam sinh hoac nhom tuoi", "nam sinh", "nhom tuoi", "nam sinh/nhom tuoi"),
        "phone": ("dien thoai", "so dien thoai"),
        "organisation": ("don vi cong tac", "to chuc"),
    }
    found: dict[str, int] = {}
    for position, value in enumerate(header):
        key = fold(_cell_text(value))
        for field, names in wanted.items():
            if key in names and field not in found:
                found[field] = position
    missing = [f for f in ("commune", "name") if f not in found]
    if missing:
        raise InvalidInput(
            _("Thiếu cột bắt buộc: %(cols)s.")
            % {"cols": ", ".join("Xã/Phường" if m == "commune" else "Họ và tên" for m in missing)}
        )
    return found


def import_members(user, root: Unit, file: BinaryIO) -> ImportResult:
    """Read a member list for `root`'s subtree; all rows are written or none."""
    services.summary(user, root)
    if not services.can_write(user, root):
        from dxboard.errors import Forbidden

        raise Forbidden(_("Bạn chỉ có quyền xem danh sách tổ của đơn vị này."))
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a non-Excel file
        raise InvalidInput(_("Tệp không đọc được. Hãy tải lên tệp Excel (.xlsx).")) from error
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS))
    workbook.close()
    header_index = _find_header(rows)
    columns = _columns(rows[header_index])

    in_force = Unit.objects.in_force().filter(path__startswith=root.path)
    communes: dict[str, Unit] = {}
    for unit in in_force.filter(kind=UnitKind.COMMUNE):
        communes.setdefault(_unit_key(unit.name), unit)
        communes.setdefault(fold(unit.code), unit)
    hamlets: dict[tuple[int, str], Unit] = {}
    for unit in in_force.filter(kind=UnitKind.HAMLET):
        hamlets.setdefault((unit.parent_id, _unit_key(unit.name)), unit)

    errors: list[ErrorDetail] = []
    parsed: list[_Row] = []
    seen: dict[tuple[int, str, str], int] = {}
    for offset, raw in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {f: _cell_text(raw[i]) if i < len(raw) else "" for f, i in columns.items()}
        raw_age = raw[columns["age"]] if "age" in columns and columns["age"] < len(raw) else None
        raw_phone = (
            raw[columns["phone"]] if "phone" in columns and columns["phone"] < len(raw) else None
        )
        if not any(values.values()):
            continue
        row_errors: list[ErrorDetail] = []

        def bad(
            column: str, message: str, line: int = offset, row_errors: list = row_errors
        ) -> None:
            row_errors.append(
                ErrorDetail(
                    _("Dòng %(line)s, cột “%(column)s”") % {"line": line, "column": column},
                    message,
                )
            )

        unit = None
        commune = communes.get(_unit_key(values["commune"])) if values["commune"] else None
        if not values["commune"]:
            if root.kind == UnitKind.COMMUNE:
                commune = root
            else:
                bad("Xã/Phường", _("chưa ghi tên xã, phường."))
        elif commune is None:
            bad(
                "Xã/Phường",
                _("không có xã, phường “%(name)s” trong %(root)s.")
                % {"name": values["commune"], "root": root.name},
            )
        if commune is not None:
            hamlet_name = values.get("hamlet", "")
            if hamlet_name:
                unit = hamlets.get((commune.pk, _unit_key(hamlet_name)))
                if unit is None:
                    bad(
                        "Thôn/Ấp",
                        _("không có thôn, ấp “%(name)s” thuộc %(commune)s.")
                        % {"name": hamlet_name, "commune": commune.name},
                    )
            else:
                unit = commune
        name = values["name"]
        if not name:
            bad("Họ và tên", _("chưa ghi họ và tên."))
        role = MemberRole.MEMBER
        if values.get("role"):
            role = ROLE_WORDS.get(fold(values["role"]))
            if role is None:
                bad(
                    "Chức danh trong tổ",
                    _("“%(value)s” không hợp lệ; ghi Tổ trưởng, Tổ phó hoặc Thành viên.")
                    % {"value": values["role"]},
                )
        gender = ""
        if values.get("gender"):
            gender = GENDER_WORDS.get(fold(values["gender"]))
            if gender is None:
                bad("Giới tính", _("ghi Nam hoặc Nữ (hoặc để trống)."))
        birth_year, age_group = None, ""
        age_text = values.get("age", "")
        if age_text:
            if isinstance(raw_age, int | float) or age_text.isdigit():
                year = int(float(age_text))
                if 1900 <= year <= date.today().year - 10:
                    birth_year = year
                else:
                    bad(
                        "Năm sinh hoặc nhóm tuổi",
                        _("năm sinh %(year)s không hợp lệ.") % {"year": year},
                    )
            else:
                age_group = AGE_WORDS.get(fold(age_text).replace("–", "-").replace(" - ", "-"))
                if age_group is None:
                    bad(
                        "Năm sinh hoặc nhóm tuổi",
                        _(
                            "ghi năm sinh (ví dụ 1990) hoặc nhóm tuổi: Dưới 30, 30-45, 46-60, Trên 60."
                        ),
                    )
        phone = ""
        try:
            phone = services.normalise_phone(raw_phone)
        except ValueError as error:
            bad("Điện thoại", str(error))
        if unit is not None and name:
            key = (unit.pk, fold(name), phone)
            if key in seen:
                row_errors.append(
                    ErrorDetail(
                        _("Dòng %(line)s") % {"line": offset},
                        _("thành viên “%(name)s” bị ghi hai lần (trùng với dòng %(first)s).")
                        % {"name": name, "first": seen[key]},
                    )
                )
            else:
                seen[key] = offset
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append(
            _Row(
                offset,
                unit,
                {
                    "full_name": name,
                    "role": role,
                    "gender": gender,
                    "birth_year": birth_year,
                    "age_group": age_group,
                    "phone": phone,
                    "organisation": values.get("organisation", "")[:150],
                },
            )
        )
    if errors:
        raise InvalidInput(
            _("Tệp có %(count)s lỗi; chưa có dòng nào được lưu.") % {"count": len(errors)}, errors
        )
    if not parsed:
        raise InvalidInput(_("Tệp không có dòng dữ liệu nào."))
    return _write(parsed)


@transaction.atomic
def _write(parsed: list[_Row]) -> ImportResult:
    today = date.today()
    unit_ids = {row.unit.pk for row in parsed}
    teams = {t.unit_id: t for t in Team.objects.active().filter(unit_id__in=unit_ids)}
    new_teams = [
        Team(
            unit=row.unit,
            name=_("Tổ công nghệ số cộng đồng %(unit)s") % {"unit": row.unit.name},
            status=TeamStatus.ACTIVE,
        )
        for row in {r.unit.pk: r for r in parsed if r.unit.pk not in teams}.values()
    ]
    Team.objects.bulk_create(new_teams)
    teams.update({t.unit_id: t for t in Team.objects.active().filter(unit_id__in=unit_ids)})
    existing = {
        (m.team_id, fold(m.full_name), m.phone): m
        for m in Member.objects.filter(team__in=teams.values())
    }
    to_create: list[Member] = []
    to_update: list[Member] = []
    for row in parsed:
        team = teams[row.unit.pk]
        fields = dict(row.fields)
        if fields["birth_year"]:
            fields["age_group"] = services.age_group_for(fields["birth_year"], today)
        member = existing.get((team.pk, fold(fields["full_name"]), fields["phone"]))
        if member is None:
            to_create.append(Member(team=team, joined_on=today, **fields))
        else:
            for key, value in fields.items():
                setattr(member, key, value)
            to_update.append(member)
    Member.objects.bulk_create(to_create)
    Member.objects.bulk_update(
        to_update, ["role", "gender", "birth_year", "age_group", "organisation"]
    )
    return ImportResult(len(parsed), len(to_create), len(to_update), len(new_teams))
