"""Load the official structure in force since 1 July 2025 (34 provinces, 3,321 communes).

The list comes from the `vietnam-provinces` package (Quyết định 19/2025/QĐ-TTg codes).
Loading is idempotent and set-based: new rows go in with bulk_create, their paths are
then computed in SQL, and changed names are written with bulk_update.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from dxboard.errors import InvalidInput
from dxboard.text import fold, sort_key

from .models import Unit, UnitKind
from .services import fix_missing_paths, prepare_for_bulk

REFORM_DATE = dt.date(2025, 7, 1)
NATION_CODE = "VN"
NATION_NAME = "Việt Nam"
_PROVINCE_PREFIX = {
    VietNamDivisionType.TINH: "Tỉnh",
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: "Thành phố",
}
_DIVISION_LABEL = {
    VietNamDivisionType.TINH: "tỉnh",
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: "thành phố",
}


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    kind: str
    division_type: str
    parent_code: str


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    unchanged: int = 0

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def province_name(province: Province) -> str:
    """ "An Giang" -> "Tỉnh An Giang"; "Thành phố Hà Nội" stays as it is."""
    name = " ".join(province.name.split())
    prefix = _PROVINCE_PREFIX.get(province.division_type, "")
    if not prefix or name.startswith(prefix):
        return name
    return f"{prefix} {name}"


def official_units(province_code: str | None = None) -> list[OfficialUnit]:
    """Provinces then communes from the package, parents before children."""
    wanted = int(province_code) if province_code else None
    provinces = [p for p in Province.iter_all() if wanted is None or int(p.code) == wanted]
    if not provinces:
        raise InvalidInput(f"Không có tỉnh, thành phố mã “{province_code}” trong danh mục.")
    units = [
        OfficialUnit(
            code=f"{int(p.code):02d}",
            name=province_name(p),
            kind=UnitKind.PROVINCE,
            division_type=_DIVISION_LABEL.get(p.division_type, str(p.division_type.value)),
            parent_code=NATION_CODE,
        )
        for p in provinces
    ]
    codes = {int(p.code) for p in provinces}
    units += [
        OfficialUnit(
            code=f"{int(w.code):05d}",
            name=" ".join(w.name.split()),
            kind=UnitKind.COMMUNE,
            division_type=str(w.division_type.value),
            parent_code=f"{int(w.province_code):02d}",
        )
        for w in Ward.iter_all()
        if int(w.province_code) in codes
    ]
    return units


@transaction.atomic
def load_official_units(province_code: str | None = None) -> LoadResult:
    """Create or update the nation root, the provinces and their communes."""
    result = LoadResult()
    wanted = official_units(province_code)
    nation = Unit.objects.in_force().filter(code=NATION_CODE).first()
    if nation is None:
        nation = Unit.objects.create(
            code=NATION_CODE,
            name=NATION_NAME,
            kind=UnitKind.NATION,
            division_type="quốc gia",
            official=True,
        )
        result.add(UnitKind.NATION)
    by_code = {u.code: u for u in Unit.objects.in_force().filter(code__in=[w.code for w in wanted])}
    by_code[NATION_CODE] = nation
    for kind in (UnitKind.PROVINCE, UnitKind.COMMUNE):  # one level at a time
        level = [w for w in wanted if w.kind == kind]
        new_rows, changed, moved = [], [], []
        for item in level:
            unit = by_code.get(item.code)
            parent = by_code[item.parent_code]
            if unit is None:
                unit = prepare_for_bulk(
                    Unit(
                        code=item.code,
                        name=item.name,
                        kind=item.kind,
                        division_type=item.division_type,
                        official=True,
                        parent=parent,
                        valid_from=REFORM_DATE,
                    )
                )
                new_rows.append(unit)
                result.add(kind)
                continue
            if unit.parent_id != parent.pk:
                unit.parent = parent
                moved.append(unit)
            if (unit.name, unit.division_type, unit.kind, unit.official) != (
                item.name,
                item.division_type,
                item.kind,
                True,
            ):
                unit.name, unit.division_type, unit.kind = item.name, item.division_type, kind
                unit.official = True
                prepare_names(unit)
                changed.append(unit)
            elif unit not in moved:
                result.unchanged += 1
        Unit.objects.bulk_create(new_rows, batch_size=500)
        Unit.objects.bulk_update(
            changed,
            ["name", "division_type", "kind", "official", "search_name", "sort_key"],
            batch_size=500,
        )
        for unit in moved:  # rare: save() also moves the unit's subtree
            unit.save()
        result.updated += len({u.pk for u in changed + moved})
        fix_missing_paths()
        if new_rows:
            fresh = Unit.objects.in_force().filter(code__in=[u.code for u in new_rows])
            by_code.update({u.code: u for u in fresh.only("pk", "code", "path", "depth")})
    return result


def prepare_names(unit: Unit) -> None:
    unit.search_name = fold(f"{unit.name} {unit.code}")
    unit.sort_key = sort_key(unit.name)
