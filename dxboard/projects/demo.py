"""Demo plans and 18 DX tasks and projects for the demo province (≈ 56,8 tỷ đồng planned).

Idempotent: plans and items are found by code; existing ones are left as they are.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dxboard.units.models import Unit, UnitKind

from .models import BudgetSource, Item, ItemDocument, ItemKind, ItemStatus, ItemUpdate, Plan

M = 1_000_000
P, T = ItemKind.PROJECT, ItemKind.TASK
NS, IP, DONE, CX = (
    ItemStatus.NOT_STARTED,
    ItemStatus.IN_PROGRESS,
    ItemStatus.DONE,
    ItemStatus.CANCELLED,
)
# code, kind, name, agency keyword, start, deadline, status, progress, planned, disbursed, source
PLAN_2025 = [
    (
        "DA-01",
        P,
        "Nâng cấp Trung tâm giám sát, điều hành thông minh (IOC) tỉnh",
        "Khoa học",
        date(2025, 1, 15),
        date(2025, 12, 31),
        DONE,
        100,
        9_500 * M,
        9_120 * M,
        BudgetSource.PROVINCIAL,
    ),
    (
        "DA-02",
        P,
        "Xây dựng kho dữ liệu dùng chung của tỉnh",
        "Khoa học",
        date(2025, 2, 1),
        date(2025, 12, 31),
        IP,
        70,
        7_800 * M,
        4_300 * M,
        BudgetSource.PROVINCIAL,
    ),
    (
        "DA-03",
        P,
        "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính",
        "Văn phòng",
        date(2025, 1, 10),
        date(2025, 10, 31),
        DONE,
        100,
        5_200 * M,
        5_050 * M,
        BudgetSource.PROVINCIAL,
    ),
    (
        "DA-04",
        P,
        "Mạng truyền số liệu chuyên dùng đến 102 xã, phường, đặc khu",
        "Khoa học",
        date(2025, 3, 1),
        date(2025, 11, 30),
        DONE,
        100,
        4_600 * M,
        4_480 * M,
        BudgetSource.CENTRAL,
    ),
    (
        "DA-05",
        P,
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Văn phòng",
        date(2025, 1, 1),
        date(2025, 12, 31),
        IP,
        85,
        3_900 * M,
        2_900 * M,
        BudgetSource.PROVINCIAL,
    ),
    (
        "DA-06",
        P,
        "Hệ thống hội nghị truyền hình trực tuyến đến cấp xã",
        "Khoa học",
        date(2025, 4, 1),
        date(2025, 9, 30),
        DONE,
        100,
        3_500 * M,
        3_390 * M,
        BudgetSource.PROVINCIAL,
    ),
    (
        "DA-07",
        P,
        "Cơ sở dữ liệu đất đai tỉnh An Giang (giai đoạn 2)",
        "Nông nghiệp",
        date(2025, 3, 1),
        date(2025, 12, 31),
        DONE,
        100,
        2_800 * M,
        2_750 * M,
        BudgetSource.CENTRAL,
    ),
    (
        "DA-08",
        P,
        "Bệnh án điện tử tại các bệnh viện tuyến tỉnh",
        "Y tế",
        date(2025, 2, 15),
        date(2025, 12, 31),
        IP,
        60,
        2_600 * M,
        1_200 * M,
        BudgetSource.PROVINCIAL,
    ),
    (
        "NV-01",
        T,
        "Bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã sau sắp xếp",
        "Nội vụ",
        date(2025, 7, 1),
        date(2025, 12, 15),
        DONE,
        100,
        1_200 * M,
        1_150 * M,
        BudgetSource.LOCAL,
    ),
    (
        "NV-02",
        T,
        "Tuyên truyền về chuyển đổi số trên báo, đài và mạng xã hội",
        "Văn hóa",
        date(2025, 1, 1),
        date(2025, 12, 31),
        DONE,
        100,
        900 * M,
        880 * M,
        BudgetSource.PROVINCIAL,
    ),
    (
        "NV-03",
        T,
        "Hỗ trợ hoạt động của Tổ công nghệ số cộng đồng",
        "Khoa học",
        date(2025, 1, 1),
        date(2025, 12, 31),
        DONE,
        100,
        800 * M,
        760 * M,
        BudgetSource.LOCAL,
    ),
    (
        "NV-04",
        T,
        "Đánh giá, xếp hạng chuyển đổi số cấp sở và cấp xã năm 2025",
        "Khoa học",
        date(2025, 10, 1),
        date(2026, 3, 31),
        DONE,
        100,
        600 * M,
        590 * M,
        BudgetSource.PROVINCIAL,
    ),
]
PROGRAMME = [
    ("DA-11", P, "Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) phiên bản 3", "Khoa học", date(2025, 6, 1), date(2027, 6, 30), IP, 45, 3_200 * M, 900 * M, BudgetSource.PROVINCIAL),
    ("DA-12", P, "Trung tâm giám sát an toàn thông tin mạng (SOC) của tỉnh", "Công an", date(2025, 9, 1), date(2026, 9, 30), IP, 55, 3_000 * M, 1_400 * M, BudgetSource.PROVINCIAL),
    ("DA-13", P, "Học bạ số và sổ điểm điện tử cho trường phổ thông", "Giáo dục", date(2025, 8, 15), date(2027, 5, 31), IP, 40, 1_900 * M, 600 * M, BudgetSource.PROVINCIAL),
    ("DA-14", P, "Sàn thương mại điện tử nông sản, đặc sản An Giang", "Công Thương", date(2024, 5, 1), date(2026, 12, 31), IP, 75, 1_700 * M, 1_100 * M, BudgetSource.OTHER),
    ("DA-15", P, "Cổng dữ liệu mở của tỉnh", "Khoa học", date(2026, 1, 1), date(2027, 12, 31), NS, 0, 1_500 * M, 0, BudgetSource.PROVINCIAL),
    ("DA-16", P, "Ứng dụng Công dân số An Giang (tích hợp VNeID)", "Khoa học", date(2024, 3, 1), date(2026, 6, 30), IP, 80, 2_100 * M, 1_650 * M, BudgetSource.PROVINCIAL),
]  # fmt: skip
COORDINATING = {
    "DA-01": ["Công an", "Văn phòng"],
    "DA-02": ["Nông nghiệp", "Y tế"],
    "DA-16": ["Công an"],
}


def _agency_picker(province: Unit):
    agencies = list(
        Unit.objects.in_force()
        .filter(path__startswith=province.path, kind=UnitKind.DEPARTMENT)
        .order_by("sort_key")
    )

    def pick(keyword: str) -> Unit:
        for unit in agencies:
            if keyword.lower() in unit.name.lower():
                return unit
        return agencies[sum(map(ord, keyword)) % len(agencies)] if agencies else province

    return pick


@transaction.atomic
def load_demo(province: Unit, *, stdout=None) -> None:
    pick = _agency_picker(province)
    plans = [
        (
            Plan.objects.get_or_create(
                code=f"KH-CDS-2025-{province.code}",
                defaults={
                    "name": "Kế hoạch chuyển đổi số năm 2025",
                    "year_from": 2025,
                    "year_to": 2025,
                    "legal_reference": "Kế hoạch số 125/KH-UBND ngày 20/01/2025",
                    "owner_unit": province,
                },
            )[0],
            PLAN_2025,
        ),
        (
            Plan.objects.get_or_create(
                code=f"CTR-CDS-2030-{province.code}",
                defaults={
                    "name": "Chương trình chuyển đổi số giai đoạn 2021–2025, định hướng đến năm 2030",
                    "year_from": 2021,
                    "year_to": 2030,
                    "legal_reference": "Chương trình số 553/CTr-UBND",
                    "owner_unit": province,
                },
            )[0],
            PROGRAMME,
        ),
    ]
    created = 0
    for plan, rows in plans:
        existing = set(plan.items.values_list("code", flat=True))
        for (
            code,
            kind,
            name,
            keyword,
            start,
            deadline,
            status,
            progress,
            planned,
            disbursed,
            source,
        ) in rows:
            if code in existing:
                continue
            item = Item.objects.create(
                plan=plan, code=code, kind=kind, name=name, lead_agency=pick(keyword),
                start_date=start, deadline=deadline, status=status, progress=progress,
                planned_budget=planned, disbursed_budget=disbursed, budget_source=source,
            )  # fmt: skip
            coordinating = [pick(k) for k in COORDINATING.get(code, [])]
            item.coordinating_agencies.set([u for u in coordinating if u.pk != item.lead_agency_id])
            ItemDocument.objects.create(
                item=item,
                number=f"{300 + created}/QĐ-UBND",
                date=start,
                title=f"Quyết định phê duyệt {name[0].lower()}{name[1:]}",
            )
            updates = [
                ItemUpdate(
                    item=item,
                    new_status=NS,
                    new_progress=0,
                    new_disbursed=0,
                    note="Tạo mới",
                    at=_at(start),
                )
            ]
            if status != NS:
                updates.append(
                    ItemUpdate(
                        item=item,
                        old_status=NS,
                        new_status=status,
                        old_progress=0,
                        new_progress=progress,
                        old_disbursed=0,
                        new_disbursed=disbursed,
                        note="Báo cáo định kỳ",
                        at=_at(min(deadline, date(2026, 10, 15))),
                    )
                )
            ItemUpdate.objects.bulk_create(updates)  # fmt: skip
            created += 1
    if stdout is not None:
        stdout.write(f"      {created} nhiệm vụ, dự án mới trong {len(plans)} kế hoạch.")


def _at(day: date):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(9, 0)))
