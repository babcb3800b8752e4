"""Demo units for An Giang (91): agencies, hamlets, contacts, a pilot group and a merger.

Everything is deterministic (seeded random) and idempotent: a second run adds nothing
and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from .models import SuccessionKind, Unit, UnitGroup, UnitKind
from .official import REFORM_DATE
from .services import fix_missing_paths, prepare_for_bulk, record_succession

AGENCIES = [
    ("AG-VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", "văn phòng"),
    ("AG-SKHCN", "Sở Khoa học và Công nghệ", "sở"),
    ("AG-SNV", "Sở Nội vụ", "sở"),
    ("AG-STC", "Sở Tài chính", "sở"),
    ("AG-SYT", "Sở Y tế", "sở"),
    ("AG-SGDDT", "Sở Giáo dục và Đào tạo", "sở"),
    ("AG-SNNMT", "Sở Nông nghiệp và Môi trường", "sở"),
    ("AG-SXD", "Sở Xây dựng", "sở"),
    ("AG-SCT", "Sở Công Thương", "sở"),
    ("AG-SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "sở"),
    ("AG-STP", "Sở Tư pháp", "sở"),
    ("AG-SDTTG", "Sở Dân tộc và Tôn giáo", "sở"),
    ("AG-TTR", "Thanh tra tỉnh", "ngành"),
    ("AG-CAT", "Công an tỉnh", "ngành"),
    ("AG-TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", "trung tâm"),
    ("AG-IOC", "Trung tâm Giám sát, điều hành thông minh (IOC)", "trung tâm"),
]
# Communes that get hamlets (ấp for xã, khóm for phường and đặc khu).
HAMLET_COMMUNES = ["30313", "30307", "30316", "30337", "30628", "30682", "30742", "31078"]
HAMLET_NAMES = [
    "Mỹ Thạnh", "Mỹ Phú", "Mỹ Hòa", "Bình Thạnh", "Bình Phú", "Tân Lợi", "Tân Hòa",
    "Long Hưng", "Long Thạnh", "Phú Hiệp", "Phú Thượng", "Hòa Long", "An Thạnh",
    "Vĩnh Lợi", "Thới Hòa", "Đông Bình", "Trung Phú", "Hưng Thạnh", "Bình Đông",
    "Tây Khánh", "Đông Thịnh", "Châu Long", "Vĩnh Phước", "Khánh An",
]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc"]
PILOT_GROUP = ("XA-THI-DIEM-2021", "15 xã thí điểm chuyển đổi số năm 2021")
MERGER_SUCCESSOR = "30307"  # Phường Long Xuyên
MERGER_PREDECESSORS = [
    ("30280-cu", "Phường Mỹ Bình (trước 01/7/2025)", 26_480),
    ("30283-cu", "Phường Mỹ Long (trước 01/7/2025)", 19_730),
]
MERGER_REFERENCE = (
    "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã tỉnh An Giang năm 2025"
)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _phone(rng: random.Random) -> str:
    return f"0296 {rng.randint(3500, 3999)} {rng.randint(100, 999)}"


def _agencies(province: Unit) -> int:
    existing = set(
        Unit.objects.in_force()
        .filter(code__in=[c for c, _n, _d in AGENCIES])
        .values_list("code", flat=True)
    )
    rng = random.Random(9101)
    new = []
    for code, name, division_type in AGENCIES:
        contact, phone = _person(rng), _phone(rng)
        if code in existing:
            continue
        slug = code.removeprefix("AG-").lower()
        new.append(
            prepare_for_bulk(
                Unit(
                    code=code,
                    name=name,
                    kind=UnitKind.DEPARTMENT,
                    division_type=division_type,
                    parent=province,
                    valid_from=REFORM_DATE,
                    contact_name=contact,
                    contact_phone=phone,
                    contact_email=f"{slug}@angiang.gov.vn",
                    address="Số 1 Lê Lợi, Phường Rạch Giá, tỉnh An Giang",
                )
            )
        )
    Unit.objects.bulk_create(new)
    return len(new)


def _commune_contacts(province: Unit) -> int:
    communes = list(
        Unit.objects.in_force().filter(parent=province, kind=UnitKind.COMMUNE).order_by("code")
    )
    rng = random.Random(9102)
    changed = []
    for commune in communes:
        population = rng.randint(9_000, 68_000)
        if commune.division_type == "đặc khu":
            population = rng.randint(3_000, 160_000)
        contact, phone = _person(rng), _phone(rng)
        if commune.population is not None:
            continue
        commune.population = population
        commune.contact_name = contact
        commune.contact_phone = phone
        commune.contact_email = f"ubnd.{commune.code}@angiang.gov.vn"
        changed.append(commune)
    Unit.objects.bulk_update(
        changed, ["population", "contact_name", "contact_phone", "contact_email"]
    )
    return len(changed)


def _hamlets(province: Unit) -> int:
    communes = Unit.objects.in_force().filter(parent=province, code__in=HAMLET_COMMUNES)
    existing = set(
        Unit.objects.filter(parent__in=communes, kind=UnitKind.HAMLET).values_list(
            "code", flat=True
        )
    )
    new = []
    for commune in communes.order_by("code"):
        rng = random.Random(int(commune.code))
        word, prefix = ("ấp", "AP") if commune.division_type == "xã" else ("khóm", "KH")
        names = rng.sample(HAMLET_NAMES, rng.randint(5, 12))
        share = (commune.population or 20_000) // len(names)
        for number, base in enumerate(names, start=1):
            code = f"{commune.code}-{prefix}{number:02d}"
            population = int(share * rng.uniform(0.7, 1.3))
            if code in existing:
                continue
            new.append(
                prepare_for_bulk(
                    Unit(
                        code=code,
                        name=f"{word.capitalize()} {base}",
                        kind=UnitKind.HAMLET,
                        division_type=word,
                        parent=commune,
                        valid_from=REFORM_DATE,
                        population=population,
                    )
                )
            )
    Unit.objects.bulk_create(new)
    return len(new)


def _pilot_group(province: Unit) -> None:
    code, name = PILOT_GROUP
    group, _created = UnitGroup.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "owner_unit": province,
            "description": (
                "Các xã được chọn thí điểm chuyển đổi số theo kế hoạch năm 2021 của tỉnh; "
                "sau sắp xếp năm 2025 gắn với xã mới kế thừa."
            ),
        },
    )
    if group.units.exists():
        return
    communes = list(
        Unit.objects.in_force()
        .filter(parent=province, kind=UnitKind.COMMUNE, division_type="xã")
        .order_by("code")
    )
    group.units.add(*random.Random(2021).sample(communes, min(15, len(communes))))


def _merger(province: Unit) -> None:
    successor = Unit.objects.in_force().filter(code=MERGER_SUCCESSOR).first()
    if successor is None:
        return
    old_units = []
    for code, name, population in MERGER_PREDECESSORS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit.objects.create(
                code=code,
                name=name,
                kind=UnitKind.COMMUNE,
                division_type="phường",
                parent=province,
                valid_from=dt.date(2004, 1, 1),
                population=population,
            )
        old_units.append(unit)
    record_succession(
        old_units, successor, SuccessionKind.MERGE, REFORM_DATE, legal_reference=MERGER_REFERENCE
    )


@transaction.atomic
def load_demo(province: Unit, *, stdout=None) -> None:
    agencies = _agencies(province)
    contacts = _commune_contacts(province)
    hamlets = _hamlets(province)
    fix_missing_paths()
    _pilot_group(province)
    _merger(province)
    if stdout is not None:
        stdout.write(
            f"      {agencies} cơ quan, {hamlets} ấp/khóm, dân số và liên hệ cho {contacts} xã; "
            f"nhóm {PILOT_GROUP[0]}; một ví dụ sáp nhập."
        )
