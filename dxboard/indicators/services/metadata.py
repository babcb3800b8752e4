"""Import of one metadata document (DHIS2-like JSON): units, data elements, indicators,
programmes and their targets.

    {"organisationUnits": [{"code", "name", "level", "parent"}],
     "dataElements": [{"code", "name", "valueType", "aggregationType"}],
     "indicators": [{"code", "name", "numerator", "denominator", "factor", "unit",
                     "direction", "pillar"}],
     "programmes": [{"code", "name", "startYear", "endYear", "thresholds", "orgUnit",
                     "indicators": [codes], "targets": [{"indicator", "year", "orgUnit",
                     "value"}]}]}

Everything is upserted by code, all or nothing. Every problem is reported with its JSON
path ("programmes[0].targets[3].value") before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from dxboard.accounts.models import Role
from dxboard.errors import ErrorDetail, Forbidden, InvalidInput, ServiceError
from dxboard.indicators.models import (
    DataElement,
    Direction,
    Indicator,
    IndicatorKind,
    Pillar,
    Programme,
    ProgrammeIndicator,
    Target,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)
from dxboard.indicators.services.checks import Checker
from dxboard.units.models import Unit, UnitKind

if TYPE_CHECKING:
    from dxboard.accounts.models import User

MANAGER_ROLES = (Role.PROVINCE_OFFICER, Role.ADMIN)
# Kinds a non-superuser may create (as in dxboard.units.services).
LOCAL_KINDS = (UnitKind.HAMLET, UnitKind.DEPARTMENT, UnitKind.COMMITTEE, UnitKind.OTHER)
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,50}$")
LEVELS = {
    "nation": UnitKind.NATION,
    "province": UnitKind.PROVINCE,
    "district": UnitKind.DISTRICT,
    "commune": UnitKind.COMMUNE,
    "hamlet": UnitKind.HAMLET,
    "agency": UnitKind.DEPARTMENT,
    "department": UnitKind.DEPARTMENT,
    "committee": UnitKind.COMMITTEE,
    "other": UnitKind.OTHER,
}
# DHIS2 value types map onto ours; lower-case names of ours are accepted as they are.
VALUE_TYPES = {
    "integer": ValueType.INTEGER,
    "integer_positive": ValueType.INTEGER,
    "integer_zero_or_positive": ValueType.INTEGER,
    "number": ValueType.NUMBER,
    "percentage": ValueType.PERCENTAGE,
    "boolean": ValueType.BOOLEAN,
    "true_only": ValueType.BOOLEAN,
    "text": ValueType.TEXT,
    "long_text": ValueType.TEXT,
}
UNIT_AGGREGATIONS = {v: v for v in UnitAggregation.values}
TIME_AGGREGATIONS = {v: v for v in TimeAggregation.values}
DEFAULT_TIME = {"sum": "sum", "average": "average", "last": "last", "none": "last"}
LIST_KEYS = ("organisationUnits", "dataElements", "indicators", "programmes")


@dataclass
class TypeReport:
    created: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


@dataclass
class MetadataSummary:
    dry_run: bool = False
    reports: dict[str, TypeReport] = field(
        default_factory=lambda: {key: TypeReport() for key in (*LIST_KEYS, "targets")}
    )

    def as_dict(self) -> dict[str, Any]:
        created = sum(r.created for r in self.reports.values())
        updated = sum(r.updated for r in self.reports.values())
        return {
            "status": "OK",
            "dryRun": self.dry_run,
            "stats": {"created": created, "updated": updated, "total": created + updated},
            "typeReports": {key: report.as_dict() for key, report in self.reports.items()},
        }


def import_metadata(user: User | None, document: Any, *, dry_run: bool = False) -> MetadataSummary:
    """Check then upsert a metadata document; raise InvalidInput listing every error.

    Units and programmes need the province officer or unit administrator role on the
    (parent) unit; data elements and indicators need that role somewhere. Superusers may
    do everything, and so may the system itself (`user=None`: console commands, demo).
    Nothing is written when there is an error or with `dry_run`.
    """
    if user is not None and not (
        user.is_superuser or Unit.objects.visible_to(user, roles=MANAGER_ROLES).exists()
    ):
        raise Forbidden(_("Chỉ chuyên viên Sở hoặc quản trị mới được nhập danh mục."))
    if not isinstance(document, dict):
        raise InvalidInput(
            _("Tài liệu danh mục phải là một đối tượng JSON."),
            [ErrorDetail(".", _("Phải là một đối tượng JSON."))],
        )
    check = Checker()
    unknown = sorted(set(document) - set(LIST_KEYS))
    for key in unknown:
        check.error(key, _("Không hỗ trợ mục “%(key)s”.") % {"key": key})
    plan = _Plan(user, check)
    plan.read_units(check.items(document, "organisationUnits"))
    plan.read_elements(check.items(document, "dataElements"))
    plan.read_indicators(check.items(document, "indicators"))
    plan.read_programmes(check.items(document, "programmes"))
    if check.errors:
        raise InvalidInput(
            _("Tài liệu danh mục có %(count)s lỗi; chưa nhập gì.") % {"count": len(check.errors)},
            check.errors,
        )
    summary = MetadataSummary(dry_run=dry_run)
    plan.count(summary)
    if not dry_run:
        with transaction.atomic():
            plan.write()
    return summary


class _Plan:
    """What the document asks for, checked against the database; then written in order."""

    def __init__(self, user: User | None, check: Checker) -> None:
        self.user = user
        self.superuser = user is None or user.is_superuser
        self.check = check
        self.units: list[dict] = []
        self.elements: list[dict] = []
        self.indicators: list[dict] = []
        self.programmes: list[dict] = []
        self.element_codes: set[str] = set()
        self.indicator_codes: set[str] = set()
        self.unit_by_code: dict[str, Unit] = {}
        self.new_unit_parent: dict[str, str] = {}
        self.managed_ids: set[int] | None = None

    # --- permission helpers ---------------------------------------------------------------

    def _may_manage(self, unit: Unit) -> bool:
        if self.superuser:
            return True
        if self.managed_ids is None:
            self.managed_ids = set(
                Unit.objects.visible_to(self.user, roles=MANAGER_ROLES).values_list("pk", flat=True)
            )
        return unit.pk in self.managed_ids

    def _unit(self, code: str) -> Unit | None:
        if code not in self.unit_by_code:
            unit = Unit.objects.in_force().filter(code=code).first()
            if unit is not None:
                self.unit_by_code[code] = unit
        return self.unit_by_code.get(code)

    def _root_of_new(self, code: str) -> Unit | None:
        """The existing unit a unit defined in this document will hang under."""
        seen = set()
        while code in self.new_unit_parent and code not in seen:
            seen.add(code)
            code = self.new_unit_parent[code]
        return self._unit(code) if code else None

    # --- reading --------------------------------------------------------------------------

    def read_units(self, entries: list[tuple[str, dict]]) -> None:
        check = self.check
        check.unique(entries)
        codes = {obj.get("code") for _p, obj in entries if isinstance(obj.get("code"), str)}
        existing = {u.code: u for u in Unit.objects.in_force().filter(code__in=codes)}
        self.unit_by_code.update(existing)
        parents = {
            obj.get("parent") for _p, obj in entries if isinstance(obj.get("parent"), str)
        } - codes
        self.unit_by_code.update(
            {u.code: u for u in Unit.objects.in_force().filter(code__in=parents)}
        )
        for path, obj in entries:
            code = check.code(obj, "code", path)
            name = check.text(obj, "name", path, max_length=200)
            kind = check.choice(obj, "level", path, LEVELS)
            parent = check.code(obj, "parent", path, required=False)
            if parent and parent not in codes and parent not in self.unit_by_code:
                check.error(
                    f"{path}.parent",
                    _("Không có đơn vị cấp trên mã “%(code)s”.") % {"code": parent},
                )
            if parent and parent == code:
                check.error(f"{path}.parent", _("Đơn vị không thể là cấp trên của chính nó."))
            if code and code not in existing:
                self.new_unit_parent[code] = parent
            self.units.append(
                {"path": path, "code": code, "name": name, "kind": kind, "parent": parent}
            )
        for item in self.units:
            code, path = item["code"], item["path"]
            if not code:
                continue
            target = existing.get(code)
            anchor = target or self._root_of_new(item["parent"])
            allowed = self.superuser if anchor is None else self._may_manage(anchor)
            if target is None and not self.superuser and item["kind"] not in LOCAL_KINDS:
                check.error(
                    f"{path}.level",
                    _(
                        "Chỉ quản trị hệ thống được tạo đơn vị hành chính; hãy dùng hamlet hoặc agency."
                    ),
                )
            if not allowed:
                check.error(
                    path,
                    _("Bạn không có quyền tạo hoặc sửa đơn vị “%(code)s”.") % {"code": code},
                )
        self._check_unit_cycles()

    def _check_unit_cycles(self) -> None:
        for item in self.units:
            code, seen = item["code"], set()
            while code in self.new_unit_parent:
                if code in seen:
                    self.check.error(f"{item['path']}.parent", _("Quan hệ cấp trên bị vòng lặp."))
                    break
                seen.add(code)
                code = self.new_unit_parent[code]

    def read_elements(self, entries: list[tuple[str, dict]]) -> None:
        check = self.check
        check.unique(entries)
        for path, obj in entries:
            units_rule = check.choice(
                obj, "aggregationType", path, UNIT_AGGREGATIONS, default="sum"
            )
            item = {
                "path": path,
                "code": check.code(obj, "code", path),
                "name": check.text(obj, "name", path),
                "name_en": check.text(obj, "nameEn", path, required=False),
                "value_type": check.choice(obj, "valueType", path, VALUE_TYPES),
                "aggregation_units": units_rule,
                "aggregation_time": check.choice(
                    obj,
                    "timeAggregationType",
                    path,
                    TIME_AGGREGATIONS,
                    default=DEFAULT_TIME.get(units_rule, "sum"),
                ),
                "unit_of_measure": check.text(obj, "unit", path, required=False, max_length=50),
                "description": check.text(
                    obj, "description", path, required=False, max_length=5000
                ),
            }
            self.elements.append(item)
            self.element_codes.add(item["code"])

    def read_indicators(self, entries: list[tuple[str, dict]]) -> None:
        check = self.check
        check.unique(entries)
        referenced = set()
        for _path, obj in entries:
            for key in ("numerator", "denominator"):
                if isinstance(obj.get(key), str):
                    referenced.add(obj[key])
        known = self.element_codes | set(
            DataElement.objects.filter(code__in=referenced).values_list("code", flat=True)
        )
        pillars = {v: v for v in Pillar.values}
        directions = {v: v for v in Direction.values}
        for path, obj in entries:
            numerator = check.code(obj, "numerator", path)
            denominator = check.code(obj, "denominator", path, required=False)
            for key, code in (("numerator", numerator), ("denominator", denominator)):
                if code and code not in known:
                    check.error(
                        f"{path}.{key}",
                        _("Không có phần tử số liệu mã “%(code)s”.") % {"code": code},
                    )
            factor = check.number(obj, "factor", path, required=False, default=None)
            if factor is None:
                factor = Decimal(100) if denominator else Decimal(1)
            elif factor <= 0:
                check.error(f"{path}.factor", _("Hệ số phải lớn hơn 0."))
            decimals = check.integer(obj, "decimals", path, required=False, default=1)
            if decimals is not None and not 0 <= decimals <= 6:
                check.error(f"{path}.decimals", _("Số chữ số thập phân phải từ 0 đến 6."))
            item = {
                "path": path,
                "code": check.code(obj, "code", path),
                "name": check.text(obj, "name", path),
                "name_en": check.text(obj, "nameEn", path, required=False),
                "pillar": check.choice(obj, "pillar", path, pillars),
                "unit_of_measure": check.text(obj, "unit", path, required=False, max_length=50),
                "kind": IndicatorKind.RATIO if denominator else IndicatorKind.SINGLE,
                "numerator": numerator,
                "denominator": denominator or None,
                "factor": factor,
                "direction": check.choice(obj, "direction", path, directions, default="up"),
                "decimals": decimals if decimals is not None else 1,
                "description": check.text(
                    obj, "description", path, required=False, max_length=5000
                ),
                "source": check.text(obj, "source", path, required=False, max_length=500),
            }
            self.indicators.append(item)
            self.indicator_codes.add(item["code"])

    def read_programmes(self, entries: list[tuple[str, dict]]) -> None:
        check = self.check
        check.unique(entries)
        referenced: set[str] = set()
        for _path, obj in entries:
            for code in obj.get("indicators") or []:
                if isinstance(code, str):
                    referenced.add(code)
            for target in obj.get("targets") or []:
                if isinstance(target, dict) and isinstance(target.get("indicator"), str):
                    referenced.add(target["indicator"])
        known = self.indicator_codes | set(
            Indicator.objects.filter(code__in=referenced).values_list("code", flat=True)
        )
        codes = [obj.get("code") for _p, obj in entries if isinstance(obj.get("code"), str)]
        existing = {p.code: p for p in Programme.objects.filter(code__in=codes)}
        linked: dict[str, set[str]] = {}
        for code, indicator in ProgrammeIndicator.objects.filter(
            programme__code__in=codes
        ).values_list("programme__code", "indicator__code"):
            linked.setdefault(code, set()).add(indicator)
        unit_codes = set()
        for _path, obj in entries:
            if isinstance(obj.get("orgUnit"), str):
                unit_codes.add(obj["orgUnit"])
            for target in obj.get("targets") or []:
                if isinstance(target, dict) and isinstance(target.get("orgUnit"), str):
                    unit_codes.add(target["orgUnit"])
        self.unit_by_code.update(
            {u.code: u for u in Unit.objects.in_force().filter(code__in=unit_codes)}
        )
        for path, obj in entries:
            self._read_programme(path, obj, known, existing, linked)

    def _programme_unit(self, code: str, path: str) -> tuple[Unit | None, str | None]:
        """(existing unit, or None with the code of a unit created by this document)."""
        unit = self._unit(code)
        if unit is not None:
            return unit, None
        if code in self.new_unit_parent:
            return None, code
        self.check.error(path, _("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return None, None

    def _read_programme(self, path, obj, known, existing, linked) -> None:
        check = self.check
        code = check.code(obj, "code", path)
        start = check.integer(obj, "startYear", path)
        end = check.integer(obj, "endYear", path)
        for key, year in (("startYear", start), ("endYear", end)):
            if year is not None and not 1990 <= year <= 2100:
                check.error(f"{path}.{key}", _("Năm phải từ 1990 đến 2100."))
        if start is not None and end is not None and end < start:
            check.error(f"{path}.endYear", _("Năm kết thúc không được trước năm bắt đầu."))
        thresholds = self._thresholds(obj, path)
        unit_code = check.code(obj, "orgUnit", path)
        unit, new_unit = (None, None)
        if unit_code:
            unit, new_unit = self._programme_unit(unit_code, f"{path}.orgUnit")
            anchor = unit or (self._root_of_new(new_unit) if new_unit else None)
            if (
                (unit or new_unit)
                and not (anchor and self._may_manage(anchor))
                and not self.superuser
            ):
                check.error(
                    f"{path}.orgUnit",
                    _("Bạn không có quyền quản lý chương trình của đơn vị “%(code)s”.")
                    % {"code": unit_code},
                )
        current = existing.get(code)
        if current is not None and not self._may_manage(current.owner_unit):
            check.error(path, _("Bạn không có quyền sửa chương trình “%(code)s”.") % {"code": code})
        legal_date = None
        raw_date = obj.get("legalDate")
        if raw_date:
            try:
                legal_date = date.fromisoformat(str(raw_date))
            except ValueError:
                check.error(f"{path}.legalDate", _("Ngày phải viết dạng YYYY-MM-DD."))
        indicator_codes = []
        raw_indicators = obj.get("indicators") or []
        if not isinstance(raw_indicators, list):
            check.error(f"{path}.indicators", _("Phải là một danh sách mã chỉ tiêu."))
            raw_indicators = []
        for i, ind in enumerate(raw_indicators):
            if not isinstance(ind, str) or ind not in known:
                check.error(
                    f"{path}.indicators[{i}]",
                    _("Không có chỉ tiêu mã “%(code)s”.") % {"code": ind},
                )
            elif ind in indicator_codes:
                check.error(f"{path}.indicators[{i}]", _("Chỉ tiêu bị lặp."))
            else:
                indicator_codes.append(ind)
        allowed = set(indicator_codes) | linked.get(code, set())
        targets = self._targets(obj, path, known, allowed, unit, new_unit, start, end)
        self.programmes.append(
            {
                "path": path,
                "code": code,
                "name": check.text(obj, "name", path, max_length=400),
                "legal_number": check.text(
                    obj, "legalNumber", path, required=False, max_length=100
                ),
                "legal_date": legal_date,
                "legal_issuer": check.text(
                    obj, "legalIssuer", path, required=False, max_length=200
                ),
                "start_year": start,
                "end_year": end,
                "thresholds": thresholds,
                "unit": unit_code,
                "is_public": bool(obj.get("isPublic", current.is_public if current else False)),
                "description": check.text(
                    obj, "description", path, required=False, max_length=5000
                ),
                "indicators": indicator_codes,
                "targets": targets,
            }
        )

    def _thresholds(self, obj: dict, path: str) -> tuple[Decimal, Decimal, Decimal]:
        default = (Decimal(100), Decimal(70), Decimal(50))
        raw = obj.get("thresholds")
        if raw is None:
            return default
        if not isinstance(raw, list) or len(raw) != 3:
            self.check.error(f"{path}.thresholds", _("Cần đúng 3 ngưỡng, ví dụ [100, 70, 50]."))
            return default
        values = []
        for i in range(3):
            value = self.check.number({"v": raw[i]}, "v", f"{path}.thresholds[{i}]")
            values.append(value)
        if any(v is None for v in values):
            return default
        if not values[0] > values[1] > values[2] > 0:
            self.check.error(f"{path}.thresholds", _("Các ngưỡng phải giảm dần và lớn hơn 0."))
        return tuple(values)  # type: ignore[return-value]

    def _targets(self, obj, path, known, allowed, unit, new_unit, start, end) -> list[dict]:
        check = self.check
        raw = obj.get("targets") or []
        if not isinstance(raw, list):
            check.error(f"{path}.targets", _("Phải là một danh sách."))
            return []
        result = []
        seen: dict[tuple, str] = {}
        for i, target in enumerate(raw):
            tpath = f"{path}.targets[{i}]"
            if not isinstance(target, dict):
                check.error(tpath, _("Phải là một đối tượng JSON."))
                continue
            indicator = check.code(target, "indicator", tpath)
            if indicator and indicator not in known:
                check.error(
                    f"{tpath}.indicator",
                    _("Không có chỉ tiêu mã “%(code)s”.") % {"code": indicator},
                )
            elif indicator and indicator not in allowed:
                check.error(
                    f"{tpath}.indicator",
                    _("Chỉ tiêu “%(code)s” không thuộc chương trình.") % {"code": indicator},
                )
            year = check.integer(target, "year", tpath)
            if None not in (year, start, end) and not start <= year <= end:
                check.error(
                    f"{tpath}.year",
                    _("Năm %(year)s nằm ngoài giai đoạn %(start)s–%(end)s của chương trình.")
                    % {"year": year, "start": start, "end": end},
                )
            value = check.number(target, "value", tpath)
            unit_code = target.get("orgUnit") or (unit.code if unit else new_unit)
            if not isinstance(unit_code, str):
                check.error(f"{tpath}.orgUnit", _("Mã đơn vị phải là chuỗi ký tự."))
                continue
            target_unit = self._unit(unit_code)
            if target_unit is None and unit_code not in self.new_unit_parent:
                check.error(
                    f"{tpath}.orgUnit", _("Không có đơn vị mã “%(code)s”.") % {"code": unit_code}
                )
            elif (
                unit is not None
                and target_unit is not None
                and not target_unit.path.startswith(unit.path)
            ):
                check.error(
                    f"{tpath}.orgUnit",
                    _("Đơn vị “%(code)s” không thuộc đơn vị chủ trì chương trình.")
                    % {"code": unit_code},
                )
            key = (indicator, year, unit_code)
            if key in seen:
                check.error(tpath, _("Trùng chỉ tiêu với %(other)s.") % {"other": seen[key]})
            seen[key] = tpath
            result.append(
                {
                    "indicator": indicator,
                    "year": year,
                    "unit": unit_code,
                    "value": value,
                    "source_document": check.text(
                        target, "source", tpath, required=False, max_length=300
                    ),
                }
            )
        return result

    # --- counting and writing ---------------------------------------------------------------

    def count(self, summary: MetadataSummary) -> None:
        reports = summary.reports
        existing_units = set(
            Unit.objects.in_force()
            .filter(code__in=[u["code"] for u in self.units])
            .values_list("code", flat=True)
        )
        for model, items, key in (
            (DataElement, self.elements, "dataElements"),
            (Indicator, self.indicators, "indicators"),
            (Programme, self.programmes, "programmes"),
        ):
            have = set(
                model.objects.filter(code__in=[i["code"] for i in items]).values_list(
                    "code", flat=True
                )
            )
            reports[key].updated = sum(1 for i in items if i["code"] in have)
            reports[key].created = len(items) - reports[key].updated
        reports["organisationUnits"].updated = sum(
            1 for u in self.units if u["code"] in existing_units
        )
        reports["organisationUnits"].created = (
            len(self.units) - reports["organisationUnits"].updated
        )
        targets = [(p["code"], t) for p in self.programmes for t in p["targets"]]
        have_targets = set(
            Target.objects.filter(programme__code__in={p["code"] for p in self.programmes})
            .values_list("programme__code", "indicator__code", "year", "unit__code")
            .distinct()
        )
        reports["targets"].updated = sum(
            1 for code, t in targets if (code, t["indicator"], t["year"], t["unit"]) in have_targets
        )
        reports["targets"].created = len(targets) - reports["targets"].updated

    def write(self) -> None:
        self._write_units()
        self._write_elements()
        self._write_indicators()
        self._write_programmes()

    def _write_units(self) -> None:
        pending = list(self.units)
        while pending:
            progressed = False
            for item in list(pending):
                parent = None
                if item["parent"]:
                    parent = self._unit(item["parent"])
                    if parent is None:
                        continue
                self.unit_by_code[item["code"]] = self._save_unit(item, parent)
                pending.remove(item)
                progressed = True
            if not progressed:  # cycles were reported while reading; this cannot happen
                raise InvalidInput(_("Quan hệ cấp trên bị vòng lặp."))

    def _save_unit(self, item: dict, parent: Unit | None) -> Unit:
        """Through the units services for a person; directly for the system."""
        unit = self._unit(item["code"])
        if self.user is None:
            unit = unit or Unit(code=item["code"])
            unit.name, unit.kind, unit.parent = item["name"], item["kind"], parent
            unit.save()
            return unit
        from dxboard.units import services as unit_services

        try:
            if unit is None:
                return unit_services.create_unit(
                    self.user,
                    code=item["code"],
                    name=item["name"],
                    kind=item["kind"],
                    parent=parent,
                )
            wanted = {"name": item["name"], "kind": item["kind"], "parent": parent}
            changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
            return unit_services.update_unit(self.user, unit, **changes) if changes else unit
        except ServiceError as error:
            details = [
                ErrorDetail(f"{item['path']}.{d.path}" if d.path else item["path"], d.message)
                for d in error.details
            ] or [ErrorDetail(item["path"], error.message)]
            raise InvalidInput(error.message, details) from error

    def _upsert(self, model, items: list[dict], fields: list[str]) -> dict[str, Any]:
        existing = {o.code: o for o in model.objects.filter(code__in=[i["code"] for i in items])}
        creates, updates = [], []
        for item in items:
            obj = existing.get(item["code"])
            values = {f: item[f] for f in fields}
            if obj is None:
                creates.append(model(code=item["code"], **values))
            else:
                for name, value in values.items():
                    setattr(obj, name, value)
                updates.append(obj)
        if updates:
            model.objects.bulk_update(updates, fields, batch_size=500)
        if creates:
            model.objects.bulk_create(creates, batch_size=500)
        return {o.code: o for o in model.objects.filter(code__in=[i["code"] for i in items])}

    def _write_elements(self) -> None:
        if self.elements:
            self._upsert(
                DataElement,
                self.elements,
                [
                    "name",
                    "name_en",
                    "value_type",
                    "aggregation_units",
                    "aggregation_time",
                    "unit_of_measure",
                    "description",
                ],
            )

    def _write_indicators(self) -> None:
        if not self.indicators:
            return
        codes = {i["numerator"] for i in self.indicators} | {
            i["denominator"] for i in self.indicators if i["denominator"]
        }
        elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
        for item in self.indicators:
            item["numerator_obj"] = elements[item["numerator"]]
            item["denominator_obj"] = elements.get(item["denominator"] or "")
        rows = [
            {
                **item,
                "numerator": item["numerator_obj"],
                "denominator": item["denominator_obj"],
            }
            for item in self.indicators
        ]
        self._upsert(
            Indicator,
            rows,
            [
                "name",
                "name_en",
                "pillar",
                "unit_of_measure",
                "kind",
                "numerator",
                "denominator",
                "factor",
                "direction",
                "decimals",
                "description",
                "source",
            ],
        )

    def _write_programmes(self) -> None:
        if not self.programmes:
            return
        rows = []
        for item in self.programmes:
            t1, t2, t3 = item["thresholds"]
            rows.append(
                {
                    **item,
                    "owner_unit": self._unit(item["unit"]),
                    "threshold_1": t1,
                    "threshold_2": t2,
                    "threshold_3": t3,
                }
            )
        programmes = self._upsert(
            Programme,
            rows,
            [
                "name",
                "legal_number",
                "legal_date",
                "legal_issuer",
                "start_year",
                "end_year",
                "threshold_1",
                "threshold_2",
                "threshold_3",
                "owner_unit",
                "is_public",
                "description",
            ],
        )
        indicator_codes = {c for p in self.programmes for c in p["indicators"]} | {
            t["indicator"] for p in self.programmes for t in p["targets"]
        }
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=indicator_codes)}
        links = {
            (link.programme_id, link.indicator_id): link
            for link in ProgrammeIndicator.objects.filter(programme__in=programmes.values())
        }
        new_links, changed_links = [], []
        for item in self.programmes:
            programme = programmes[item["code"]]
            for order, code in enumerate(item["indicators"], start=1):
                key = (programme.pk, indicators[code].pk)
                if key in links:
                    if links[key].order != order:
                        links[key].order = order
                        changed_links.append(links[key])
                else:
                    new_links.append(
                        ProgrammeIndicator(
                            programme=programme, indicator=indicators[code], order=order
                        )
                    )
        ProgrammeIndicator.objects.bulk_create(new_links)
        ProgrammeIndicator.objects.bulk_update(changed_links, ["order"])
        existing_targets = {
            (t.programme_id, t.indicator_id, t.year, t.unit_id): t
            for t in Target.objects.filter(programme__in=programmes.values())
        }
        new_targets, changed_targets = [], []
        for item in self.programmes:
            programme = programmes[item["code"]]
            for target in item["targets"]:
                indicator, unit = indicators[target["indicator"]], self._unit(target["unit"])
                key = (programme.pk, indicator.pk, target["year"], unit.pk)
                if key in existing_targets:
                    obj = existing_targets[key]
                    obj.value = target["value"]
                    if target["source_document"]:
                        obj.source_document = target["source_document"]
                    changed_targets.append(obj)
                else:
                    new_targets.append(
                        Target(
                            programme=programme,
                            indicator=indicator,
                            year=target["year"],
                            unit=unit,
                            value=target["value"],
                            source_document=target["source_document"],
                        )
                    )
        Target.objects.bulk_create(new_targets, batch_size=500)
        Target.objects.bulk_update(changed_targets, ["value", "source_document"], batch_size=500)
