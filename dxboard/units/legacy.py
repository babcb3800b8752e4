"""Load the structure in force until 30 June 2025 and its successions (issue 17, point 1).

63 provinces, their districts and communes come from the data bundled with the
`vietnamadminunits` package: its SQLite file `data/dataset.db` (table
`admin_units_legacy`) and its old → new table `data/converter_2025.json`. Only those two
files are read, never the package's address converter, which calls an online geocoder.

The units in force from 1 July 2025 must be loaded first (`dxboard load-units`, package
`vietnam-provinces`); a former commune becomes (part of) the new commune with the same
code as the package's new ward. A former commune split between several new communes
gets a share per new commune, proportional to the new communes' areas (the only size the
package gives); the share is stored on `UnitSuccession` and can be edited later, e.g. to
a population share, and a re-run keeps the edited value.

Loading is idempotent and set-based like `official.py`. Names or codes that cannot be
matched are listed in the result, never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import vietnamadminunits
from django.db import transaction

from dxboard.errors import InvalidInput

from .models import SuccessionKind, Unit, UnitKind, UnitSuccession
from .official import NATION_CODE, REFORM_DATE, load_official_units
from .services import fix_missing_paths, prepare_for_bulk

LEGACY_END = REFORM_DATE - dt.timedelta(days=1)  # 30/06/2025
LEGAL_REFERENCE = "Nghị quyết 202/2025/QH15; Nghị quyết 1654–1687/NQ-UBTVQH15"
SHARE_PLACES = Decimal("0.000001")  # UnitSuccession.share has 6 decimal places
_DATA = Path(vietnamadminunits.__file__).parent / "data"


@dataclass(frozen=True)
class FormerUnit:
    code: str
    name: str
    kind: str
    division_type: str
    parent_code: str  # the former province or district; NATION_CODE for a province


@dataclass(frozen=True)
class Link:
    """A former unit (kind, code) that became, whole or in part, a unit in force.

    The unit in force is named by its province and name as well as its code: for 114
    communes the two packages give different codes (`vietnamadminunits` has 00331 for
    Phường Hoàng Mai, `vietnam-provinces` for Phường Yên Sở), so a commune is matched by
    its exact name in its province, and by code only when the names agree."""

    kind: str
    former_code: str
    new_code: str
    share: Decimal
    split: bool
    new_province: str = ""
    new_name: str = ""


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def name_key(name: str) -> str:
    """A name compared letter by letter, whatever the tone-mark placement ("Thuỷ" =
    "Thủy"), the spacing or the dash; other diacritics still count ("Hòa" ≠ "Hóa")."""
    for variant, plain in (("–", "-"), ("—", "-"), ("’", "'"), ("‘", "'"), ("ʼ", "'")):
        name = name.replace(variant, plain)
    text = unicodedata.normalize("NFD", name.lower())
    words = []
    for word in text.replace("-", " - ").split():
        tones = "".join(ch for ch in word if ch in _TONES)
        words.append("".join(ch for ch in word if ch not in _TONES) + tones)
    return " ".join(words)


@dataclass
class LegacyData:
    units: list[FormerUnit]
    links: list[Link]
    unmatched: list[str]


@dataclass
class LegacyResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_kept: int = 0
    unmatched: list[str] = field(default_factory=list)


def _rows(sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    # read-only: the package's file is never written
    with sqlite3.connect(f"file:{_DATA / 'dataset.db'}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def _lower_type(value: str | None) -> str:
    return (value or "").strip().lower()


def new_province_codes(code: str | None) -> set[str]:
    """The provinces in force (2-digit codes) whose former units are loaded.

    `code` may name a province in force (91: former An Giang and Kiên Giang) or a
    closed former one (89: former An Giang, so province 91 as a whole)."""
    provinces = {r["provinceKey"]: r["provinceCode"] for r in _rows(_NEW_PROVINCES)}
    if code is None:
        return set(provinces.values())
    wanted = f"{int(code):02d}"
    if wanted in provinces.values():
        return {wanted}
    former = {r["provinceCode"]: r["provinceKey"] for r in _rows(_FORMER_PROVINCES)}
    mapping = json.loads((_DATA / "converter_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    for new_key, former_keys in mapping.items():
        if former.get(wanted) in former_keys:
            return {provinces[new_key]}
    raise InvalidInput(f"Không có tỉnh, thành phố mã “{code}” trong danh mục cũ hay mới.")


_NEW_PROVINCES = "SELECT DISTINCT provinceKey, provinceCode FROM admin_units"
_FORMER_PROVINCES = "SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy"


def legacy_data(province_code: str | None = None) -> LegacyData:
    """The former units and their links to the units in force, read from the package.

    With `province_code`, only the former units of that province in force (see
    `new_province_codes`)."""
    wanted = new_province_codes(province_code)
    mapping = json.loads((_DATA / "converter_2025.json").read_text("utf-8"))
    new_provinces = {r["provinceKey"]: r["provinceCode"] for r in _rows(_NEW_PROVINCES)}
    new_wards = {
        (r["provinceKey"], r["wardKey"]): (r["wardCode"], r["provinceCode"], r["ward"])
        for r in _rows("SELECT provinceKey, wardKey, wardCode, provinceCode, ward FROM admin_units")
    }
    former_to_new: dict[str, str] = {}  # former province key -> new province code
    for new_key, former_keys in mapping["DICT_PROVINCE"].items():
        for former_key in former_keys:
            former_to_new[former_key] = new_provinces[new_key]
    units: dict[tuple[str, str], FormerUnit] = {}
    ward_codes: dict[str, tuple[str, str]] = {}  # "prov_dist_ward" key -> (kind, code)
    unmatched: list[str] = []
    for r in _rows("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode"):
        if former_to_new.get(r["provinceKey"]) not in wanted:
            if r["provinceKey"] not in former_to_new:
                unmatched.append(f"Tỉnh cũ “{r['province']}”: không có tỉnh mới kế thừa.")
            continue
        province_type = "thành phố" if r["province"].startswith("Thành phố") else "tỉnh"
        units.setdefault(
            (UnitKind.PROVINCE, r["provinceCode"]),
            FormerUnit(
                r["provinceCode"], r["province"], UnitKind.PROVINCE, province_type, NATION_CODE
            ),
        )
        units.setdefault(
            (UnitKind.DISTRICT, r["districtCode"]),
            FormerUnit(
                r["districtCode"],
                r["district"],
                UnitKind.DISTRICT,
                _lower_type(r["districtType"]),
                r["provinceCode"],
            ),
        )
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if r["wardCode"]:
            units[(UnitKind.COMMUNE, r["wardCode"])] = FormerUnit(
                r["wardCode"],
                r["ward"],
                UnitKind.COMMUNE,
                _lower_type(r["wardType"]),
                r["districtCode"],
            )
            ward_codes[key] = (UnitKind.COMMUNE, r["wardCode"])
        else:
            # Five island districts had no commune (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn,
            # Côn Đảo); the package maps the district itself to its đặc khu.
            ward_codes[key] = (UnitKind.DISTRICT, r["districtCode"])

    links: list[Link] = []
    former_provinces_of: dict[str, list[str]] = defaultdict(list)
    for new_key, former_keys in mapping["DICT_PROVINCE"].items():
        new_code = new_provinces[new_key]
        if new_code not in wanted:
            continue
        for former_key in former_keys:
            former_provinces_of[new_code].append(former_key)
    former_province_codes = {r["provinceKey"]: r["provinceCode"] for r in _rows(_FORMER_PROVINCES)}
    for new_code, former_keys in former_provinces_of.items():
        for former_key in former_keys:
            links.append(
                Link(
                    UnitKind.PROVINCE,
                    former_province_codes[former_key],
                    new_code,
                    Decimal(1),
                    False,
                )
            )

    def new_ward(province_key: str, ward_key: str, label: str) -> tuple[str, str, str] | None:
        ward = new_wards.get((province_key, ward_key))
        if ward is None:
            unmatched.append(f"{label}: không tìm thấy xã mới “{ward_key}”.")
        return ward

    for province_key, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        if new_provinces[province_key] not in wanted:
            continue
        for ward_key, former_keys in wards.items():
            ward = new_ward(province_key, ward_key, province_key)
            for former_key in former_keys:
                former = ward_codes.get(former_key)
                if former is None:
                    unmatched.append(f"Xã cũ “{former_key}”: không có trong danh mục cũ.")
                elif ward is not None:
                    links.append(
                        Link(former[0], former[1], ward[0], Decimal(1), False, ward[1], ward[2])
                    )
    for province_key, splits in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        if new_provinces[province_key] not in wanted:
            continue
        for former_key, parts in splits.items():
            former = ward_codes.get(former_key)
            if former is None:
                unmatched.append(f"Xã cũ “{former_key}”: không có trong danh mục cũ.")
                continue
            wards = [new_ward(province_key, p["newWardKey"], former_key) for p in parts]
            shares = split_shares([p["newWardAreaKm2"] for p in parts])
            for ward, share in zip(wards, shares, strict=True):
                if ward is not None:  # a split with a missing part is refused in _link
                    code, province, name = ward
                    links.append(Link(former[0], former[1], code, share, True, province, name))
    return LegacyData(list(units.values()), links, unmatched)


def split_shares(areas: list[float | None]) -> list[Decimal]:
    """Shares proportional to `areas`, 6 decimal places, adding up to exactly 1.

    Equal shares when an area is missing; the largest part takes the rounding rest."""
    if not areas:
        return []
    sizes = [Decimal(str(a)) for a in areas] if all(a for a in areas) else [Decimal(1)] * len(areas)
    total = sum(sizes)
    shares = [(size / total).quantize(SHARE_PLACES, ROUND_HALF_EVEN) for size in sizes]
    largest = max(range(len(shares)), key=lambda i: shares[i])
    shares[largest] += Decimal(1) - sum(shares)
    return shares


@transaction.atomic
def load_legacy_units(province_code: str | None = None) -> LegacyResult:
    """Create or update the former units and their successions to the units in force."""
    data = legacy_data(province_code)
    result = LegacyResult(unmatched=list(data.unmatched))
    for code in sorted(new_province_codes(province_code)):
        load_official_units(code)  # the successors must exist; idempotent
    nation = Unit.objects.in_force().get(code=NATION_CODE)
    former_kinds = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE)
    existing = {
        (u.kind, u.code): u
        for u in Unit.objects.filter(valid_to=LEGACY_END, kind__in=former_kinds, official=True)
    }
    parents: dict[tuple[str, str], Unit] = {(UnitKind.NATION, NATION_CODE): nation}
    parents.update(existing)
    parent_kind = {
        UnitKind.PROVINCE: UnitKind.NATION,
        UnitKind.DISTRICT: UnitKind.PROVINCE,
        UnitKind.COMMUNE: UnitKind.DISTRICT,
    }
    for kind in former_kinds:  # one level at a time, parents first
        new_rows, changed = [], []
        for item in (u for u in data.units if u.kind == kind):
            parent = parents[(parent_kind[kind], item.parent_code)]
            unit = existing.get((kind, item.code))
            if unit is None:
                new_rows.append(
                    prepare_for_bulk(
                        Unit(
                            code=item.code,
                            name=item.name,
                            kind=kind,
                            division_type=item.division_type,
                            official=True,
                            parent=parent,
                            valid_to=LEGACY_END,
                        )
                    )
                )
                result.created[kind] = result.created.get(kind, 0) + 1
            elif (unit.name, unit.division_type, unit.parent_id) != (
                item.name,
                item.division_type,
                parent.pk,
            ):
                unit.name, unit.division_type, unit.parent = item.name, item.division_type, parent
                unit.save()  # rare; save() also moves the unit's subtree
                result.updated += 1
                changed.append(unit)
            else:
                result.unchanged += 1
        Unit.objects.bulk_create(new_rows, batch_size=500)
        fix_missing_paths()
        if new_rows:
            fresh = Unit.objects.filter(
                valid_to=LEGACY_END, kind=kind, code__in=[u.code for u in new_rows]
            )
            parents.update({(kind, u.code): u for u in fresh.only("pk", "code", "kind", "path")})
    _link(data.links, parents, result)
    return result


def _link(links: list[Link], former: dict[tuple[str, str], Unit], result: LegacyResult) -> None:
    """Create the missing successions; existing ones (and their edited shares) stay.

    A split is written whole or not at all: if one part cannot be matched, the former
    unit is listed and none of its parts is recorded (its shares would not add up to 1).
    """
    provinces = {
        u.code: u
        for u in Unit.objects.in_force().filter(
            kind=UnitKind.PROVINCE, code__in={link.new_code for link in links}
        )
    }
    communes = list(
        Unit.objects.in_force()
        .filter(kind=UnitKind.COMMUNE, parent__code__in={link.new_province for link in links})
        .select_related("parent")
    )
    by_name: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    by_code = {}
    for unit in communes:
        by_name[(unit.parent.code, name_key(unit.name))].append(unit)
        by_code[unit.code] = unit

    def successor_of(link: Link) -> Unit | None:
        if link.kind == UnitKind.PROVINCE:
            return provinces.get(link.new_code)
        named = by_name.get((link.new_province, name_key(link.new_name)), [])
        if len(named) == 1:
            return named[0]
        same_code = by_code.get(link.new_code)
        if same_code is not None and name_key(same_code.name) == name_key(link.new_name):
            return same_code
        return None

    known = set(
        UnitSuccession.objects.filter(
            predecessor__valid_to=LEGACY_END, successor__valid_to__isnull=True
        ).values_list("predecessor_id", "successor_id")
    )
    resolved: list[tuple[Link, Unit, Unit]] = []
    refused: set[tuple[str, str]] = set()
    for link in links:
        successor = successor_of(link)
        predecessor = former.get((link.kind, link.former_code))
        if successor is None or predecessor is None:
            result.unmatched.append(
                f"Không nối được đơn vị cũ mã “{link.former_code}” với “{link.new_name or link.new_code}” "
                f"(mã {link.new_code}): không có đơn vị đang hiệu lực trùng tên và mã."
            )
            if link.split:
                refused.add((link.kind, link.former_code))
            continue
        resolved.append((link, predecessor, successor))
    # How many former units each new unit takes, to tell a rename (1 → 1) from a merge.
    fan_in: dict[int, int] = defaultdict(int)
    for *_pair, successor in resolved:
        fan_in[successor.pk] += 1
    new_rows = []
    for link, predecessor, successor in resolved:
        if (link.kind, link.former_code) in refused:
            continue
        if (predecessor.pk, successor.pk) in known:
            result.successions_kept += 1
            continue
        if link.split:
            kind = SuccessionKind.SPLIT
        elif fan_in[successor.pk] == 1:
            kind = SuccessionKind.RENAME
        else:
            kind = SuccessionKind.MERGE
        new_rows.append(
            UnitSuccession(
                predecessor=predecessor,
                successor=successor,
                kind=kind,
                effective_on=REFORM_DATE,
                legal_reference=LEGAL_REFERENCE,
                share=link.share,
            )
        )
        known.add((predecessor.pk, successor.pk))
    UnitSuccession.objects.bulk_create(new_rows, batch_size=1000)
    result.successions_created = len(new_rows)
