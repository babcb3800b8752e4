"""Excel import and export of a plan's tasks and projects.

One sheet, header row found by its "Mã" cell, columns by their titles. Budgets are whole
đồng ("56.800.000.000" or 56800000000); "56,8 tỷ" is refused with a message.
Import is all-or-nothing: every bad row gets its own message and nothing is saved.
Reading, header search and error naming are shared with the team register
(`dxboard.spreadsheets`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, Forbidden, InvalidInput
from dxboard.spreadsheets import (
    RowErrors,
    append_row,
    cell_date,
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
from dxboard.units.models import Unit

from . import services
from .models import OVERDUE, STATE_LABELS, BudgetSource, Item, ItemKind, ItemStatus, ItemUpdate

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
COLUMN = dict(zip(FIELDS, HEADERS, strict=True))
WIDTHS = [5, 14, 10, 10, 50, 14, 18, 12, 12, 16, 9, 20, 20, 20]
TITLE = "DANH MỤC NHIỆM VỤ, DỰ ÁN CHUYỂN ĐỔI SỐ"
MAX_ROWS = 5_000


def _labels(choices) -> dict[str, str]:
    return {fold(str(label)): value for value, label in choices} | {
        fold(value): value for value, _label in choices
    }


def _listed(choices) -> str:
    return ", ".join(str(label) for _value, label in choices)


def export_items(user, items) -> bytes:
    workbook, sheet = titled_sheet(
        "Nhiệm vụ, dự án",
        TITLE,
        f"{_('Xuất ngày')} {timezone.localdate():%d/%m/%Y}",
        HEADERS,
        WIDTHS,
    )
    items = items.prefetch_related(
        Prefetch("coordinating_agencies", queryset=Unit.objects.order_by("code"))
    )
    kinds, statuses, sources = (
        dict(ItemKind.choices),
        dict(ItemStatus.choices),
        dict(BudgetSource.choices),
    )
    for number, item in enumerate(items, start=1):
        append_row(
            sheet,
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
            ],
        )
        row = sheet.max_row
        for column in (8, 9):
            sheet.cell(row=row, column=column).number_format = "DD/MM/YYYY"
        for column in (12, 13):
            sheet.cell(row=row, column=column).number_format = "#,##0"
    return workbook_bytes(workbook)


@dataclass
class ImportResult:
    rows: int
    created: int
    updated: int


class _Lookups:
    """What a row may name: the user's plans, the agencies they may lead and see, choices."""

    def __init__(self, user) -> None:
        self.plans = {fold(p.code): p for p in services.visible_plans(user)}
        writable = list(services.lead_agency_choices(user))
        self.lead_units = {fold(u.code): u for u in writable} | {fold(u.name): u for u in writable}
        # Units whose items the user may change (services.can_edit), in one query.
        self.editable = set(
            Unit.objects.visible_to(user, roles=services.WRITE_ROLES).values_list("pk", flat=True)
        )
        self.all_units = {
            fold(u.code): u for u in Unit.objects.visible_to(user).in_force().exclude(kind="hamlet")
        }
        self.choices = {
            "kind": (_labels(ItemKind.choices), _listed(ItemKind.choices)),
            "status": (_labels(ItemStatus.choices), _listed(ItemStatus.choices)),
            "budget_source": (_labels(BudgetSource.choices), _listed(BudgetSource.choices)),
        }


def _choice(field: str, text: str, lookups: _Lookups, errors: RowErrors) -> str | None:
    table, allowed = lookups.choices[field]
    if not text:
        if field == "kind":
            errors.cell(
                COLUMN[field], _("chưa ghi loại; ghi một trong: %(values)s.") % {"values": allowed}
            )
        return None
    value = table.get(fold(text))
    if value is None:
        if field == "status" and fold(text) == fold(str(STATE_LABELS[OVERDUE])):
            message = _(
                "“Quá hạn” được tính từ hạn hoàn thành, không ghi vào tệp; "
                "hãy ghi trạng thái thực hiện: %(values)s."
            ) % {"values": allowed}
        else:
            message = _("“%(value)s” không hợp lệ; ghi một trong: %(values)s.") % {
                "value": text,
                "values": allowed,
            }
        errors.cell(COLUMN[field], message)
    return value


def _progress(raw: Any, errors: RowErrors) -> int | None:
    text = cell_text(raw).replace("%", "").replace(",", ".").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value.is_integer() or not 0 <= value <= 100:
        errors.cell(COLUMN["progress"], _("tiến độ phải là số nguyên từ 0 đến 100."))
        return None
    return int(value)


