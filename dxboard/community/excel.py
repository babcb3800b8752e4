"""Excel import and export of team members in the layout provinces already use.

One sheet: STT | Xã/Phường | Thôn/Ấp | Họ và tên | Chức danh trong tổ | Giới tính |
Năm sinh hoặc nhóm tuổi | Điện thoại | Đơn vị công tác. A title may sit above the header
row; the header is found by its "Họ và tên" cell. Import is all-or-nothing: every bad
row and field gets its own message and nothing is written until the whole file is clean.
Reading, header search and error naming are shared with the project register
(`dxboard.spreadsheets`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, Forbidden, InvalidInput
from dxboard.spreadsheets import (
    RowErrors,
    append_row,
    cell_text,
    cells,
    data_rows,
    find_header,
    is_blank,
    map_columns,
    raise_if_errors,
    read_first_sheet,
    titled_sheet,
    workbook_bytes,
)
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
WIDTHS = [6, 24, 22, 28, 18, 10, 20, 14, 26]
TITLE = "DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"
MAX_ROWS = 50_000
# Column titles the provinces' own lists use, besides ours.
COLUMNS = {
    "commune": ("Xã/Phường", "Xã, phường", "Xã"),
    "hamlet": ("Thôn/Ấp", "Thôn, ấp", "Thôn/Ấp/Tổ dân phố", "Ấp"),
    "name": ("Họ và tên",),
    "role": ("Chức danh trong tổ", "Chức danh"),
    "gender": ("Giới tính",),
    "age": ("Năm sinh hoặc nhóm tuổi", "Năm sinh", "Nhóm tuổi", "Năm sinh/nhóm tuổi"),
    "phone": ("Điện thoại", "Số điện thoại"),
    "organisation": ("Đơn vị công tác", "Tổ chức"),
}

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
    "tu 30 den 45": AgeGroup.FROM_30_TO_45,
    "tu 30 den 45 tuoi": AgeGroup.FROM_30_TO_45,
    "46-60": AgeGroup.FROM_46_TO_60,
    "tu 46 den 60": AgeGroup.FROM_46_TO_60,
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
    """The current members of active teams in a visible unit's subtree as an .xlsx file."""
    services.summary(user, unit)  # 404 when the unit is not visible
    show_phones = services.phones_visible(user, unit)
    members = services.in_list_order(
        Member.objects.visible_to(user)
        .current()
        .filter(team__unit__path__startswith=unit.path, team__status=TeamStatus.ACTIVE)
        .select_related("team__unit__parent")
    )
    workbook, sheet = titled_sheet(
        "Thành viên",
        TITLE,
        f"{unit.name} – {_('ngày')} {date.today():%d/%m/%Y}",
        HEADERS,
        WIDTHS,
    )
    role_labels = dict(MemberRole.choices)
    gender_labels = dict(Gender.choices)
    age_labels = dict(AgeGroup.choices)
    for number, member in enumerate(members, start=1):
        team_unit = member.team.unit
        if team_unit.kind == UnitKind.HAMLET:
            commune_name = team_unit.parent.name if team_unit.parent else ""
            hamlet_name = team_unit.name
        else:
            commune_name, hamlet_name = team_unit.name, ""
        age = member.birth_year or (str(age_labels[member.age_group]) if member.age_group else "")
        append_row(
            sheet,
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
            ],
        )
        # Text, so Excel keeps the leading zero of the phone number.
        sheet.cell(row=sheet.max_row, column=8).number_format = "@"
    return workbook_bytes(workbook)


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


class _Places:
    """Communes and hamlets of the imported subtree, found by name or code."""

    def __init__(self, root: Unit) -> None:
        self.root = root
        in_force = Unit.objects.in_force().filter(path__startswith=root.path)
        self.communes: dict[str, Unit] = {}
        for unit in in_force.filter(kind=UnitKind.COMMUNE):
            self.communes.setdefault(_unit_key(unit.name), unit)
            self.communes.setdefault(fold(unit.code), unit)
        self.hamlets: dict[tuple[int, str], Unit] = {}
        for unit in in_force.filter(kind=UnitKind.HAMLET):
            self.hamlets.setdefault((unit.parent_id, _unit_key(unit.name)), unit)

    def find(self, commune_name: str, hamlet_name: str, errors: RowErrors) -> Unit | None:
        """The team's unit: the hamlet when one is named, else the commune."""
        if not commune_name:
            if self.root.kind != UnitKind.COMMUNE:
                errors.cell("Xã/Phường", _("chưa ghi tên xã, phường."))
                return None
            commune = self.root
        else:
            commune = self.communes.get(_unit_key(commune_name))
            if commune is None:
                errors.cell(
                    "Xã/Phường",
                    _("không có xã, phường “%(name)s” trong %(root)s.")
                    % {"name": commune_name, "root": self.root.name},
                )
                return None
        if not hamlet_name:
            return commune
        hamlet = self.hamlets.get((commune.pk, _unit_key(hamlet_name)))
        if hamlet is None:
            errors.cell(
                "Thôn/Ấp",
                _("không có thôn, ấp “%(name)s” thuộc %(commune)s.")
                % {"name": hamlet_name, "commune": commune.name},
            )
        return hamlet


