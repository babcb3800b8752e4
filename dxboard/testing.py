"""Test helpers shared by every app: factories, the persona world and URL permission cases.

Factories go through the services where a service exists, so tests build data the way
the product does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from dxboard.accounts.models import Role, User
from dxboard.accounts.services import create_user
from dxboard.units.models import Unit, UnitKind

PASSWORD = "Mat-khau-thu-nghiem-2026"
_counter = itertools.count(1)


def make_unit(
    name: str | None = None,
    *,
    code: str | None = None,
    kind: str = UnitKind.COMMUNE,
    parent: Unit | None = None,
    **fields: Any,
) -> Unit:
    n = next(_counter)
    return Unit.objects.create(
        code=code or f"T{n:05d}",
        name=name or f"Đơn vị thử {n}",
        kind=kind,
        parent=parent,
        **fields,
    )


def make_user(
    username: str | None = None,
    *,
    unit: Unit | None = None,
    role: str = Role.REPORTER,
    roles: list[tuple[Unit, str]] | None = None,
    is_superuser: bool = False,
    email: str = "",
) -> User:
    memberships = list(roles or [])
    if unit is not None:
        memberships.append((unit, role))
    return create_user(
        username or f"user{next(_counter)}",
        PASSWORD,
        full_name=username or "",
        email=email,
        memberships=memberships,
        is_superuser=is_superuser,
    )


@dataclass
class World:
    """The test personas (who may see and do what, per role and unit) and their units.

    province
    ├── commune_a ── hamlet_a
    ├── commune_b ── hamlet_b
    └── agency (a sở)
    """

    province: Unit
    commune_a: Unit
    commune_b: Unit
    hamlet_a: Unit
    hamlet_b: Unit
    agency: Unit
    admin: User
    province_officer: User
    officer_a: User
    approver_a: User
    officer_b: User
    viewer: User
    handler: User
    citizen: User
    extra: dict[str, Any] = field(default_factory=dict)


def make_world() -> World:
    province = make_unit("Tỉnh Thử Nghiệm", code="99", kind=UnitKind.PROVINCE, official=True)
    commune_a = make_unit("Xã An Bình", code="99001", parent=province, official=True)
    commune_b = make_unit("Phường Đông Hòa", code="99002", parent=province, official=True)
    hamlet_a = make_unit("Ấp Một", code="99001-AP1", kind=UnitKind.HAMLET, parent=commune_a)
    hamlet_b = make_unit("Khu phố Hai", code="99002-KP2", kind=UnitKind.HAMLET, parent=commune_b)
    agency = make_unit(
        "Sở Khoa học và Công nghệ", code="SKHCN", kind=UnitKind.DEPARTMENT, parent=province
    )
    return World(
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        hamlet_a=hamlet_a,
        hamlet_b=hamlet_b,
        agency=agency,
        admin=make_user("admin", is_superuser=True),
        province_officer=make_user(
            "province_officer", unit=province, role=Role.PROVINCE_OFFICER, email="so@example.vn"
        ),
        officer_a=make_user("officer_a", unit=commune_a, role=Role.REPORTER),
        approver_a=make_user("approver_a", unit=commune_a, role=Role.APPROVER),
        officer_b=make_user("officer_b", unit=commune_b, role=Role.REPORTER),
        viewer=make_user("viewer", unit=province, role=Role.VIEWER),
        handler=make_user("handler", unit=agency, role=Role.FEEDBACK_HANDLER),
        citizen=make_user("citizen"),
    )


Expectation = Literal["login", "400", "401", "ok", "403", "404", "405", "409"]


@dataclass(frozen=True)
class UrlCase:
    """What one named URL must answer, checked by dxboard/tests/test_url_permissions.py.

    `kwargs` builds the URL arguments from the world, pointing at an object of commune A
    (or of the province) so that `foreign` can check that officer B gets a 404.
    """

    name: str
    kwargs: Callable[[World], dict] | None = None
    method: Literal["get", "post", "put", "patch", "delete"] = "get"
    anonymous: Expectation = "login"
    # The persona who must NOT reach the object (officer B for commune A's things).
    outsider: str | None = None
    outsider_expects: Expectation = "404"
    body: Callable[[World], dict] | None = None
    # Query parameters (e.g. ?orgUnit= naming commune A for the outsider to be refused).
    query: Callable[[World], dict] | None = None
    # For a page listing many units' things (outsider_expects "ok"): a text of commune A's
    # object that `insider` sees there and the outsider must not, so lists are checked to
    # be scoped, not only detail pages.
    hidden: Callable[[World], str] | None = None
    insider: str = "officer_a"
    # Why no outsider applies: nothing the URL answers belongs to one unit (a login page,
    # the public catalogue, one's own profile). A case has an outsider or says why not.
    no_outsider: str = ""


def url_kwargs(case: UrlCase, world: World) -> dict:
    return case.kwargs(world) if case.kwargs else {}
