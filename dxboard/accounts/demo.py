"""Demo users, one per role, with passwords printed by `dxboard demo`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from dxboard.units.models import Unit, UnitKind

from .models import Membership, Role, User

DEMO_PASSWORD = "DXBoard-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: Unit | None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role != "superuser" else "Quản trị hệ thống"


def _pick_units(province: Unit) -> dict[str, Unit]:
    communes = Unit.objects.in_force().filter(parent=province, kind=UnitKind.COMMUNE)
    agencies = Unit.objects.in_force().filter(parent=province, kind=UnitKind.DEPARTMENT)
    commune = communes.filter(name__icontains="Long Xuyên").first() or communes.first()
    # A mainland ward (the first commune by order is the island special zone Kiên Hải).
    others = communes.exclude(pk=commune.pk) if commune else communes.none()
    other_commune = others.filter(name__icontains="Châu Đốc").first() or others.first()
    ioc = agencies.filter(name__icontains="IOC").first() or agencies.first()
    skhcn = agencies.filter(name__icontains="Khoa học").first() or agencies.first()
    return {
        "province": province,
        "commune": commune,
        "other_commune": other_commune,
        "ioc": ioc,
        "skhcn": skhcn,
    }


@transaction.atomic
def load_demo(province: Unit, *, stdout=None) -> list[DemoLogin]:
    units = _pick_units(province)
    plan = [
        ("admin", "Quản trị hệ thống", "superuser", None),
        ("so.khcn", "Nguyễn Thị Minh Thư", Role.PROVINCE_OFFICER, units["province"]),
        ("lanh.dao", "Trần Văn Phong", Role.VIEWER, units["province"]),
        ("baocao.xa", "Lê Thị Hải Âu", Role.REPORTER, units["commune"]),
        ("pheduyet.xa", "Phan Văn Tới", Role.APPROVER, units["commune"]),
        ("baocao.xa2", "Đặng Văn Bình", Role.REPORTER, units["other_commune"]),
        ("baocao.so", "Hồ Văn Dân", Role.REPORTER, units["skhcn"]),
        # The IOC receives every field report of the province and forwards it: a handler
        # on the province, so it sees and supervises the agencies' and communes' reports
        # (on the IOC's own unit its inbox was empty: nothing is routed to the IOC).
        ("xuly.phananh", "Võ Thị Mỹ Ngân", Role.FEEDBACK_HANDLER, units["province"]),
    ]
    logins = []
    for username, full_name, role, unit in plan:
        if role != "superuser" and unit is None:
            continue
        user, _created = User.objects.get_or_create(username=username)
        user.full_name = full_name
        user.email = f"{username}@demo.dxboard.vn"
        user.is_superuser = user.is_staff = role == "superuser"
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        if unit is not None:
            Membership.objects.get_or_create(user=user, unit=unit, role=role)
        logins.append(DemoLogin(username, full_name, role, unit))
    return logins
