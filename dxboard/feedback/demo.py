"""Demo field reports for the demo province: categories, 250 reports of 2025, this week's.

The reports of January–August 2025 reproduce seed 000: the province received 204
reports and resolved 199 of them (97.5 %). Everything is built through the services,
with past timestamps, from a fixed random seed; a second run changes nothing.

Every report reaches a person who can log in (issue 20): each agency a category is
routed to has a handler account (`xuly.<agency>`, the demo password), the province's
IOC handles and supervises them all, and a commune's own officers handle what is
routed to their commune. So that each of those inboxes has work in it, the demo adds,
for each, reports of this week: one waiting to be accepted, one near its deadline and
one overdue.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from dxboard.accounts.demo import DEMO_PASSWORD
from dxboard.accounts.models import Membership, Role, User
from dxboard.indicators.models import DataElement
from dxboard.units.models import Unit, UnitKind

from . import services
from .deadlines import HolidayCalendar, add_working_hours
from .holidays import load_default_holidays
from .indicators import DATA_ELEMENTS, publish_indicator_values
from .models import COMMUNE_OFFICER_ROLES, Category, FieldReport, Routing, Severity

# code, name, parent code, agency code, agency name hint, severity, urgent/normal/complex hours
CATEGORIES = [
    ("HT", "Hạ tầng, đô thị", None, None, None, Severity.NORMAL),
    ("HT-GT", "Giao thông, đường sá", "HT", "AG-SXD", "Xây dựng", Severity.NORMAL),
    ("HT-TTDT", "Trật tự đô thị, lấn chiếm vỉa hè", "HT", None, None, Severity.NORMAL),
    ("HT-DCS", "Điện chiếu sáng công cộng", "HT", None, None, Severity.NORMAL),
    ("HT-CTN", "Cấp, thoát nước, ngập úng", "HT", "AG-SXD", "Xây dựng", Severity.URGENT),
    ("MT", "Môi trường", None, None, None, Severity.NORMAL),
    ("MT-RAC", "Rác thải, vệ sinh môi trường", "MT", None, None, Severity.NORMAL),
    (
        "MT-ON",
        "Ô nhiễm không khí, nước, tiếng ồn",
        "MT",
        "AG-SNNMT",
        "Nông nghiệp",
        Severity.COMPLEX,
    ),
    ("XH", "Xã hội", None, None, None, Severity.NORMAL),
    ("XH-ANTT", "An ninh, trật tự", "XH", "AG-CAT", "Công an", Severity.URGENT),
    ("XH-YT", "Y tế, an toàn thực phẩm", "XH", "AG-SYT", "Y tế", Severity.NORMAL),
    ("XH-GD", "Giáo dục", "XH", "AG-SGDDT", "Giáo dục", Severity.NORMAL),
    ("HC", "Hành chính công", None, None, None, Severity.NORMAL),
    (
        "HC-DVC",
        "Dịch vụ công, thủ tục hành chính",
        "HC",
        "AG-TTPVHCC",
        "hành chính công",
        Severity.NORMAL,
    ),
]
WEIGHTS = {
    "HT-GT": 24,
    "HT-TTDT": 20,
    "HT-DCS": 14,
    "HT-CTN": 8,
    "MT-RAC": 22,
    "MT-ON": 8,
    "XH-ANTT": 10,
    "XH-YT": 6,
    "XH-GD": 4,
    "HC-DVC": 10,
}
DESCRIPTIONS = {
    "HT-GT": ["Mặt đường có ổ gà lớn, xe máy dễ té ngã.", "Biển báo giao thông bị gãy đổ."],
    "HT-TTDT": [
        "Quán ăn lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường.",
        "Xây dựng không phép trên hành lang kênh.",
    ],
    "HT-DCS": [
        "Đèn đường tắt cả tuần, buổi tối rất tối.",
        "Cột đèn chiếu sáng bị nghiêng, nguy cơ đổ.",
    ],
    "HT-CTN": [
        "Cống thoát nước bị nghẹt, mưa xuống ngập sâu.",
        "Ống nước bị vỡ, nước chảy tràn ra đường.",
    ],
    "MT-RAC": [
        "Rác thải tập kết bừa bãi, bốc mùi hôi.",
        "Bãi rác tự phát ven kênh chưa được thu gom.",
    ],
    "MT-ON": [
        "Cơ sở sản xuất xả khói đen gây ô nhiễm.",
        "Nước thải chảy ra kênh có màu đen, mùi hôi.",
    ],
    "XH-ANTT": [
        "Nhóm thanh niên tụ tập gây ồn ào lúc khuya.",
        "Có dấu hiệu tổ chức cờ bạc tại quán cà phê.",
    ],
    "XH-YT": [
        "Cơ sở bán thức ăn đường phố không bảo đảm vệ sinh.",
        "Trạm y tế đóng cửa trong giờ làm việc.",
    ],
    "XH-GD": [
        "Cổng trường học xuống cấp, nguy hiểm cho học sinh.",
        "Phụ huynh phản ánh thu tiền ngoài quy định.",
    ],
    "HC-DVC": [
        "Hồ sơ trực tuyến quá hạn chưa được trả kết quả.",
        "Không gọi được đường dây nóng của bộ phận một cửa.",
    ],
}
ANSWERS = [
    "Đơn vị đã kiểm tra hiện trường và khắc phục xong. Cảm ơn người dân đã phản ánh.",
    "Đã phối hợp với đơn vị liên quan xử lý dứt điểm; sẽ tiếp tục kiểm tra định kỳ.",
    "Đã lập biên bản, yêu cầu chấm dứt vi phạm và khôi phục hiện trạng.",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Bích", "Minh Châu", "Quốc Dũng", "Thị Hạnh", "Hoàng Long", "Thanh Tâm"]
# An Giang (with the former Kiên Giang) spans about this box.
LAT_BOX, LONG_BOX = (9.75, 10.95), (104.45, 105.55)
SEED = 2025
DEMO_YEAR = 2025
# January–August 2025: 204 received, all accepted, 199 resolved (seed 000).
SEED_RECEIVED, SEED_RESOLVED = 204, 199
LATER_RECEIVED = 46  # September–November 2025


def _agency(province: Unit, code: str | None, hint: str | None) -> Unit | None:
    if not code:
        return None
    agencies = (
        Unit.objects.in_force()
        .filter(path__startswith=province.path)
        .exclude(kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.HAMLET, UnitKind.DISTRICT])
    )
    return agencies.filter(code=code).first() or agencies.filter(name__icontains=hint).first()


def _categories(province: Unit) -> dict[str, Category]:
    result: dict[str, Category] = {}
    for order, (code, name, parent, agency_code, hint, severity) in enumerate(CATEGORIES):
        agency = _agency(province, agency_code, hint)
        category, _created = Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": result.get(parent) if parent else None,
                "routing": Routing.AGENCY if agency else Routing.COMMUNE,
                "agency": agency,
                "default_severity": severity,
                "urgent_hours": 4,
                "normal_hours": 40 if code != "XH-ANTT" else 16,
                "complex_hours": 80,
                "requires_name": True,
                "requires_phone": True,
                "requires_email": False,
                "sort_order": order,
                "description": name,
            },
        )
        result[code] = category
    return result


def _handler(province: Unit) -> User:
    """The province's IOC, who received and forwarded the demo's past reports."""
    user, created = User.objects.get_or_create(
        username="ioc.phananh", defaults={"full_name": "Trung tâm IOC tỉnh (xử lý phản ánh)"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, unit=province, role=Role.FEEDBACK_HANDLER)
    return user


def _moment(rng: random.Random, year: int, month: int, zone) -> datetime:
    day = rng.randint(1, 28)
    return datetime(year, month, day, rng.randint(6, 20), rng.randint(0, 59), tzinfo=zone)


@transaction.atomic
def load_demo(province: Unit, *, stdout=None, now: datetime | None = None) -> None:
    load_default_holidays()
    categories = _categories(province)
    handler = _handler(province)
    if not FieldReport.objects.filter(unit__path__startswith=province.path).exists():
        _load_reports(province, categories, handler, stdout=stdout)
    accounts = _agency_handlers(categories)
    _load_current(province, categories, handler, now=now, stdout=stdout)
    _publish_indicators(province, stdout=stdout)
    if stdout is not None and accounts:
        names = ", ".join(f"{user.username} ({unit.name})" for user, unit in accounts)
        stdout.write(f"      tài khoản xử lý phản ánh (mật khẩu {DEMO_PASSWORD}): {names}")


def _agency_handlers(categories: dict[str, Category]) -> list[tuple[User, Unit]]:
    """A handler login for each agency a category is routed to that has none yet."""
    agencies = {c.agency_id: c.agency for c in categories.values() if c.agency_id}
    staffed = set(
        Membership.objects.filter(
            unit_id__in=agencies, role=Role.FEEDBACK_HANDLER, user__is_active=True
        ).values_list("unit_id", flat=True)
    )
    created = []
    for agency in sorted(agencies.values(), key=lambda unit: unit.code):
        if agency.pk in staffed:
            continue
        username = "xuly." + agency.code.lower().removeprefix("ag-").replace("-", "")
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": f"Cán bộ xử lý phản ánh – {agency.name}",
                "email": f"{username}@demo.dxboard.vn",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.get_or_create(user=user, unit=agency, role=Role.FEEDBACK_HANDLER)
        created.append((user, agency))
    return created


# This week's reports of each handler: (fate, hours ago it was sent, severity).
CURRENT = [
    ("received", 2, Severity.NORMAL),  # waits to be accepted
    ("near_deadline", 1, Severity.URGENT),  # accepted an hour ago, 4 working hours to act
    ("overdue", 24 * 12, Severity.URGENT),  # accepted twelve days ago, long past due
]


def _current_targets(province: Unit, categories: dict[str, Category]):
    """(category, commune where it happens) for each unit that handles reports: each
    agency a category is routed to, and each commune that has an officer's login."""
    communes = services.communes().filter(path__startswith=province.path).order_by("code")
    first_commune = communes.first()
    targets: list[tuple[Category, Unit]] = []
    seen: set[int] = set()
    for category in categories.values():
        if category.agency_id and category.agency_id not in seen and category.parent_id:
            seen.add(category.agency_id)
            if first_commune is not None:
                targets.append((category, first_commune))
    local = [c for c in categories.values() if c.routing == Routing.COMMUNE and c.parent_id]
    staffed = (
        communes.filter(
            memberships__role__in=[*COMMUNE_OFFICER_ROLES, Role.FEEDBACK_HANDLER],
            memberships__user__is_active=True,
        )
        .distinct()
        .order_by("code")
    )
    for index, commune in enumerate(staffed):
        if local:
            targets.append((local[index % len(local)], commune))
    return targets