def _parse_row(raw: dict[str, Any], errors: RowErrors, lookups: _Lookups) -> dict[str, Any]:
    """The row's values by field; problems go to `errors`, one per cell."""
    out: dict[str, Any] = {"line": errors.line}
    plan_code = cell_text(raw["plan"])
    out["plan"] = lookups.plans.get(fold(plan_code))
    if out["plan"] is None:
        message = (
            _("không có kế hoạch mã “%(code)s”.") % {"code": plan_code}
            if plan_code
            else _("chưa ghi mã kế hoạch.")
        )
        errors.cell(COLUMN["plan"], message)
    for field in ("kind", "status", "budget_source"):
        out[field] = _choice(field, cell_text(raw[field]), lookups, errors)
    out["code"] = cell_text(raw["code"])
    if not out["code"]:
        errors.cell(COLUMN["code"], _("chưa ghi mã."))
    out["name"] = cell_text(raw["name"])
    if not out["name"]:
        errors.cell(COLUMN["name"], _("chưa ghi tên."))
    lead_text = cell_text(raw["lead"])
    out["lead"] = lookups.lead_units.get(fold(lead_text))
    if out["lead"] is None:
        errors.cell(
            COLUMN["lead"],
            _("không có cơ quan “%(value)s” trong phạm vi bạn quản lý.") % {"value": lead_text}
            if lead_text
            else _("chưa ghi cơ quan chủ trì."),
        )
    out["coordinating"] = []
    for part in filter(None, (p.strip() for p in cell_text(raw["coordinating"]).split(";"))):
        unit = lookups.all_units.get(fold(part))
        if unit is None:
            errors.cell(
                COLUMN["coordinating"], _("không có cơ quan mã “%(value)s”.") % {"value": part}
            )
        else:
            out["coordinating"].append(unit)
    for field in ("start_date", "deadline"):
        try:
            out[field] = cell_date(raw[field])
        except ValueError as error:
            errors.cell(COLUMN[field], str(error))
            out[field] = None
        else:
            if out[field] is None:
                errors.cell(COLUMN[field], _("chưa ghi ngày (dd/mm/yyyy)."))
    if out["start_date"] and out["deadline"] and out["deadline"] < out["start_date"]:
        errors.cell(
            COLUMN["deadline"],
            _("hạn hoàn thành %(d)s trước ngày bắt đầu %(s)s.")
            % {"d": f"{out['deadline']:%d/%m/%Y}", "s": f"{out['start_date']:%d/%m/%Y}"},
        )
    out["progress"] = _progress(raw["progress"], errors)
    for field in ("planned_budget", "disbursed_budget"):
        try:
            out[field] = services.parse_budget(raw[field])
        except ValueError as error:
            errors.cell(COLUMN[field], str(error))
    return out


def import_items(user, file: BinaryIO) -> ImportResult:
    if not services.can_create(user):
        raise Forbidden(_("Bạn không có quyền nhập nhiệm vụ, dự án."))
    rows = read_first_sheet(file, max_rows=MAX_ROWS)
    header_at = find_header(
        rows, "Mã", _("Không tìm thấy dòng tiêu đề có cột “Mã”. Hãy dùng tệp xuất từ DXBoard.")
    )
    columns = map_columns(rows[header_at], {f: (t,) for f, t in COLUMN.items()})
    missing = [t for f, t in COLUMN.items() if f not in columns and f != "number"]
    if missing:
        raise InvalidInput(_("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
    columns.pop("number", None)
    lookups = _Lookups(user)
    errors: list[ErrorDetail] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[int, str], int] = {}
    for line, raw_row in data_rows(rows, header_at):
        raw = cells(raw_row, columns)
        if is_blank(raw.values()):
            continue
        row_errors = RowErrors(line)
        out = _parse_row(raw, row_errors, lookups)
        if out["plan"] is not None and out["code"]:
            key = (out["plan"].pk, fold(out["code"]))
            if key in seen:
                row_errors.cell(
                    COLUMN["code"],
                    _("mã “%(code)s” bị ghi hai lần (trùng với dòng %(first)s).")
                    % {"code": out["code"], "first": seen[key]},
                )
            seen.setdefault(key, line)
        errors.extend(row_errors.details)
        if not row_errors:
            parsed.append(out)
    existing = _existing(parsed)
    for row in parsed:
        item = existing.get((row["plan"].pk, fold(row["code"])))
        if item is not None and item.lead_agency_id not in lookups.editable:
            denied = RowErrors(row["line"])
            denied.cell(
                COLUMN["code"],
                _("bạn không được sửa nhiệm vụ “%(code)s” (cơ quan khác chủ trì).")
                % {"code": row["code"]},
            )
            errors.extend(denied.details)
        _check_over_budget(row, item, errors)
    raise_if_errors(errors, len(parsed))
    return _write(user, parsed, existing)


def _check_over_budget(row: dict[str, Any], item: Item | None, errors: list[ErrorDetail]) -> None:
    """Disbursed above planned, newly written by the file, is refused (issue 18).

    The web form asks for a confirmation; a file has no box to tick. A row that keeps the
    budgets of an item confirmed on the web (an exported file imported back) passes.
    """
    planned, disbursed = row["planned_budget"], row["disbursed_budget"]
    if disbursed <= planned:
        return
    if item is not None and (item.planned_budget, item.disbursed_budget) == (planned, disbursed):
        return
    over = RowErrors(row["line"])
    over.cell(
        COLUMN["disbursed_budget"],
        _(
            "đã giải ngân lớn hơn kinh phí kế hoạch; sửa số tiền, hoặc cập nhật nhiệm vụ "
            "trên trang của nó và xác nhận giải ngân vượt kế hoạch."
        ),
    )
    errors.extend(over.details)


def _existing(parsed: list[dict[str, Any]]) -> dict[tuple[int, str], Item]:
    """Items already in the plans named by the file, by (plan, folded code)."""
    plans = {row["plan"].pk for row in parsed}
    return {(i.plan_id, fold(i.code)): i for i in Item.objects.filter(plan__in=plans)}


@transaction.atomic
def _write(
    user, parsed: list[dict[str, Any]], existing: dict[tuple[int, str], Item]
) -> ImportResult:
    """Create new items and update existing ones (same plan and code) in bulk, with a log.

    Permission to change the existing items was checked with the rows.
    """
    new: list[Item] = []
    changed: list[tuple[Item, tuple]] = []
    coordination: dict[tuple[int, str], list[Unit]] = {}
    for row in parsed:
        key = (row["plan"].pk, fold(row["code"]))
        item = existing.get(key)
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
