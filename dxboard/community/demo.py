"""Demo teams for the demo province: a team per hamlet where hamlets exist, else per commune.

Deterministic (seeded random) and idempotent: a second run finds every team, member
and activity already there and adds nothing. Then the register's figures are published
as the computed values of NL-02 and XH-08 for every quarter since the first team was
founded, so the indicators have a history without anybody typing it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from dxboard.periods import PeriodType, last_finished, period_of, periods_between
from dxboard.units.models import Unit, UnitKind

from .indicators import DATA_ELEMENTS, publish_indicator_values
from .models import Activity, ActivityKind, AgeGroup, Gender, Member, MemberRole, Team, TeamStatus

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Dương"]
MIDDLE_M = ["Văn", "Minh", "Hữu", "Quốc", "Thanh", "Công"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Mỹ", "Kim", "Thu"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hùng",
    "Khang",
    "Lộc",
    "Phúc",
    "Tài",
    "Tâm",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Diễm",
    "Hạnh",
    "Hoa",
    "Lan",
    "Linh",
    "Ngân",
    "Nhung",
    "Thảo",
    "Trâm",
    "Yến",
]
ORGANISATIONS = [
    "Trưởng ấp",
    "Đoàn Thanh niên",
    "Hội Phụ nữ",
    "Công an xã",
    "Giáo viên",
    "Hội Nông dân",
    "Hội Cựu chiến binh",
    "Bưu điện văn hóa xã",
    "Viettel",
    "VNPT",
]
KIND_WEIGHTS = [
    (ActivityKind.VNEID, 5),
    (ActivityKind.PUBLIC_SERVICES, 4),
    (ActivityKind.CASHLESS, 3),
    (ActivityKind.DIGITAL_SKILLS, 2),
    (ActivityKind.ECOMMERCE, 1),
    (ActivityKind.SECURITY, 1),
    (ActivityKind.OTHER, 1),
]


def _team_units(province: Unit) -> list[Unit]:
    in_force = Unit.objects.in_force().filter(path__startswith=province.path)
    hamlets = list(in_force.filter(kind=UnitKind.HAMLET).select_related("parent").order_by("path"))
    communes_without = list(
        in_force.filter(kind=UnitKind.COMMUNE)
        .filter(~Exists(in_force.filter(parent=OuterRef("pk"), kind=UnitKind.HAMLET)))
        .order_by("path")
    )
    return hamlets + communes_without


def _person(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.45:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        return name, Gender.FEMALE
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}", Gender.MALE


def load_demo(province: Unit, *, stdout=None) -> None:
    _load_teams(province, stdout=stdout)
    _publish_indicators(province, stdout=stdout)


def _publish_indicators(province: Unit, *, stdout=None) -> None:
    """NL-02 and XH-08 per quarter, from the first team's quarter to the last finished one."""
    from dxboard.indicators.models import DataElement

    if DataElement.objects.filter(code__in=DATA_ELEMENTS).count() < len(DATA_ELEMENTS):
        return  # the catalogue is not loaded: nothing to publish into
    first = Team.objects.filter(unit__path__startswith=province.path).aggregate(
        first=Min("founded_on")
    )["first"]
    if first is None:
        return
    today = timezone.localdate()
    last = last_finished(PeriodType.QUARTER, today)
    periods = periods_between(period_of(first, PeriodType.QUARTER), last)
    written = 0
    for period in periods:
        result = publish_indicator_values(period.code, province, today)
        written += result.imported + result.updated
    if stdout is not None and periods:
        stdout.write(
            f"      {written} giá trị chỉ tiêu NL-02, XH-08 mới hoặc cập nhật"
            f" ({periods[0].code}–{periods[-1].code})"
        )


@transaction.atomic
def _load_teams(province: Unit, *, stdout=None) -> None:
    units = _team_units(province)
    existing = set(Team.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    teams: list[Team] = []
    plans: dict[int, tuple[int, random.Random]] = {}
    for index, unit in enumerate(units):
        unit_rng = random.Random(f"{province.code}-{unit.code}")
        # Some units still have no team, so coverage is below 100 %.
        if unit_rng.random() < 0.06:
            continue
        size = unit_rng.choice([4, 5, 5, 6, 6, 7, 8, 9, 11, 14])
        plans[unit.pk] = (size, unit_rng)
        if unit.pk in existing:
            continue
        founded = date(2022, 3, 15) + timedelta(days=unit_rng.randint(0, 500))
        commune = unit.parent if unit.kind == UnitKind.HAMLET else unit
        teams.append(
            Team(
                unit=unit,
                name=f"Tổ công nghệ số cộng đồng {unit.name}",
                founded_on=founded,
                decision_number=f"{100 + index}/QĐ-UBND",
                decision_date=founded - timedelta(days=3),
                decision_signer=f"Chủ tịch UBND {commune.name}" if commune else "",
                status=TeamStatus.ACTIVE,
            )
        )
    Team.objects.bulk_create(teams)
    new_ids = {t.unit_id for t in teams}
    members: list[Member] = []
    activities: list[Activity] = []
    kinds = [k for k, w in KIND_WEIGHTS for _ in range(w)]
    for team in Team.objects.filter(unit_id__in=new_ids).select_related("unit"):
        size, unit_rng = plans[team.unit_id]
        for n in range(size):
            name, gender = _person(unit_rng)
            role = (
                MemberRole.LEADER if n == 0 else MemberRole.DEPUTY if n == 1 else MemberRole.MEMBER
            )
            members.append(
                Member(
                    team=team,
                    full_name=name,
                    role=role,
                    gender=gender,
                    phone=f"09{unit_rng.randint(10_000_000, 99_999_999)}",
                    birth_year=unit_rng.randint(1965, 2004),
                    age_group="",
                    organisation=ORGANISATIONS[0] if n == 0 else unit_rng.choice(ORGANISATIONS[1:]),
                    trained=unit_rng.random() < 0.7,
                    joined_on=team.founded_on,
                )
            )
        for _ in range(unit_rng.randint(2, 9)):
            activities.append(
                Activity(
                    team=team,
                    date=date(2024, 1, 1) + timedelta(days=unit_rng.randint(0, 700)),
                    kind=unit_rng.choice(kinds),
                    people_helped=unit_rng.randint(5, 120),
                )
            )
    from .services import age_group_for

    for member in members:
        member.age_group = (
            age_group_for(member.birth_year, date(2025, 12, 31))
            if member.birth_year
            else AgeGroup.FROM_30_TO_45
        )
    Member.objects.bulk_create(members, ignore_conflicts=True)
    Activity.objects.bulk_create(activities)
    if stdout is not None:
        stdout.write(
            f"      {len(teams)} tổ mới, {len(members)} thành viên, {len(activities)} hoạt động"
            f" (trên {len(units)} thôn, ấp, xã; giữ nguyên {len(existing)} tổ đã có)."
        )