def _age(raw: Any, text: str, errors: RowErrors) -> tuple[int | None, str]:
    """(birth year, age group) from a year (1975) or a group ("Dưới 30", "30-45", …)."""
    if not text:
        return None, ""
    if isinstance(raw, int | float) or text.isdigit():
        year = int(float(text))
        if 1900 <= year <= date.today().year - 10:
            return year, ""
        errors.cell(
            "Năm sinh hoặc nhóm tuổi", _("năm sinh %(year)s không hợp lệ.") % {"year": year}
        )
        return None, ""
    group = AGE_WORDS.get(fold(text).replace("–", "-").replace(" - ", "-"))
    if group is None:
        errors.cell(
            "Năm sinh hoặc nhóm tuổi",
            _("ghi năm sinh (ví dụ 1990) hoặc nhóm tuổi: Dưới 30, 30-45, 46-60, Trên 60."),
        )
        return None, ""
    return None, group


def _parse_row(raw: dict[str, Any], errors: RowErrors, places: _Places) -> _Row | None:
    values = {field: cell_text(value) for field, value in raw.items()}
    unit = places.find(values["commune"], values.get("hamlet", ""), errors)
    name = values["name"]
    if not name:
        errors.cell("Họ và tên", _("chưa ghi họ và tên."))
    role = MemberRole.MEMBER
    if values.get("role"):
        role = ROLE_WORDS.get(fold(values["role"]))
        if role is None:
            errors.cell(
                "Chức danh trong tổ",
                _("“%(value)s” không hợp lệ; ghi Tổ trưởng, Tổ phó hoặc Thành viên.")
                % {"value": values["role"]},
            )
    gender = ""
    if values.get("gender"):
        gender = GENDER_WORDS.get(fold(values["gender"]))
        if gender is None:
            errors.cell("Giới tính", _("ghi Nam hoặc Nữ (hoặc để trống)."))
    birth_year, age_group = _age(raw.get("age"), values.get("age", ""), errors)
    phone = ""
    try:
        phone = services.normalise_phone(raw.get("phone"))
    except ValueError as error:
        errors.cell("Điện thoại", str(error))
    if errors or unit is None:
        return None
    fields = {
        "full_name": name,
        "role": role,
        "gender": gender,
        "birth_year": birth_year,
        "age_group": age_group,
        "phone": phone,
        "organisation": values.get("organisation", "")[:150],
    }
    return _Row(errors.line, unit, fields)


def import_members(user, root: Unit, file: BinaryIO) -> ImportResult:
    """Read a member list for `root`'s subtree; all rows are written or none."""
    services.summary(user, root)  # 404 when the unit is not visible
    if not services.can_write(user, root):
        raise Forbidden(_("Bạn chỉ có quyền xem danh sách tổ của đơn vị này."))
    rows = read_first_sheet(file, max_rows=MAX_ROWS)
    header_index = find_header(
        rows,
        "Họ và tên",
        _("Không tìm thấy dòng tiêu đề có cột “Họ và tên”. Hãy dùng tệp mẫu xuất từ DXBoard."),
    )
    columns = map_columns(rows[header_index], COLUMNS)
    if "commune" not in columns:
        raise InvalidInput(_("Thiếu cột bắt buộc: %(cols)s.") % {"cols": "Xã/Phường"})
    places = _Places(root)
    errors: list[ErrorDetail] = []
    parsed: list[_Row] = []
    seen: dict[tuple[int, str, str], int] = {}
    for line, raw_row in data_rows(rows, header_index):
        raw = cells(raw_row, columns)
        if is_blank(raw.values()):
            continue
        row_errors = RowErrors(line)
        row = _parse_row(raw, row_errors, places)
        if row is not None:
            key = (row.unit.pk, fold(row.fields["full_name"]), row.fields["phone"])
            if key in seen:
                row_errors.row(
                    _("thành viên “%(name)s” bị ghi hai lần (trùng với dòng %(first)s).")
                    % {"name": row.fields["full_name"], "first": seen[key]}
                )
            else:
                seen[key] = line
                parsed.append(row)
        errors.extend(row_errors.details)
    raise_if_errors(errors, len(parsed))
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
        for m in Member.objects.current().filter(team__in=teams.values())
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
