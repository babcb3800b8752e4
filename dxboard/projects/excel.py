"""Excel import and export of a plan's tasks and projects.

One sheet, header row found by its "Mã" and "Tên nhiệm vụ, dự án" cells. Budgets are
whole đồng ("56.800.000.000" or 56800000000); "56,8 tỷ" is refused with a message.
Import is all-or-nothing: every bad row gets its own message and nothing is saved.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dxboard.errors import ErrorDetail, Forbidden, InvalidInput
from dxboard.text import fold
from dxboard.units.models import Unit

from . import services
from .models import BudgetSource, Item, ItemKind, ItemStatus, ItemUpdate

HEADERS = [
    "STT",
    "Kế hoạch",
    "Loại",
    "Mã",
    "Tên nhiệm vụ, dự án",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Ngày bắt đầu",
    "Hạn hoàn thành",
    "Trạng thái",
    "Tiến độ (%)",
    "Kinh phí kế hoạch (đồng)",
    "Đã giải ngân (đồng)",
    "Nguồn vốn",
]
FIELDS = [
    "number", "plan", "kind", "code", "name", "lead", "coordinating", "start_date",
    "deadline", "status", "progress", "planned_budget", "disbursed_budget", "budget_source",
]  # fmt: skip
MAX_ROWS = 5_000


def _labels(choices) -> dict[str, str]:
    return {fold(str(label)): value for value, label in choices} | {
        fold(value): value for value, _label in choices
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def export_items(user, items) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ, dự án"
    sheet.append(["DANH MỤC NHIỆM VỤ, DỰ ÁN CHUYỂN ĐỔI SỐ"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"{_('Xuất ngày')} {timezone.localdate():%d/%m/%Y}"])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    items = items.prefetch_related(
        Prefetch("coordinating_agencies", queryset=Unit.objects.order_by("code"))
    )
    kinds, statuses, sources = (
        dict(ItemKind.choices),
        dict(ItemStatus.choices),
        dict(BudgetSource.choices),
    )
    for number, item in enumerate(items, start=1):
        sheet.append(
            [
                number,
                item.plan.code,
                str(kinds[item.kind]),
                item.code,
                item.name,
                item.lead_agency.code,
                "; ".join(u.code for u in item.coordinating_agencies.all()),
                item.start_date,
                item.deadline,
                str(statuses[item.status]),
                item.progress,
                item.planned_budget,
                item.disbursed_budget,
                str(sources[item.budget_source]),
            ]
        )
        row = sheet.max_row
        for column in (8, 9):
            sheet.cell(row=row, column=column).number_format = "DD/MM/YYYY"
        for column in (12, 13):
            sheet.cell(row=row, column=column).number_format = "#,##0"
    for index, width in enumerate([5, 14, 10, 10, 50, 14, 18, 12, 12, 16, 9, 20, 20, 20], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportResult:
    rows: int
    created: int
    updated: int


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _cell(raw)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” không phải ngày (dd/mm/yyyy).") % {"value": text})


def import_items(user, file: BinaryIO) -> ImportResult:
    if not services.can_create(user):
        raise Forbidden(_("Bạn không có quyền nhập nhiệm vụ, dự án."))
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a non-Excel file
        raise InvalidInput(_("Tệp không đọc được. Hãy tải lên tệp Excel (.xlsx).")) from error
    rows = list(workbook.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS))
    workbook.close()
    header_at = next(
        (i for i, row in enumerate(rows[:15]) if any(fold(_cell(v)) == "ma" for v in row)), None
    )
    if header_at is None:
        raise InvalidInput(
            _("Không tìm thấy dòng tiêu đề có cột “Mã”. Hãy dùng tệp xuất từ DXBoard.")
        )
    header = [fold(_cell(v)) for v in rows[header_at]]
    positions = {}
    for field, title in zip(FIELDS, HEADERS, strict=True):
        if fold(title) in header:
            positions[field] = header.index(fold(title))
    missing = [
        t for f, t in zip(FIELDS, HEADERS, strict=True) if f not in positions and f != "number"
    ]
    if missing:
        raise InvalidInput(_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})

    plans = {fold(p.code): p for p in services.visible_plans(user)}
    writable = list(services.lead_agency_choices(user))
    lead_units = {fold(u.code): u for u in writable} | {fold(u.name): u for u in writable}
    all_units = {
        fold(u.code): u for u in Unit.objects.visible_to(user).in_force().exclude(kind="hamlet")
    }
    kinds, statuses, sources = (
        _labels(ItemKind.choices),
        _labels(ItemStatus.choices),
        _labels(BudgetSource.choices),
    )

    errors: list[ErrorDetail] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[int, str], int] = {}
    for line, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = {f: raw[i] if i < len(raw) else None for f, i in positions.items()}
        if not any(_cell(v) for k, v in cells.items() if k != "number"):
            continue
        row_errors: list[ErrorDetail] = []

        def bad(column: str, message: str, line: int = line, row_errors: list = row_errors) -> None:
            row_errors.append(
                ErrorDetail(
                    _("Dòng %(line)s, cột “%(column)s”") % {"line": line, "column": column}, message
                )
            )

        out: dict[str, Any] = {"line": line}
        plan = plans.get(fold(_cell(cells["plan"])))
        if plan is None:
            bad("Kế hoạch", _("không có kế hoạch mã “%(code)s”.") % {"code": _cell(cells["plan"])})
        out["plan"] = plan
        for field, table, column in (
            ("kind", kinds, "Loại"),
            ("status", statuses, "Trạng thái"),
            ("budget_source", sources, "Nguồn vốn"),
        ):
            text = _cell(cells[field])
            if field != "kind" and not text:
                out[field] = None
                continue
            value = table.get(fold(text))
            if value is None:
                bad(column, _("giá trị “%(value)s” không hợp lệ.") % {"value": text})
            out[field] = value
        out["code"] = _cell(cells["code"])
        if not out["code"]:
            bad("Mã", _("chưa ghi mã."))
        out["name"] = _cell(cells["name"])
        if not out["name"]:
            bad("Tên nhiệm vụ, dự án", _("chưa ghi tên."))
        lead_text = _cell(cells["lead"])
        out["lead"] = lead_units.get(fold(lead_text))
        if out["lead"] is None:
            bad(
                "Cơ quan chủ trì",
                _("không có cơ quan “%(value)s” trong phạm vi bạn quản lý.") % {"value": lead_text},
            )
        out["coordinating"] = []
        for part in filter(None, (p.strip() for p in _cell(cells["coordinating"]).split(";"))):
            unit = all_units.get(fold(part))
            if unit is None:
                bad("Cơ quan phối hợp", _("không có cơ quan mã “%(value)s”.") % {"value": part})
            else:
                out["coordinating"].append(unit)
        for field, column in (("start_date", "Ngày bắt đầu"), ("deadline", "Hạn hoàn thành")):
            try:
                out[field] = _date(cells[field])
            except ValueError as error:
                bad(column, str(error))
                out[field] = None
        if out["start_date"] and out["deadline"] and out["deadline"] < out["start_date"]:
            bad(
                "Hạn hoàn thành",
                _("hạn hoàn thành %(d)s trước ngày bắt đầu %(s)s.")
                % {"d": f"{out['deadline']:%d/%m/%Y}", "s": f"{out['start_date']:%d/%m/%Y}"},
            )
        progress = cells["progress"]
        try:
            out["progress"] = (
                int(float(str(progress).replace("%", "").replace(",", ".").strip()))
                if _cell(progress)
                else None
            )
            if out["progress"] is not None and not 0 <= out["progress"] <= 100:
                raise ValueError
        except ValueError:
            bad("Tiến độ (%)", _("tiến độ phải là số từ 0 đến 100."))
        for field, column in (
            ("planned_budget", "Kinh phí kế hoạch (đồng)"),
            ("disbursed_budget", "Đã giải ngân (đồng)"),
        ):
            try:
                out[field] = services.parse_budget(cells[field])
            except ValueError as error:
                bad(column, str(error))
        if plan is not None and out["code"]:
            key = (plan.pk, fold(out["code"]))
            if key in seen:
                bad(
                    "Mã",
                    _("mã “%(code)s” bị ghi hai lần (trùng với dòng %(first)s).")
                    % {"code": out["code"], "first": seen[key]},
                )
            seen.setdefault(key, line)
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(out)
    if errors:
        raise InvalidInput(
            _("Tệp có %(count)s lỗi; chưa có dòng nào được lưu.") % {"count": len(errors)}, errors
        )
    if not parsed:
        raise InvalidInput(_("Tệp không có dòng dữ liệu nào."))
    return _write(user, parsed)


@transaction.atomic
def _write(user, parsed: list[dict[str, Any]]) -> ImportResult:
    """Create new items and update existing ones (same plan and code) in bulk, with a log."""
    existing = {
        (i.plan_id, fold(i.code)): i
        for i in Item.objects.filter(plan__in={r["plan"].pk for r in parsed})
    }
    new: list[Item] = []
    changed: list[tuple[Item, tuple]] = []
    coordination: dict[tuple[int, str], list[Unit]] = {}
    for row in parsed:
        key = (row["plan"].pk, fold(row["code"]))
        item = existing.get(key)
        if item is not None and not services.can_edit(user, item):
            raise InvalidInput(
                _("Dòng %(line)s: bạn không được sửa nhiệm vụ “%(code)s”.")
                % {"line": row["line"], "code": row["code"]}
            )
        before = (item.status, item.progress, item.disbursed_budget) if item else None
        item = item or Item(plan=row["plan"], code=row["code"])
        item.kind, item.name, item.lead_agency = row["kind"], row["name"], row["lead"]
        item.start_date, item.deadline = row["start_date"], row["deadline"]
        item.planned_budget, item.disbursed_budget = row["planned_budget"], row["disbursed_budget"]
        for field in ("status", "progress", "budget_source"):
            if row[field] is not None:
                setattr(item, field, row[field])
        coordination[key] = [u for u in row["coordinating"] if u.pk != row["lead"].pk]
        if before is None:
            new.append(item)
        else:
            changed.append((item, before))
    Item.objects.bulk_create(new)
    Item.objects.bulk_update(
        [i for i, _b in changed],
        ["kind", "name", "lead_agency", "start_date", "deadline", "status", "progress",
         "planned_budget", "disbursed_budget", "budget_source"],
    )  # fmt: skip
    saved = {
        (i.plan_id, fold(i.code)): i
        for i in Item.objects.filter(plan__in={r["plan"].pk for r in parsed})
    }
    through = Item.coordinating_agencies.through
    through.objects.filter(item__in=[saved[k] for k in coordination]).delete()
    through.objects.bulk_create(
        [through(item=saved[k], unit=u) for k, units in coordination.items() for u in units]
    )
    author = user if user.is_authenticated else None
    logs = [
        ItemUpdate(item=saved[(i.plan_id, fold(i.code))], user=author, new_status=i.status,
                   new_progress=i.progress, new_disbursed=i.disbursed_budget, note=_("Nhập từ Excel"))
        for i in new
    ]  # fmt: skip
    for item, before in changed:
        after = (item.status, item.progress, item.disbursed_budget)
        if after != before:
            logs.append(
                ItemUpdate(
                    item=item, user=author,
                    old_status=before[0] if before[0] != after[0] else "",
                    new_status=after[0] if before[0] != after[0] else "",
                    old_progress=before[1] if before[1] != after[1] else None,
                    new_progress=after[1] if before[1] != after[1] else None,
                    old_disbursed=before[2] if before[2] != after[2] else None,
                    new_disbursed=after[2] if before[2] != after[2] else None,
                    note=_("Nhập từ Excel"),
                )
            )  # fmt: skip
    ItemUpdate.objects.bulk_create(logs)
    return ImportResult(len(parsed), len(new), len(changed))
