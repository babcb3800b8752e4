"""Field reports from the system a province used before DXBoard: CSV, Excel or Open311 JSON.

Each report keeps its original times (received, accepted, answered, closed or rejected),
and its status history is written as events at those times, so the statistics (on time,
hours to resolve, by period) are computed from them as for reports received here. The
former system's id (`former_id`) makes a re-run harmless: a report already imported is
skipped. Everything is checked before anything is written; nothing is half-imported.

Columns (CSV header row, or the first row of the Excel sheet; Vietnamese titles too):
former_id, service_code, description, commune (official code; or lat and long for the
nearest commune), address, received_at, accepted_at, resolved_at, closed_at, rejected_at,
due_at, public_answer, reject_reason. Times are ISO 8601 or dd/mm/yyyy HH:MM (local time).

An Open311 JSON list (a former GeoReport v2 server's `requests.json`) maps
service_request_id, service_code, description, address_id / lat / long, address,
requested_datetime, expected_datetime, status ("closed" with updated_datetime as the
answer time) and service_notice.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.spreadsheets import cell_text, map_columns, read_first_sheet
from dxboard.units.models import Unit, UnitKind

from .deadlines import add_working_hours
from .geolocate import nearest_commune
from .intake import SUFFIX_ALPHABET
from .models import Category, FieldReport, ReportEvent, Routing, Status

MAX_ROWS = 50_000
COLUMNS: dict[str, tuple[str, ...]] = {
    "former_id": ("former_id", "Mã cũ", "Mã phản ánh cũ"),
    "service_code": ("service_code", "Lĩnh vực", "Mã lĩnh vực"),
    "description": ("description", "Nội dung"),
    "commune": ("commune", "Xã", "Mã xã"),
    "lat": ("lat", "Vĩ độ"),
    "long": ("long", "Kinh độ"),
    "address": ("address", "Địa chỉ"),
    "received_at": ("received_at", "Nhận lúc", "Gửi lúc"),
    "accepted_at": ("accepted_at", "Tiếp nhận lúc"),
    "resolved_at": ("resolved_at", "Trả lời lúc", "Xử lý xong lúc"),
    "closed_at": ("closed_at", "Đóng lúc"),
    "rejected_at": ("rejected_at", "Từ chối lúc"),
    "due_at": ("due_at", "Hạn xử lý"),
    "public_answer": ("public_answer", "Kết quả trả lời"),
    "reject_reason": ("reject_reason", "Lý do từ chối"),
}
TIMES = ("received_at", "accepted_at", "resolved_at", "closed_at", "rejected_at", "due_at")
REQUIRED = ("former_id", "service_code", "description", "received_at")


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    public_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "skipped": self.skipped}


# --- reading ----------------------------------------------------------------------------------


def read_rows(content: bytes, file_name: str) -> list[tuple[str, dict[str, Any]]]:
    """(row label, raw fields) of a CSV, Excel (.xlsx) or Open311 JSON file."""
    suffix = file_name.lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        rows = read_first_sheet(io.BytesIO(content), max_rows=MAX_ROWS + 1)
        return _tabular([list(r) for r in rows])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("Tệp không phải văn bản UTF-8.")) from None
    if suffix == "json":
        return _open311(text)
    if suffix == "csv":
        return _tabular(list(csv.reader(io.StringIO(text))))
    raise InvalidInput(_("Chỉ nhận tệp .csv, .xlsx hoặc .json (danh sách Open311)."))


def _tabular(rows: list[list[Any]]) -> list[tuple[str, dict[str, Any]]]:
    if not rows:
        raise InvalidInput(_("Tệp không có dòng dữ liệu nào."))
    columns = map_columns(rows[0], COLUMNS)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        message = _("Dòng 1: thiếu cột %(columns)s.") % {"columns": ", ".join(missing)}
        raise InvalidInput(message, [ErrorDetail(_("Dòng 1"), message)])
    if len(rows) > MAX_ROWS + 1:
        raise InvalidInput(_("Tệp có hơn %(max)s dòng; hãy chia nhỏ.") % {"max": MAX_ROWS})
    out = []
    for line, row in enumerate(rows[1:], start=2):
        values = {name: row[i] if i < len(row) else None for name, i in columns.items()}
        if all(cell_text(v) == "" for v in values.values()):
            continue
        out.append((_("Dòng %(line)s") % {"line": line}, values))
    return out


def _open311(text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            _("Nội dung không phải JSON hợp lệ (dòng %(line)s).") % {"line": error.lineno}
        ) from None
    if isinstance(data, dict):
        data = data.get("service_requests", data.get("requests"))
    if not isinstance(data, list):
        raise InvalidInput(_("Cần một danh sách yêu cầu Open311 (service_requests)."))
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            message = _("Mỗi yêu cầu phải là một đối tượng JSON.")
            raise InvalidInput(message, [ErrorDetail(f"[{i}]", message)])
        closed = str(item.get("status") or "").lower() == "closed"
        out.append(
            (
                f"[{i}]",
                {
                    "former_id": item.get("service_request_id"),
                    "service_code": item.get("service_code"),
                    "description": item.get("description"),
                    "commune": item.get("address_id"),
                    "lat": item.get("lat"),
                    "long": item.get("long"),
                    "address": item.get("address"),
                    "received_at": item.get("requested_datetime"),
                    "due_at": item.get("expected_datetime"),
                    # A closed Open311 request was answered at its last update.
                    "resolved_at": item.get("updated_datetime") if closed else None,
                    "public_answer": item.get("service_notice") or item.get("status_notes"),
                },
            )
        )
    return out


# --- checking ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return cell_text(value).strip() if value is not None else ""


def _moment(value: Any) -> datetime | None:
    """A datetime from an Excel cell, ISO 8601 text or dd/mm/yyyy [HH:MM[:SS]]."""
    if value is None or value == "":
        return None
    moment: datetime | None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        moment = parse_datetime(text.replace(" ", "T", 1)) if "-" in text[:5] else None
        if moment is None:
            for pattern in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
                try:
                    moment = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
        if moment is None:
            raise ValueError(text)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@dataclass
class _Checked:
    label: str
    former_id: str
    category: Category
    unit: Unit
    fields: dict[str, Any]
    times: dict[str, datetime | None]


def _check(
    label: str,
    raw: Mapping[str, Any],
    categories: Mapping[str, Category],
    communes: Mapping[str, Unit],
    errors: list[ErrorDetail],
) -> _Checked | None:
    bad = len(errors)

    def error(column: str, message: str) -> None:
        errors.append(ErrorDetail(f"{label}, {column}", message))

    former_id = _text(raw.get("former_id"))[:100]
    if not former_id:
        error("former_id", _("Thiếu mã phản ánh ở hệ thống cũ."))
    category = categories.get(_text(raw.get("service_code")))
    if category is None:
        error(
            "service_code",
            _("Không có lĩnh vực mã “%(c)s”.") % {"c": _text(raw.get("service_code"))},
        )
    description = _text(raw.get("description"))
    if not description:
        error("description", _("Thiếu nội dung."))
    times: dict[str, datetime | None] = {}
    for name in TIMES:
        try:
            times[name] = _moment(raw.get(name))
        except ValueError:
            error(
                name,
                _("Thời điểm “%(v)s” không đọc được (dd/mm/yyyy HH:MM hoặc ISO 8601).")
                % {"v": raw.get(name)},
            )
    if not times.get("received_at") and "received_at" in times:
        error("received_at", _("Thiếu thời điểm nhận phản ánh."))
    order = ("received_at", "accepted_at", "resolved_at", "closed_at")
    known = [(n, times[n]) for n in order if times.get(n)]
    for (earlier, a), (later, b) in itertools.pairwise(known):
        if b < a:  # type: ignore[operator]
            error(later, _("%(later)s trước %(earlier)s.") % {"later": later, "earlier": earlier})
    if times.get("rejected_at") and (times.get("accepted_at") or times.get("resolved_at")):
        error("rejected_at", _("Phản ánh bị từ chối không thể đã được tiếp nhận hay trả lời."))
    unit = communes.get(_text(raw.get("commune")))
    lat, long = _text(raw.get("lat")), _text(raw.get("long"))
    if unit is None and not _text(raw.get("commune")) and lat and long:
        try:
            unit = nearest_commune(Decimal(lat), Decimal(long))
        except InvalidOperation:
            error("lat", _("Vĩ độ, kinh độ phải là số."))
        else:
            if unit is None:
                error("lat", _("Vị trí nằm ngoài các xã, phường của tỉnh."))
    elif unit is None:
        error("commune", _("Không có xã, phường mã “%(c)s”.") % {"c": _text(raw.get("commune"))})
    if len(errors) > bad or category is None or unit is None:
        return None
    fields: dict[str, Any] = {
        "description": description[:4000],
        "address": _text(raw.get("address"))[:300],
        "public_answer": _text(raw.get("public_answer")),
        "reject_reason": _text(raw.get("reject_reason")),
    }
    try:
        fields["lat"] = Decimal(lat).quantize(Decimal("0.000001")) if lat else None
        fields["long"] = Decimal(long).quantize(Decimal("0.000001")) if long else None
    except InvalidOperation:
        fields["lat"] = fields["long"] = None
    return _Checked(label, former_id, category, unit, fields, times)


# --- writing ----------------------------------------------------------------------------------


def _status(times: Mapping[str, datetime | None]) -> str:
    if times.get("rejected_at"):
        return Status.REJECTED
    if times.get("closed_at"):
        return Status.CLOSED
    if times.get("resolved_at"):
        return Status.RESOLVED
    if times.get("accepted_at"):
        return Status.ACCEPTED
    return Status.RECEIVED


def import_former_reports(
    user, rows: Iterable[tuple[str, Mapping[str, Any]]], *, dry_run: bool = False
) -> ImportResult:
    """Check every row, then create the reports not imported before, with their history.

    `user` needs `feedback.import_former_reports` on each report's commune (None: the
    server's operator, from the command line). Raises InvalidInput naming row and column.
    """
    rows = list(rows)
    categories = {c.code: c for c in Category.objects.select_related("agency")}
    codes = {_text(raw.get("commune")) for _label, raw in rows}
    communes = {
        u.code: u for u in Unit.objects.in_force().filter(kind=UnitKind.COMMUNE, code__in=codes)
    }
    errors: list[ErrorDetail] = []
    checked = [c for label, raw in rows if (c := _check(label, raw, categories, communes, errors))]
    seen: dict[str, str] = {}
    for item in checked:
        if item.former_id in seen:
            errors.append(
                ErrorDetail(
                    f"{item.label}, former_id",
                    _("Trùng mã cũ với %(other)s.") % {"other": seen[item.former_id]},
                )
            )
        seen.setdefault(item.former_id, item.label)
    if errors:
        raise InvalidInput(
            _("Tệp có %(count)s lỗi; chưa nhập phản ánh nào.") % {"count": len(errors)}, errors
        )
    if not checked:
        raise InvalidInput(_("Tệp không có dòng dữ liệu nào."))
    if user is not None:
        for unit in {item.unit.pk: item.unit for item in checked}.values():
            permissions.require(user, "feedback.import_former_reports", unit)
    result = ImportResult()
    with transaction.atomic():
        existing = set(
            FieldReport.objects.filter(former_id__in=seen).values_list("former_id", flat=True)
        )
        fresh = [item for item in checked if item.former_id not in existing]
        result.skipped = len(checked) - len(fresh)
        result.created = len(fresh)
        if dry_run or not fresh:
            return result
        reports = _build(fresh)
        FieldReport.objects.bulk_create(reports)
        ReportEvent.objects.bulk_create(
            [
                event
                for report, item in zip(reports, fresh, strict=True)
                for event in _history(report, item)
            ]
        )
        result.public_ids = [r.public_id for r in reports]
    return result


def _build(items: list[_Checked]) -> list[FieldReport]:
    """Unsaved reports, numbered in their own year after the numbers already used."""
    years = {timezone.localtime(i.times["received_at"]).year for i in items}  # type: ignore[arg-type]
    last = {
        row["year"]: row["n"]
        for row in FieldReport.objects.filter(year__in=years)
        .values("year")
        .annotate(n=Max("number"))
    }
    reports = []
    for item in sorted(items, key=lambda i: i.times["received_at"]):  # type: ignore[arg-type,return-value]
        times, category = item.times, item.category
        received = times["received_at"]
        assert received is not None
        year = timezone.localtime(received).year
        last[year] = number = (last.get(year) or 0) + 1
        public_id = f"PA-{year}-{number:06d}"
        suffix = "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(6))
        due, accepted = times.get("due_at"), times.get("accepted_at")
        if due is None and accepted is not None:
            due = add_working_hours(accepted, category.hours_for(category.default_severity))
        resolved = times.get("resolved_at") or times.get("closed_at")
        agency = (
            category.agency
            if category.routing == Routing.AGENCY and category.agency is not None
            else item.unit
        )
        reports.append(
            FieldReport(
                year=year,
                number=number,
                public_id=public_id,
                tracking_code=f"{public_id}-{suffix}",
                former_id=item.former_id,
                category=category,
                unit=item.unit,
                agency=agency,
                severity=category.default_severity,
                status=_status(times),
                consent_at=received,
                created_at=received,
                accepted_at=times.get("accepted_at"),
                initial_due_at=due if times.get("accepted_at") else None,
                due_at=due if times.get("accepted_at") else None,
                resolved_at=resolved,
                closed_at=times.get("closed_at") or times.get("rejected_at"),
                source=FieldReport.Source.FORMER_SYSTEM,
                **item.fields,
            )
        )
    items.sort(key=lambda i: i.times["received_at"])  # type: ignore[arg-type,return-value]
    return reports


def _history(report: FieldReport, item: _Checked) -> list[ReportEvent]:
    """The status history at the original times, one event per step the times show."""
    times = item.times
    note = _("Nhập từ hệ thống cũ (mã %(id)s).") % {"id": item.former_id}
    events = [
        ReportEvent(
            report=report,
            at=times["received_at"],
            action=ReportEvent.Action.SUBMITTED,
            to_status=Status.RECEIVED,
            agency=report.agency,
            note=note,
        )
    ]
    steps = (
        ("rejected_at", ReportEvent.Action.REJECTED, Status.REJECTED, report.reject_reason),
        ("accepted_at", ReportEvent.Action.ACCEPTED, Status.ACCEPTED, ""),
        ("resolved_at", ReportEvent.Action.RESOLVED, Status.RESOLVED, report.public_answer),
        ("closed_at", ReportEvent.Action.CLOSED, Status.CLOSED, ""),
    )
    status = Status.RECEIVED
    for name, action, to_status, text in steps:
        at = times.get(name) or (times.get("closed_at") if name == "resolved_at" else None)
        if at is None:
            continue
        events.append(
            ReportEvent(
                report=report,
                at=at,
                action=action,
                from_status=status,
                to_status=to_status,
                note=text,
            )
        )
        status = to_status
    return events
