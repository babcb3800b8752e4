"""The one write path for data values, and the reading of values back.

Web forms, Excel uploads, the API, file imports and computed values from other apps all
call `save_values`. It checks every row (codes, period, number, permission, numerator ≤
denominator), then writes in a few set-based statements and audits every change.

    summary = save_values(user, [ValueRow("CQ-03-TU", "2024Q1", "99001", "1.234")], "web")
    summary.ok        # False when a row was rejected
    summary.as_dict() # DHIS2-like import summary
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.accounts.models import Role
from dxboard.collection.models import AuditAction, DataValue, DataValueAudit, ValueSource
from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.indicators.models import DataElement, Indicator, IndicatorKind, ValueType
from dxboard.periods import InvalidPeriod, Period, parse_period
from dxboard.units.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

# Roles that may enter figures for a unit (and its subtree).
WRITER_ROLES = (Role.REPORTER, Role.PROVINCE_OFFICER, Role.ADMIN)
MAX_ABS = Decimal("1e14")  # DecimalField(20, 6) holds 14 digits before the point
SIX_PLACES = Decimal("0.000001")
TRUE_WORDS = {"true", "1", "yes", "y", "có", "co", "x", "đúng", "dung"}
FALSE_WORDS = {"false", "0", "no", "n", "không", "khong", "sai"}
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3}){2,}$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class ValueRow:
    """One figure to save. `path` names the row in messages ("dataValues[3]", "Dòng 5").

    An empty `value` (None or "") deletes the stored value. `version`, when given, must
    equal the stored value's version (optimistic concurrency for web forms).
    """

    data_element: str
    period: str
    org_unit: str
    value: Any = None
    comment: str = ""
    path: str = ""
    version: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], path: str = "") -> ValueRow:
        def pick(*keys: str) -> Any:
            for key in keys:
                if key in data and data[key] is not None:
                    return data[key]
            return None

        return cls(
            data_element=str(pick("data_element", "dataElement", "dataelement") or "").strip(),
            period=str(pick("period") or "").strip(),
            org_unit=str(pick("org_unit", "orgUnit", "orgunit") or "").strip(),
            value=pick("value"),
            comment=str(pick("comment") or ""),
            path=str(data.get("path") or path),
            version=pick("version"),
        )


@dataclass(frozen=True)
class ImportConflict:
    object: str
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"object": self.object, "path": self.path, "message": self.message}


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[ImportConflict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.conflicts

    @property
    def status(self) -> str:
        """SUCCESS, WARNING (some rows rejected, others saved) or ERROR (nothing saved)."""
        if not self.conflicts:
            return "SUCCESS"
        if self.imported or self.updated or self.deleted:
            return "WARNING"
        return "ERROR"

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "dryRun": self.dry_run,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": self.deleted,
            },
            "conflicts": [c.as_dict() for c in self.conflicts],
        }

    def error_details(self) -> list[ErrorDetail]:
        return [ErrorDetail(c.path or c.object, c.message) for c in self.conflicts]


# --- parsing -----------------------------------------------------------------------------


def parse_number(raw: Any, *, integer_hint: bool = False) -> Decimal:
    """Read a number written the Vietnamese way ("1.234,5") or the English way ("1234.5").

    With both separators the last one is the decimal mark. A lone comma is a decimal mark
    ("97,5"). Dots in groups of three ("1.234.567") are thousands separators; a single
    dot followed by three digits ("12.316") is a thousands separator only for integer data
    elements (`integer_hint`), a decimal mark otherwise. Raises ValueError.
    """
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if _THOUSANDS_COMMA.match(text) else text.replace(",", ".")
    elif _THOUSANDS_DOT.match(text) and (integer_hint or text.count(".") > 1):
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        raise ValueError(raw)
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(raw) from error


def parse_boolean(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        return Decimal(int(raw))
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return Decimal(1)
    if text in FALSE_WORDS:
        return Decimal(0)
    raise ValueError(raw)


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def _clean_value(element: DataElement, raw: Any) -> tuple[Decimal | None, str]:
    """(number, text) for a raw value; raises ValueError with a Vietnamese message."""
    value_type = element.value_type
    if value_type == ValueType.TEXT:
        return None, str(raw)
    if value_type == ValueType.BOOLEAN:
        try:
            return parse_boolean(raw), ""
        except ValueError:
            raise ValueError(
                _("Giá trị “%(value)s” không phải Có/Không (dùng true/false, 1/0).")
                % {"value": raw}
            ) from None
    try:
        number = parse_number(raw, integer_hint=value_type == ValueType.INTEGER)
    except ValueError:
        raise ValueError(_("Giá trị “%(value)s” không phải là số.") % {"value": raw}) from None
    if abs(number) >= MAX_ABS:
        raise ValueError(_("Giá trị “%(value)s” quá lớn.") % {"value": raw})
    if value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValueError(_("Giá trị “%(value)s” phải là số nguyên.") % {"value": raw})
    if value_type == ValueType.PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
        raise ValueError(_("Tỷ lệ “%(value)s” phải nằm trong khoảng 0–100 %%.") % {"value": raw})
    return number.quantize(SIX_PLACES), ""


def _same(existing: DataValue, number: Decimal | None, text: str, comment: str) -> bool:
    return existing.value == number and existing.text_value == text and existing.comment == comment


def _display(number: Decimal | None, text: str) -> str:
    if number is None:
        return text
    return f"{number.normalize():f}"


# --- saving ------------------------------------------------------------------------------


@dataclass
class _Clean:
    row: ValueRow
    element: DataElement
    unit: Unit
    period: Period
    number: Decimal | None
    text: str
    delete: bool


def ratio_pairs(element_ids: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
    """(numerator id, denominator id, indicator code) for share indicators (unit "%").

    A share's numerator cannot exceed its denominator; indicators "per 100 inhabitants"
    and other ratios are not checked.
    """
    query = Indicator.objects.filter(kind=IndicatorKind.RATIO, unit_of_measure="%")
    if element_ids is not None:
        ids = list(element_ids)
        query = query.filter(Q(numerator_id__in=ids) | Q(denominator_id__in=ids))
    return list(query.values_list("numerator_id", "denominator_id", "code"))


def save_values(
    user: User | AnonymousUser | None,
    rows: Iterable[ValueRow | Mapping[str, Any]],
    source: str,
    *,
    dry_run: bool = False,
    atomic: bool = True,
) -> ImportSummary:
    """Validate and save data values; return the import summary.

    `user` needs the reporter, province officer or unit administrator role on each row's
    unit (superusers may write anywhere). `user=None` is allowed only with
    `source="computed"` (figures computed by the system from its registers).
    With `atomic` (the default) one bad row means nothing is saved and every row is
    counted as ignored; with `atomic=False` good rows are saved and bad rows reported.
    With `dry_run` everything is checked and counted, nothing is written.
    """
    if source not in ValueSource.values:
        raise InvalidInput(_("Nguồn số liệu không hợp lệ: %(source)s") % {"source": source})
    if user is None and source != ValueSource.COMPUTED:
        raise InvalidInput(_("Cần người dùng để nhập số liệu."))
    items = [
        row if isinstance(row, ValueRow) else ValueRow.from_mapping(row, f"dataValues[{i}]")
        for i, row in enumerate(rows)
    ]
    for i, row in enumerate(items):
        if not row.path:
            row.path = f"dataValues[{i}]"
    summary = ImportSummary(dry_run=dry_run)
    cleaned = _validate(user, items, summary)
    if summary.conflicts and atomic:
        summary.ignored = len(items)
        return summary
    summary.ignored += len(items) - len(cleaned)
    with transaction.atomic():
        plan = _count(cleaned, summary, _existing(cleaned, lock=not dry_run))
        if summary.conflicts and atomic:
            summary.imported = summary.updated = summary.deleted = 0
            summary.ignored = len(items)
            return summary
        if not dry_run:
            _write(user, plan, source)
    return summary


def _validate(
    user: User | AnonymousUser | None, items: list[ValueRow], summary: ImportSummary
) -> list[_Clean]:
    conflicts = summary.conflicts
    element_codes = {row.data_element for row in items}
    unit_codes = {row.org_unit for row in items}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_codes)}
    units_in_force = Unit.objects.in_force().filter(code__in=unit_codes)
    if user is None or user.is_superuser:
        visible = {u.code: u for u in units_in_force}
        writable = set(visible)
    else:
        visible = {u.code: u for u in units_in_force.filter(pk__in=Unit.objects.visible_to(user))}
        writable = set(
            units_in_force.filter(
                pk__in=Unit.objects.visible_to(user, roles=WRITER_ROLES)
            ).values_list("code", flat=True)
        )

    cleaned: list[_Clean] = []
    seen: dict[tuple[str, str, str], str] = {}
    for row in items:
        bad = len(conflicts)
        element = elements.get(row.data_element)
        if element is None:
            conflicts.append(
                ImportConflict(
                    row.data_element,
                    row.path,
                    _("Không có phần tử số liệu mã “%(code)s”.") % {"code": row.data_element},
                )
            )
        unit = visible.get(row.org_unit)
        if unit is None:
            conflicts.append(
                ImportConflict(
                    row.org_unit,
                    row.path,
                    _("Không có đơn vị mã “%(code)s” (hoặc bạn không được xem đơn vị này).")
                    % {"code": row.org_unit},
                )
            )
        elif row.org_unit not in writable:
            conflicts.append(
                ImportConflict(
                    row.org_unit,
                    row.path,
                    _("Bạn không có quyền nhập số liệu cho đơn vị “%(name)s”.")
                    % {"name": unit.name},
                )
            )
        try:
            period = parse_period(row.period)
        except InvalidPeriod as error:
            period = None
            conflicts.append(ImportConflict(row.period, row.path, str(error)))
        number, text, delete = None, "", _is_empty(row.value)
        if element is not None and not delete:
            try:
                number, text = _clean_value(element, row.value)
            except ValueError as error:
                conflicts.append(ImportConflict(str(row.value), row.path, str(error)))
        if len(conflicts) > bad:
            continue
        key = (row.data_element, row.org_unit, period.code)
        if key in seen:
            conflicts.append(
                ImportConflict(
                    row.data_element,
                    row.path,
                    _("Trùng số liệu với %(other)s (cùng phần tử, đơn vị và kỳ).")
                    % {"other": seen[key]},
                )
            )
            continue
        seen[key] = row.path
        cleaned.append(_Clean(row, element, unit, period, number, text, delete))

    return _check_ratios(cleaned, summary)


def _check_ratios(cleaned: list[_Clean], summary: ImportSummary) -> list[_Clean]:
    """Reject a share's numerator above its denominator (same unit and period).

    The other element's value comes from the same batch, or else from the database.
    """
    pairs = ratio_pairs({c.element.pk for c in cleaned})
    if not pairs:
        return cleaned
    pair_elements = {e for pair in pairs for e in pair[:2]}
    batch: dict[tuple[int, int, str], _Clean] = {
        (c.element.pk, c.unit.pk, c.period.code): c
        for c in cleaned
        if c.element.pk in pair_elements
    }
    stored = {
        (de, unit, period): value
        for de, unit, period, value in DataValue.objects.filter(
            data_element_id__in=pair_elements,
            unit_id__in={key[1] for key in batch},
            period__in={key[2] for key in batch},
        ).values_list("data_element_id", "unit_id", "period", "value")
    }

    def value_of(key: tuple[int, int, str]) -> Decimal | None:
        if key in batch:
            item = batch[key]
            return None if item.delete else item.number
        return stored.get(key)

    rejected: set[int] = set()
    for num_id, den_id, code in pairs:
        for (element_id, unit_id, period), item in batch.items():
            if element_id not in (num_id, den_id):
                continue
            num_key, den_key = (num_id, unit_id, period), (den_id, unit_id, period)
            if element_id == den_id and num_key in batch:
                continue  # reported once, on the numerator's row
            numerator, denominator = value_of(num_key), value_of(den_key)
            if numerator is None or denominator is None or numerator <= denominator:
                continue
            culprit = batch.get(num_key, item)
            if id(culprit) in rejected:
                continue
            rejected.add(id(culprit))
            summary.conflicts.append(
                ImportConflict(
                    culprit.row.data_element,
                    culprit.row.path,
                    _(
                        "Tử số %(numerator)s lớn hơn mẫu số %(denominator)s của chỉ tiêu "
                        "%(indicator)s (đơn vị %(unit)s, kỳ %(period)s)."
                    )
                    % {
                        "numerator": _display(numerator, ""),
                        "denominator": _display(denominator, ""),
                        "indicator": code,
                        "unit": culprit.unit.code,
                        "period": period,
                    },
                )
            )
    return [c for c in cleaned if id(c) not in rejected]


def _existing(cleaned: list[_Clean], *, lock: bool) -> dict[tuple[int, int, str], DataValue]:
    """The stored values of the rows, locked for update when about to write (PostgreSQL)."""
    if not cleaned:
        return {}
    query = DataValue.objects.filter(
        data_element_id__in={c.element.pk for c in cleaned},
        unit_id__in={c.unit.pk for c in cleaned},
        period__in={c.period.code for c in cleaned},
    )
    if lock:
        query = query.select_for_update()
    return {(v.data_element_id, v.unit_id, v.period): v for v in query}


def _count(
    cleaned: list[_Clean], summary: ImportSummary, existing: dict[tuple[int, int, str], DataValue]
) -> list[tuple[str, _Clean, DataValue | None]]:
    """Decide per row: create, update, delete or ignore; check versions; update counts."""
    plan: list[tuple[str, _Clean, DataValue | None]] = []
    for item in cleaned:
        current = existing.get((item.element.pk, item.unit.pk, item.period.code))
        version = item.row.version
        if current is not None and version is not None and int(version) != current.version:
            summary.conflicts.append(
                ImportConflict(
                    item.row.data_element,
                    item.row.path,
                    _("Số liệu đã được người khác sửa; hãy tải lại trang rồi nhập lại."),
                )
            )
            summary.ignored += 1
            continue
        if item.delete:
            action = AuditAction.DELETE if current is not None else None
        elif current is None:
            action = AuditAction.CREATE
        elif _same(current, item.number, item.text, item.row.comment):
            action = None
        else:
            action = AuditAction.UPDATE
        if action is None:
            summary.ignored += 1
            continue
        if action == AuditAction.CREATE:
            summary.imported += 1
        elif action == AuditAction.UPDATE:
            summary.updated += 1
        else:
            summary.deleted += 1
        plan.append((action, item, current))
    return plan


def _write(user, plan: list[tuple[str, _Clean, DataValue | None]], source: str) -> None:
    now = timezone.now()
    author = user if user is not None and user.is_authenticated else None
    creates, updates, deletes, audits = [], [], [], []
    for action, item, current in plan:
        if action == AuditAction.CREATE:
            creates.append(
                DataValue(
                    data_element=item.element,
                    unit=item.unit,
                    period=item.period.code,
                    period_type=item.period.type.value,
                    period_start=item.period.start,
                    period_end=item.period.end,
                    value=item.number,
                    text_value=item.text,
                    comment=item.row.comment,
                    source=source,
                    created_by=author,
                    updated_by=author,
                    created_at=now,
                    updated_at=now,
                )
            )
            continue
        old = _display(current.value, current.text_value)
        audits.append(
            DataValueAudit(
                data_value=None if action == AuditAction.DELETE else current,
                data_element=item.element,
                unit=item.unit,
                period=item.period.code,
                action=action,
                old_value=old,
                new_value="" if action == AuditAction.DELETE else _display(item.number, item.text),
                user=author,
                at=now,
                source=source,
            )
        )
        if action == AuditAction.DELETE:
            deletes.append(current.pk)
        else:
            current.value, current.text_value = item.number, item.text
            current.comment, current.source = item.row.comment, source
            current.updated_by, current.updated_at = author, now
            current.version = F("version") + 1
            updates.append(current)
    if deletes:
        DataValueAudit.objects.filter(data_value_id__in=deletes).update(data_value=None)
        DataValue.objects.filter(pk__in=deletes).delete()
    if updates:
        DataValue.objects.bulk_update(
            updates,
            ["value", "text_value", "comment", "source", "updated_by", "updated_at", "version"],
            batch_size=500,
        )
    if creates:
        created = DataValue.objects.bulk_create(creates, batch_size=500)
        for value in created:
            audits.append(
                DataValueAudit(
                    data_value=value if value.pk else None,
                    data_element=value.data_element,
                    unit=value.unit,
                    period=value.period,
                    action=AuditAction.CREATE,
                    old_value="",
                    new_value=_display(value.value, value.text_value),
                    user=author,
                    at=now,
                    source=source,
                )
            )
    if audits:
        DataValueAudit.objects.bulk_create(audits, batch_size=500)


# --- DHIS2 dataValueSets documents ----------------------------------------------------------

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
    rows = []
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {column: record[i] if i < len(record) else "" for column, i in index.items()}
        rows.append(
            ValueRow(
                data_element=cells["dataelement"].strip(),
                period=cells["period"].strip(),
                org_unit=cells["orgunit"].strip(),
                value=cells["value"],
                comment=cells.get("comment", ""),
                path=_("Dòng %(line)s") % {"line": line},
            )
        )
    return rows


# --- reading -----------------------------------------------------------------------------


def get_values(
    user: User | AnonymousUser,
    *,
    org_unit: str,
    period: str | None = None,
    data_element: str | None = None,
    children: bool = False,
) -> list[DataValue]:
    """Stored values of a unit the user may see (with `children`, of its whole subtree).

    `period` may be any period code: values whose period lies inside it are returned.
    Raises NotFound for a unit the user may not see, InvalidInput for a bad period.
    """
    unit = Unit.objects.visible_to(user).in_force().filter(code=org_unit).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": org_unit})
    query = DataValue.objects.select_related("data_element", "unit", "updated_by")
    query = query.filter(unit__path__startswith=unit.path) if children else query.filter(unit=unit)
    if period:
        try:
            parsed = parse_period(period)
        except InvalidPeriod as error:
            raise InvalidInput(str(error), [ErrorDetail("period", str(error))]) from None
        query = query.filter(period_start__gte=parsed.start, period_end__lte=parsed.end)
    if data_element:
        query = query.filter(data_element__code=data_element)
    return list(query.order_by("data_element__code", "unit__code", "period_start"))