def _load_current(
    province: Unit,
    categories: dict[str, Category],
    handler: User,
    *,
    now: datetime | None = None,
    stdout=None,
) -> None:
    """Reports of this week for every handler, once a week at most (a second run on the
    same days adds nothing)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = (now or datetime.now(zone)).astimezone(zone)
    week_ago = now - timedelta(days=7)
    if FieldReport.objects.filter(
        unit__path__startswith=province.path, created_at__gte=week_ago, created_at__lte=now
    ).exists():
        return
    rng = random.Random(SEED + 1)
    made = 0
    for category, commune in _current_targets(province, categories):
        for fate, hours_ago, severity in CURRENT:
            created = now - timedelta(hours=hours_ago)
            data = services.Submission(
                category=category.code,
                description=rng.choice(DESCRIPTIONS.get(category.code, ["Phản ánh mới."])),
                unit=commune.code,
                address=f"Khu vực {rng.randint(1, 12)}, {commune.name}",
                reporter_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                reporter_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                consent=True,
            )
            report = services.submit_report(data, now=created)
            made += 1
            if fate == "received":
                continue
            accepted = created + timedelta(minutes=30)
            report = services.accept(handler, report, severity=severity, now=accepted)
            report = services.assign(handler, report, now=accepted + timedelta(minutes=5))
            if fate == "overdue":
                services.start(handler, report, now=accepted + timedelta(hours=1))
    if stdout is not None and made:
        stdout.write(f"      {made} phản ánh trong tuần (chờ tiếp nhận, sắp đến hạn, quá hạn)")


def _publish_indicators(province: Unit, *, stdout=None) -> None:
    """CQ-11/12/13 for each quarter of the demo year: computed from the reports, never typed."""
    if not DataElement.objects.filter(code__in=DATA_ELEMENTS).exists():
        return
    written = sum(publish_indicator_values(f"{DEMO_YEAR}Q{q}", province) for q in range(1, 5))
    if stdout is not None:
        stdout.write(f"      {written} giá trị chỉ tiêu CQ-11, CQ-12, CQ-13 ({DEMO_YEAR})")


def _load_reports(province: Unit, categories: dict[str, Category], handler: User, *, stdout=None):
    communes = list(services.communes().filter(path__startswith=province.path).order_by("code"))
    if not communes:
        return
    rng = random.Random(SEED)
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = HolidayCalendar()
    centres = {c.pk: (rng.uniform(*LAT_BOX), rng.uniform(*LONG_BOX)) for c in communes}
    # Busier communes first: a few urban wards get most reports.
    weights = [8 if i < 6 else 3 if i < 30 else 1 for i in range(len(communes))]
    leaf_codes = list(WEIGHTS)
    plan: list[tuple[int, str]] = []  # (month, fate)
    fates = ["resolved"] * SEED_RESOLVED + ["in_progress"] * 3 + ["assigned"] * 2
    for index, fate in enumerate(fates):
        plan.append((1 + index * 8 // SEED_RECEIVED, fate))
    later = ["resolved"] * 28 + ["rejected"] * 5 + ["in_progress"] * 6 + ["accepted"] * 3
    later += ["received"] * (LATER_RECEIVED - len(later))
    for index, fate in enumerate(later):
        plan.append((9 + index * 3 // LATER_RECEIVED, fate))
    for month, fate in plan:
        code = rng.choices(leaf_codes, weights=[WEIGHTS[c] for c in leaf_codes])[0]
        commune = rng.choices(communes, weights=weights)[0]
        lat, long = centres[commune.pk]
        created = _moment(rng, DEMO_YEAR, month, zone)
        data = services.Submission(
            category=code,
            description=rng.choice(DESCRIPTIONS[code]),
            unit=commune.code,
            address=f"Khu vực {rng.randint(1, 12)}, {commune.name}",
            lat=f"{lat + rng.uniform(-0.02, 0.02):.6f}",
            long=f"{long + rng.uniform(-0.02, 0.02):.6f}",
            reporter_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            reporter_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            consent=True,
        )
        report = services.submit_report(data, now=created)
        if fate == "received":
            continue
        accepted = add_working_hours(created, rng.uniform(0.5, 6), calendar)
        if fate == "rejected":
            services.reject(
                handler, report, reason="Phản ánh trùng nội dung đã xử lý.", now=accepted
            )
            continue
        report = services.accept(handler, report, now=accepted)
        if fate == "accepted":
            continue
        assigned = add_working_hours(accepted, rng.uniform(0.2, 2), calendar)
        report = services.assign(handler, report, now=assigned)
        if fate == "assigned":
            continue
        started = add_working_hours(assigned, rng.uniform(0.5, 4), calendar)
        report = services.start(handler, report, now=started)
        if fate == "in_progress":
            continue
        hours = report.category.hours_for(report.severity)
        late = rng.random() < 0.18
        if late and rng.random() < 0.5:
            extension = services.request_extension(
                handler,
                report,
                hours=hours // 2 or 2,
                reason="Cần phối hợp nhiều đơn vị.",
                now=started,
            )
            services.decide_extension(handler, extension.pk, approve=True, now=started)
        share = rng.uniform(1.05, 1.6) if late else rng.uniform(0.15, 0.95)
        resolved = max(
            add_working_hours(accepted, hours * share, calendar),
            add_working_hours(started, 0.25, calendar),
        )
        report = services.resolve(handler, report, public_answer=rng.choice(ANSWERS), now=resolved)
        if rng.random() < 0.7:
            stars = rng.choices([5, 4, 3, 2, 1], weights=[50, 30, 10, 6, 4])[0]
            services.rate(report.tracking_code, stars, now=resolved + timedelta(days=1))
        if rng.random() < 0.6:
            services.close(handler, report, now=resolved + timedelta(days=2))
    if stdout is not None:
        stdout.write(f"      {len(plan)} phản ánh hiện trường, {len(categories)} lĩnh vực")
