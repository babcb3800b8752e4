"""Units in the JSON API: list and search, read, create and update (same services as the web)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from dxboard.api_errors import ErrorOut
from dxboard.api_input import ObjectBody

from . import services
from .models import Unit, UnitKind
from .resolve import unit_as_of

router = Router(tags=["units"])
AS_OF = Query(
    None,
    description=(
        "Đơn vị mang mã này vào ngày đó (YYYY-MM-DD): /units/80?asOf=2024-12-31 là tỉnh "
        "Long An cũ, không có asOf là tỉnh Tây Ninh hiện nay."
    ),
)


class UnitOut(Schema):
    code: str
    name: str
    name_en: str
    kind: UnitKind
    division_type: str
    official: bool
    parent_code: str | None
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    population: int | None
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str

    @staticmethod
    def resolve_parent_code(unit: Unit) -> str | None:
        return unit.parent.code if unit.parent_id else None


class SuccessionOut(Schema):
    code: str
    name: str
    kind: str
    effective_on: dt.date
    legal_reference: str
    share: Decimal = Field(
        ..., description="Phần của đơn vị cũ chuyển sang đơn vị mới (1 khi sáp nhập cả đơn vị)"
    )
    valid_from: dt.date | None
    valid_to: dt.date | None


class UnitDetailOut(UnitOut):
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]

    @staticmethod
    def resolve_predecessors(unit: Unit) -> list[dict]:
        return unit._predecessors

    @staticmethod
    def resolve_successors(unit: Unit) -> list[dict]:
        return unit._successors


class UnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


class UnitFilters(Schema):
    q: str = Field("", max_length=100, description="Tìm theo tên hoặc mã, không phân biệt dấu")
    kind: UnitKind | None = None
    parent: str | None = Field(None, max_length=50, description="Mã đơn vị cấp trên")
    include_former: bool = Field(False, description="Gồm cả đơn vị đã hết hiệu lực")
    asOf: dt.date | None = Field(
        None,
        description=(
            "Các đơn vị có hiệu lực vào ngày này (YYYY-MM-DD), ví dụ 2024-12-31 cho 63 tỉnh "
            "cũ; mặc định các đơn vị đang hiệu lực."
        ),
    )
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class UnitIn(ObjectBody):
    code: str = Field(..., max_length=50)
    name: str = Field(..., max_length=200)
    kind: UnitKind = UnitKind.HAMLET
    parent: str | None = Field(None, max_length=50, description="Mã đơn vị cấp trên")
    name_en: str = Field("", max_length=200)
    division_type: str = Field("", max_length=30)
    valid_from: dt.date | None = None
    population: int | None = Field(None, ge=0, le=2_000_000_000)
    address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=150)
    contact_phone: str = Field("", max_length=30)
    contact_email: str = Field("", max_length=254)


class UnitPatch(ObjectBody):
    code: str | None = Field(None, max_length=50)
    name: str | None = Field(None, max_length=200)
    kind: UnitKind | None = None
    parent: str | None = Field(None, max_length=50)
    name_en: str | None = Field(None, max_length=200)
    division_type: str | None = Field(None, max_length=30)
    valid_from: dt.date | None = None
    population: int | None = Field(None, ge=0, le=2_000_000_000)
    address: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=150)
    contact_phone: str | None = Field(None, max_length=30)
    contact_email: str | None = Field(None, max_length=254)


class GroupOut(Schema):
    code: str
    name: str
    description: str
    owner_unit: str
    member_count: int

    @staticmethod
    def resolve_owner_unit(group) -> str:
        return group.owner_unit.code


class GroupPage(Schema):
    count: int
    items: list[GroupOut]


def _detail(unit: Unit) -> Unit:
    unit._predecessors = [
        _succession(s.predecessor, s) for s in unit.successions_in.select_related("predecessor")
    ]
    unit._successors = [
        _succession(s.successor, s) for s in unit.successions_out.select_related("successor")
    ]
    return unit


def _succession(other: Unit, row) -> dict:
    return {
        "code": other.code,
        "name": other.name,
        "kind": row.kind,
        "effective_on": row.effective_on,
        "legal_reference": row.legal_reference,
        "share": row.share,
        "valid_from": other.valid_from,
        "valid_to": other.valid_to,
    }


@router.get("/units", response=UnitPage, summary="Danh sách, tìm kiếm đơn vị")
def list_units(request: HttpRequest, filters: Query[UnitFilters]):
    """Units the caller may see, in Vietnamese alphabetical order (higher levels first)."""
    units = Unit.objects.visible_to(request.user).select_related("parent")
    if filters.asOf is not None:
        units = units.in_force(on=filters.asOf)
    elif not filters.include_former:
        units = units.in_force()
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.parent:
        parent = services.get_visible_unit(request.user, filters.parent)
        units = units.filter(parent=parent)
    units = units.search(filters.q).order_by("depth", "sort_key", "pk")
    page = list(units[filters.offset : filters.offset + filters.limit])
    return {
        "count": units.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": page,
    }


@router.get("/units/{code}", response=UnitDetailOut, summary="Một đơn vị")
def get_unit(
    request: HttpRequest,
    code: str,
    asOf: dt.date | None = AS_OF,
):
    """The unit in force with this code (or the latest one that had it); with `asOf`, the
    unit that had the code on that day. Its validity is in `valid_from` / `valid_to`."""
    if asOf is not None:
        visible = Unit.objects.visible_to(request.user)
        return _detail(unit_as_of(code, asOf, among=visible))
    return _detail(services.get_visible_unit(request.user, code))


@router.post(
    "/units",
    response={201: UnitDetailOut, 404: ErrorOut, 409: ErrorOut},
    summary="Tạo đơn vị",
)
def create_unit(request: HttpRequest, payload: UnitIn):
    """For administrators and province officers: hamlets and agencies below their units.

    404 when the parent is unknown or not visible to the caller; 409 when another request
    created a unit in force with the same code meanwhile.
    """
    unit = services.create_unit(request.user, **payload.dict())
    return Status(201, _detail(unit))


@router.patch("/units/{code}", response={200: UnitDetailOut, 409: ErrorOut}, summary="Sửa đơn vị")
def update_unit(request: HttpRequest, code: str, payload: UnitPatch):
    """Change only the fields sent. Official units keep their code and kind.

    409 when another request took the new code for a unit in force meanwhile.
    """
    unit = services.update_unit(request.user, code, **payload.dict(exclude_unset=True))
    return _detail(unit)


@router.get("/unit-groups", response=GroupPage, summary="Nhóm đơn vị")
def list_unit_groups(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    groups = services.visible_groups(request.user).annotate(member_count=Count("units"))
    return {"count": groups.count(), "items": list(groups[offset : offset + limit])}
