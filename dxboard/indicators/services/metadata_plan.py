"""Reading and checking a metadata document into a plan, before anything is written.

Each `read_*` method checks one list of the document against the database and the rest of
the document, and records every problem with its JSON path in the `Checker`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from dxboard.indicators.models import (
    DataElement,
    Direction,
    Indicator,
    IndicatorKind,
    Pillar,
    Programme,
    ProgrammeIndicator,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)
from dxboard.indicators.permissions import IMPORT_METADATA
from dxboard.indicators.services.checks import Checker
from dxboard.indicators.services.metadata_write import PlanWriter
from dxboard.units.models import Unit, UnitKind, older_paths
from dxboard.units.resolve import CodeResolver

if TYPE_CHECKING:
    from dxboard.accounts.models import User

MANAGER_ROLES = IMPORT_METADATA.roles
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
# DHIS2's numeric organisation unit levels (depth in the tree), for Vietnam's two-tier
# administration since 2025: 1 the nation, 2 a province, 3 a commune, 4 a hamlet.
NUMERIC_LEVELS = {1: UnitKind.NATION, 2: UnitKind.PROVINCE, 3: UnitKind.COMMUNE, 4: UnitKind.HAMLET}
UNIT_AGGREGATIONS = {v: v for v in UnitAggregation.values}
# DHIS2's aggregation types (upper case) as DXBoard's (over units, over time). DHIS2's
# LAST is the last period summed over units, unlike DXBoard's "last" (the unit's own).
DHIS2_AGGREGATIONS = {
    "SUM": (UnitAggregation.SUM, TimeAggregation.SUM),
    "AVERAGE": (UnitAggregation.AVERAGE, TimeAggregation.AVERAGE),
    "AVERAGE_SUM_ORG_UNIT": (UnitAggregation.SUM, TimeAggregation.AVERAGE),
    "LAST": (UnitAggregation.SUM, TimeAggregation.LAST),
    "LAST_AVERAGE_ORG_UNIT": (UnitAggregation.AVERAGE, TimeAggregation.LAST),
    "NONE": (UnitAggregation.NONE, TimeAggregation.LAST),
}
# DHIS2 types the evaluation engine does not compute, refused by name.
DHIS2_UNSUPPORTED_AGGREGATIONS = (
    "COUNT",
    "MIN",
    "MAX",
    "STDDEV",
    "VARIANCE",
    "FIRST",
    "FIRST_AVERAGE_ORG_UNIT",
    "LAST_IN_PERIOD",
    "LAST_IN_PERIOD_AVERAGE_ORG_UNIT",
    "MAX_SUM_ORG_UNIT",
    "MIN_SUM_ORG_UNIT",
    "CUSTOM",
    "DEFAULT",
)
TIME_AGGREGATIONS = {v: v for v in TimeAggregation.values}
DEFAULT_TIME = {"sum": "sum", "average": "average", "last": "last", "none": "last"}
LIST_KEYS = ("organisationUnits", "dataElements", "indicators", "programmes")


class MetadataPlan(PlanWriter):
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
        # Read DHIS2's shapes into copies: the caller's document stays as it was sent.
        entries = [(path, dict(obj)) for path, obj in entries]
        for path, obj in entries:
            self._normalise_unit(path, obj)
        parents = {
            obj.get("parent") for _p, obj in entries if isinstance(obj.get("parent"), str)
        } - codes
        self.unit_by_code.update(
            {u.code: u for u in Unit.objects.in_force().filter(code__in=parents)}
        )
        for path, obj in entries:
            code = check.code(obj, "code", path)
            name = check.text(obj, "name", path, max_length=200)
            kind = "" if obj.get("_level_refused") else check.choice(obj, "level", path, LEVELS)
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

    def _normalise_unit(self, path: str, obj: dict) -> None:
        """DHIS2's shapes in place: `parent: {"code"|"id": ...}` (DXBoard's ids are codes)
        and numeric `level`s."""
        parent = obj.get("parent")
        if isinstance(parent, dict):
            reference = parent.get("code", parent.get("id"))
            if isinstance(reference, str) and reference.strip():
                obj["parent"] = reference.strip()
            else:
                self.check.error(
                    f"{path}.parent",
                    _("Đơn vị cấp trên phải có “code” hoặc “id” (mã đơn vị)."),
                )
                obj["parent"] = None
        level = obj.get("level")
        if isinstance(level, int | str) and not isinstance(level, bool):
            text = str(level).strip()
            if text.isdigit():
                kind = NUMERIC_LEVELS.get(int(text))
                if kind is None:
                    self.check.error(
                        f"{path}.level",
                        _(
                            "Cấp %(level)s không có trong DXBoard: 1 toàn quốc, 2 tỉnh, 3 xã, "
                            "4 thôn/ấp; hoặc ghi tên loại (district, agency...)."
                        )
                        % {"level": text},
                    )
                    obj["level"] = None
                    obj["_level_refused"] = True
                else:
                    obj["level"] = kind.value

    def _check_unit_cycles(self) -> None:
        for item in self.units:
            code, seen = item["code"], set()
            while code in self.new_unit_parent:
                if code in seen:
                    self.check.error(f"{item['path']}.parent", _("Quan hệ cấp trên bị vòng lặp."))
                    break
                seen.add(code)
                code = self.new_unit_parent[code]

    def _aggregation(self, path: str, obj: dict) -> tuple[str, str]:
        """(over units, over time or "" for the `timeAggregationType` field).

        An upper-case DHIS2 type sets both, unless the document names the time rule too;
        DXBoard's lower-case names set the units' rule only, as before.
        """
        raw = obj.get("aggregationType")
        text = raw.strip() if isinstance(raw, str) else ""
        if text in DHIS2_AGGREGATIONS:
            units_rule, time_rule = DHIS2_AGGREGATIONS[text]
            return units_rule.value, "" if obj.get("timeAggregationType") else time_rule.value
        if text.upper() in DHIS2_UNSUPPORTED_AGGREGATIONS:
            self.check.error(
                f"{path}.aggregationType",
                _(
                    "Kiểu tổng hợp %(type)s của DHIS2 không tính được trong DXBoard; dùng SUM, "
                    "AVERAGE, AVERAGE_SUM_ORG_UNIT, LAST, LAST_AVERAGE_ORG_UNIT hoặc NONE."
                )
                % {"type": text},
            )
            return "sum", "sum"
        return (
            self.check.choice(obj, "aggregationType", path, UNIT_AGGREGATIONS, default="sum"),
            "",
        )

    def read_elements(self, entries: list[tuple[str, dict]]) -> None:
        check = self.check
        check.unique(entries)
        for path, obj in entries:
            units_rule, time_rule = self._aggregation(path, obj)
            item = {
                "path": path,
                "code": check.code(obj, "code", path),
                "name": check.text(obj, "name", path),
                "name_en": check.text(obj, "nameEn", path, required=False),
                "value_type": check.choice(obj, "valueType", path, VALUE_TYPES),
                "aggregation_units": units_rule,
                "aggregation_time": time_rule
                or check.choice(
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
                # The plausible range (issue 18); none given: counts are not negative.
                "min_value": check.number(obj, "minValue", path, required=False),
                "max_value": check.number(obj, "maxValue", path, required=False),
            }
            low, high = item["min_value"], item["max_value"]
            if low is not None and high is not None and low > high:
                check.error(
                    f"{path}.minValue",
                    _("minValue %(min)s lớn hơn maxValue %(max)s.") % {"min": low, "max": high},
                )
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
        # A target's unit code names the unit in force in the target's year (issue 17):
        # "80" for 2024 is former Long An, for 2026 today's Tây Ninh.
        self.units_by_date = CodeResolver(unit_codes)
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
            if isinstance(year, int) and unit_code not in self.new_unit_parent:
                at_year = self.units_by_date.at(unit_code, date(year, 12, 31))
                if isinstance(at_year, str) and self.units_by_date.known(unit_code):
                    check.error(f"{tpath}.orgUnit", at_year)
                    continue
                target_unit = at_year if isinstance(at_year, Unit) else target_unit
            if target_unit is None and unit_code not in self.new_unit_parent:
                check.error(
                    f"{tpath}.orgUnit", _("Không có đơn vị mã “%(code)s”.") % {"code": unit_code}
                )
            elif (
                unit is not None
                and target_unit is not None
                and not target_unit.path.startswith(unit.path)
                # a former unit that became (part of) the programme's unit counts as its own
                and not any(target_unit.path.startswith(p) for p in older_paths({unit.path}))
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
                    "unit_id": target_unit.pk if target_unit is not None else None,
                    "value": value,
                    "source_document": check.text(
                        target, "source", tpath, required=False, max_length=300
                    ),
                }
            )
        return result
