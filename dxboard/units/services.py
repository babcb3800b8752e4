"""Unit services: create and change units, record reorganisations, manage unit groups.

Web views, the JSON API, the CSV/Excel import and the demo all go through these
functions, so the rules (who may change what, how codes look) live in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from dxboard import permissions, revision
from dxboard.errors import Conflict, ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.text import fold, one_line, sort_key

from .models import (
    SuccessionKind,
    Unit,
    UnitGroup,
    UnitKind,
    UnitQuerySet,
    UnitSuccession,
)

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
# Official numbers (Quyết định 19/2025/QĐ-TTg and the GSO series before it).
OFFICIAL_CODE_PATTERNS = {
    UnitKind.NATION: re.compile(r"^VN$"),
    UnitKind.PROVINCE: re.compile(r"^\d{2}$"),
    UnitKind.DISTRICT: re.compile(r"^\d{3}$"),
    UnitKind.COMMUNE: re.compile(r"^\d{5}$"),
}
# Words used in page addresses under /units/; a unit with such a code could not be opened.
RESERVED_CODES = {"new", "import", "groups", "children"}
# Which kinds of unit may sit directly below which.
ALLOWED_PARENT_KINDS: dict[str, set[str]] = {
    UnitKind.NATION: set(),
    UnitKind.PROVINCE: {UnitKind.NATION},
    UnitKind.DISTRICT: {UnitKind.PROVINCE},
    UnitKind.COMMUNE: {UnitKind.PROVINCE, UnitKind.DISTRICT},
    UnitKind.HAMLET: {UnitKind.COMMUNE},
    UnitKind.DEPARTMENT: {
        UnitKind.NATION,
        UnitKind.PROVINCE,
        UnitKind.DISTRICT,
        UnitKind.COMMUNE,
        UnitKind.DEPARTMENT,
        UnitKind.COMMITTEE,
        UnitKind.OTHER,
    },
}
ALLOWED_PARENT_KINDS[UnitKind.COMMITTEE] = ALLOWED_PARENT_KINDS[UnitKind.DEPARTMENT]
ALLOWED_PARENT_KINDS[UnitKind.OTHER] = ALLOWED_PARENT_KINDS[UnitKind.DEPARTMENT]
# Kinds that province officers and unit administrators may create; the official
# administrative units come from the national list (`dxboard load-units`).
LOCAL_KINDS = (UnitKind.HAMLET, UnitKind.DEPARTMENT, UnitKind.COMMITTEE, UnitKind.OTHER)
EDITABLE_FIELDS = (
    "code",
    "name",
    "name_en",
    "kind",
    "division_type",
    "parent",
    "valid_from",
    "population",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)
TEXT_LIMITS = {
    "code": 50,
    "name": 200,
    "name_en": 200,
    "division_type": 30,
    "address": 300,
    "contact_name": 150,
    "contact_phone": 30,
    "contact_email": 254,
}
PHONE_PATTERN = re.compile(r"^[0-9+() .-]{6,30}$")


# --- permissions -------------------------------------------------------------------------


def managed_units(user) -> UnitQuerySet:
    """Units the user may create units under or edit (action `units.manage`)."""
    return permissions.units_for(user, "units.manage")


def can_manage(user, unit: Unit) -> bool:
    return managed_units(user).filter(pk=unit.pk).exists()


def can_manage_any(user) -> bool:
    return managed_units(user).exists()


def get_visible_unit(user, code: str) -> Unit:
    """The unit with this code that the user may see: the one in force, else the latest.

    An unknown code and a unit outside the user's scope are both `NotFound`.
    """
    unit = (
        Unit.objects.visible_to(user)
        .filter(code=code)
        .select_related("parent")
        # in force first (valid_to NULL), then the most recently closed
        .order_by(F("valid_to").desc(nulls_first=True), "-pk")
        .first()
    )
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": code})
    return unit


# --- validation --------------------------------------------------------------------------


def _clean_text(value: Any, max_length: int) -> str:
    return one_line(str(value or ""))[:max_length]


def validate_fields(data: dict[str, Any], *, instance: Unit | None = None) -> list[ErrorDetail]:
    """Check one unit's fields; return one ErrorDetail per bad field (empty when fine).

    `data` holds the final values (after applying a change to `instance`).
    """
    errors: list[ErrorDetail] = []
    code = data.get("code", "")
    kind = data.get("kind", "")
    official = data.get("official", False)
    if not code:
        errors.append(ErrorDetail("code", _("Mã đơn vị không được để trống.")))
    elif len(code) > 50:
        errors.append(ErrorDetail("code", _("Mã dài tối đa 50 ký tự.")))
    elif not CODE_PATTERN.match(code):
        errors.append(
            ErrorDetail(
                "code",
                _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới (_) và gạch ngang (-)."),
            )
        )
    elif code.lower() in RESERVED_CODES:
        errors.append(
            ErrorDetail("code", _("Mã “%(code)s” là từ dành riêng của hệ thống.") % {"code": code})
        )
    if instance is not None and instance.official and code != instance.code:
        errors.append(
            ErrorDetail("code", _("Đơn vị hành chính chính thức giữ nguyên mã số nhà nước cấp."))
        )
    official_pattern = OFFICIAL_CODE_PATTERNS.get(kind) if official else None
    if official_pattern is not None and code and not official_pattern.match(code):
        errors.append(
            ErrorDetail(
                "code",
                _("Mã chính thức của tỉnh có 2 chữ số, của huyện 3 chữ số, của xã 5 chữ số."),
            )
        )
    if not data.get("name"):
        errors.append(ErrorDetail("name", _("Tên đơn vị không được để trống.")))
    for name, limit in TEXT_LIMITS.items():
        if name != "code" and len(data.get(name) or "") > limit:
            errors.append(ErrorDetail(name, _("Dài tối đa %(limit)d ký tự.") % {"limit": limit}))
    if kind not in UnitKind.values:
        errors.append(ErrorDetail("kind", _("Loại đơn vị không hợp lệ.")))
    parent = data.get("parent")
    if kind in UnitKind.values and parent is not None:
        if parent.kind not in ALLOWED_PARENT_KINDS[kind]:
            errors.append(
                ErrorDetail(
                    "parent",
                    _("Đơn vị loại “%(kind)s” không đặt dưới đơn vị loại “%(parent_kind)s” được.")
                    % {
                        "kind": UnitKind(kind).label,
                        "parent_kind": UnitKind(parent.kind).label,
                    },
                )
            )
        if parent.valid_to is not None:
            errors.append(ErrorDetail("parent", _("Đơn vị cấp trên đã hết hiệu lực.")))
        if instance is not None and instance.pk and parent.path.startswith(instance.path or "-"):
            errors.append(
                ErrorDetail("parent", _("Không thể đặt đơn vị dưới chính nó hoặc cấp dưới của nó."))
            )
    population = data.get("population")
    if population is not None and (not isinstance(population, int) or population < 0):
        errors.append(ErrorDetail("population", _("Dân số phải là số nguyên không âm.")))
    email = data.get("contact_email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(ErrorDetail("contact_email", _("Địa chỉ thư điện tử không hợp lệ.")))
    phone = data.get("contact_phone") or ""
    if phone and not PHONE_PATTERN.match(phone):
        errors.append(
            ErrorDetail("contact_phone", _("Số điện thoại chỉ gồm chữ số, dấu cách, + . - ( ).")),
        )
    if code and CODE_PATTERN.match(code) and data.get("valid_to") is None:
        clash = Unit.objects.in_force().filter(code=code)
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.append(
                ErrorDetail(
                    "code", _("Đã có đơn vị đang hiệu lực mang mã “%(code)s”.") % {"code": code}
                )
            )
    return errors


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    for name, length in TEXT_LIMITS.items():
        if name in clean:
            clean[name] = _clean_text(clean[name], length + 1)
    return clean


def _resolve_parent(user, value: Unit | str | None, *, required: bool) -> Unit | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(
                _("Hãy chọn đơn vị cấp trên."),
                [ErrorDetail("parent", _("Hãy chọn đơn vị cấp trên."))],
            )
        return None
    if isinstance(value, Unit):
        return value
    try:
        return get_visible_unit(user, value)
    except NotFound as error:
        raise NotFound(error.message, [ErrorDetail("parent", error.message)]) from error


# --- create and update -------------------------------------------------------------------


@transaction.atomic
def create_unit(user, **data: Any) -> Unit:
    """Create a unit below `parent` (a Unit or a code).

    Superusers may create any unit, also at the top. Administrators and province
    officers create hamlets and agencies inside the units they manage.
    """
    data = _normalise(data)
    parent = _resolve_parent(user, data.pop("parent", None), required=not user.is_superuser)
    if parent is not None and not can_manage(user, parent):
        raise Forbidden(
            _("Bạn không có quyền thêm đơn vị dưới “%(name)s”.") % {"name": parent.name}
        )
    kind = data.get("kind") or UnitKind.HAMLET
    official = bool(data.get("official", False))
    if not user.is_superuser and (official or kind not in LOCAL_KINDS):
        raise Forbidden(
            _("Chỉ quản trị hệ thống được tạo đơn vị hành chính chính thức."),
            [ErrorDetail("kind", _("Hãy chọn thôn, ấp, tổ dân phố hoặc cơ quan, đơn vị."))],
        )
    fields = {name: data[name] for name in EDITABLE_FIELDS if name in data and name != "parent"}
    fields.update(kind=kind, official=official, parent=parent)
    fields.setdefault("valid_from", None)
    errors = validate_fields(fields)
    if errors:
        raise InvalidInput(_("Thông tin đơn vị chưa hợp lệ."), errors)
    unit = Unit(**fields)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as error:
        raise Conflict(_("Đã có đơn vị đang hiệu lực mang mã “%(code)s”.") % fields) from error
    return unit


@transaction.atomic
def update_unit(user, unit: Unit | str, **changes: Any) -> Unit:
    """Change a unit's fields. Official units keep their code and kind."""
    if isinstance(unit, str):
        unit = get_visible_unit(user, unit)
    elif not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit.code})
    if not can_manage(user, unit):
        raise Forbidden(_("Bạn không có quyền sửa đơn vị “%(name)s”.") % {"name": unit.name})
    changes = _normalise(changes)
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"valid_to"}
    if unknown:
        raise InvalidInput(
            _("Trường không sửa được."),
            [ErrorDetail(name, _("Trường không sửa được.")) for name in sorted(unknown)],
        )
    if "parent" in changes:
        parent = _resolve_parent(user, changes["parent"], required=unit.parent_id is not None)
        if parent is not None and parent.pk != unit.parent_id and not can_manage(user, parent):
            raise Forbidden(
                _("Bạn không có quyền chuyển đơn vị sang “%(name)s”.") % {"name": parent.name}
            )
        changes["parent"] = parent
    kind_changed = "kind" in changes and changes["kind"] != unit.kind
    local_change = not user.is_superuser and changes.get("kind") not in LOCAL_KINDS
    if kind_changed and (unit.official or local_change):
        raise InvalidInput(
            _("Không đổi được loại đơn vị này."),
            [ErrorDetail("kind", _("Không đổi được loại đơn vị này."))],
        )
    if "valid_to" in changes and not user.is_superuser:
        raise Forbidden(_("Chỉ quản trị hệ thống đóng hiệu lực đơn vị trực tiếp."))
    final = {name: getattr(unit, name) for name in (*EDITABLE_FIELDS, "official", "valid_to")}
    final["parent"] = unit.parent
    final.update(changes)
    errors = validate_fields(final, instance=unit)
    if errors:
        raise InvalidInput(_("Thông tin đơn vị chưa hợp lệ."), errors)
    if "valid_to" in changes or "valid_from" in changes:
        from .successions import check_validity  # successions imports this module

        check_validity(unit, final["valid_from"], final["valid_to"])
    for name, value in changes.items():
        setattr(unit, name, value)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as error:
        raise Conflict(_("Đã có đơn vị đang hiệu lực mang mã này.")) from error
    return unit


# --- reorganisations ---------------------------------------------------------------------


@transaction.atomic
def record_succession(
    predecessors: Iterable[Unit],
    successor: Unit,
    kind: str = SuccessionKind.MERGE,
    date: dt.date | None = None,
    legal_reference: str = "",
    *,
    user=None,
) -> list[UnitSuccession]:
    """Record that `predecessors` became `successor` on `date` ("A and B merged into C").

    Each predecessor is closed the day before (valid_to = date - 1 day) unless it is
    already closed earlier, or it is the successor of a split that keeps existing.
    Recording the same succession twice changes nothing.
    """
    predecessors = list(predecessors)
    if user is not None and not user.is_superuser:
        for unit in [*predecessors, successor]:
            if not can_manage(user, unit):
                raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit.code})
    if kind not in SuccessionKind.values:
        raise InvalidInput(_("Hình thức kế thừa không hợp lệ."))
    if not predecessors:
        raise InvalidInput(_("Hãy chọn ít nhất một đơn vị cũ."))
    if date is None:
        date = successor.valid_from
    if date is None:
        raise InvalidInput(_("Hãy nhập ngày có hiệu lực của việc sắp xếp."))
    if any(p.pk == successor.pk for p in predecessors):
        raise InvalidInput(_("Một đơn vị không thể kế thừa chính nó."))
    from .successions import check_no_cycle  # successions imports this module

    check_no_cycle(predecessors, successor)
    day_before = date - dt.timedelta(days=1)
    rows = []
    for predecessor in predecessors:
        row, _created = UnitSuccession.objects.get_or_create(
            predecessor=predecessor,
            successor=successor,
            defaults={"kind": kind, "effective_on": date, "legal_reference": legal_reference},
        )
        rows.append(row)
        keeps_existing = kind == SuccessionKind.SPLIT and predecessor.valid_to is None
        if not keeps_existing and (predecessor.valid_to is None or predecessor.valid_to > date):
            if predecessor.valid_from and predecessor.valid_from > day_before:
                raise InvalidInput(
                    _("Đơn vị “%(name)s” bắt đầu hiệu lực sau ngày sắp xếp.")
                    % {"name": predecessor.name}
                )
            predecessor.valid_to = day_before
            predecessor.save(update_fields=["valid_to", "search_name", "sort_key", "updated_at"])
    if successor.valid_from is None:
        successor.valid_from = date
        successor.save(update_fields=["valid_from", "search_name", "sort_key", "updated_at"])
    return rows


def predecessor_ids(unit: Unit) -> set[int]:
    """Primary keys of every unit that became `unit`, directly or through earlier reforms."""
    found: set[int] = set()
    frontier = {unit.pk}
    while frontier:  # one query per generation of reorganisations
        parents = set(
            UnitSuccession.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        frontier = parents - found - {unit.pk}
        found |= frontier
    return found


def history_units(unit: Unit) -> UnitQuerySet:
    """The unit and all its predecessors, recursively.

    Figures entered for A and B before they merged into C are read under C with
    `...filter(unit__in=history_units(c))`.
    """
    return Unit.objects.filter(pk__in={unit.pk, *predecessor_ids(unit)})


# --- bulk insertion ----------------------------------------------------------------------


def prepare_for_bulk(unit: Unit) -> Unit:
    """Fill the columns that `Unit.save` computes, for rows inserted with bulk_create."""
    unit.search_name = fold(f"{unit.name} {unit.code}")
    unit.sort_key = sort_key(unit.name)
    unit.path = ""
    unit.depth = 0
    return unit


def fix_missing_paths() -> int:
    """Give every unit without a path its path and depth, one UPDATE per tree level.

    bulk_create bypasses `Unit.save`, so bulk-inserted rows have an empty path. This
    sets `path = parent.path || pk || '/'` in SQL, level by level, from the top.
    """
    revision.changed()
    pk_text = Cast("pk", output_field=CharField())
    fixed = Unit.objects.filter(path="", parent__isnull=True).update(
        path=Concat(Value("/"), pk_text, Value("/"), output_field=CharField()), depth=0
    )
    parents = Unit.objects.filter(pk=OuterRef("parent_id"))
    while True:
        count = (
            Unit.objects.filter(path="", parent__isnull=False)
            .exclude(parent__path="")
            .update(
                path=Concat(
                    Subquery(parents.values("path")[:1]),
                    pk_text,
                    Value("/"),
                    output_field=CharField(),
                ),
                depth=Subquery(parents.values("depth")[:1]) + 1,
            )
        )
        fixed += count
        if not count:
            return fixed


# --- unit groups -------------------------------------------------------------------------


def visible_groups(user):
    return UnitGroup.objects.visible_to(user).select_related("owner_unit")


def get_visible_group(user, code: str) -> UnitGroup:
    group = visible_groups(user).filter(code=code).first()
    if group is None:
        raise NotFound(_("Không tìm thấy nhóm đơn vị “%(code)s”.") % {"code": code})
    return group


def _check_group_fields(code: str, name: str, instance: UnitGroup | None) -> None:
    errors = []
    if not code or not CODE_PATTERN.match(code) or len(code) > 50:
        errors.append(
            ErrorDetail(
                "code",
                _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới (_) và gạch ngang (-)."),
            )
        )
    elif UnitGroup.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors.append(ErrorDetail("code", _("Đã có nhóm mang mã “%(code)s”.") % {"code": code}))
    if not name:
        errors.append(ErrorDetail("name", _("Tên nhóm không được để trống.")))
    elif len(name) > 200:
        errors.append(ErrorDetail("name", _("Tên nhóm dài tối đa 200 ký tự.")))
    if errors:
        raise InvalidInput(_("Thông tin nhóm chưa hợp lệ."), errors)


@transaction.atomic
def create_group(
    user, *, code: str, name: str, owner_unit: Unit | str, description: str = ""
) -> UnitGroup:
    owner = _resolve_parent(user, owner_unit, required=True)
    if not can_manage(user, owner):
        raise Forbidden(_("Bạn không có quyền lập nhóm cho “%(name)s”.") % {"name": owner.name})
    code, name = _clean_text(code, 51), _clean_text(name, 201)
    _check_group_fields(code, name, None)
    return UnitGroup.objects.create(
        code=code, name=name, owner_unit=owner, description=description.strip()
    )


def _managed_group(user, group: UnitGroup | str) -> UnitGroup:
    if isinstance(group, str):
        group = get_visible_group(user, group)
    elif not visible_groups(user).filter(pk=group.pk).exists():
        raise NotFound(_("Không tìm thấy nhóm đơn vị “%(code)s”.") % {"code": group.code})
    if not can_manage(user, group.owner_unit):
        raise Forbidden(_("Bạn không có quyền sửa nhóm “%(name)s”.") % {"name": group.name})
    return group


@transaction.atomic
def update_group(
    user, group: UnitGroup | str, *, name: str | None = None, description: str | None = None
) -> UnitGroup:
    group = _managed_group(user, group)
    if name is not None:
        group.name = _clean_text(name, 201)
    if description is not None:
        group.description = description.strip()
    _check_group_fields(group.code, group.name, group)
    group.save()
    return group


def _member_units(user, units: Iterable[Unit | str]) -> list[Unit]:
    units = list(units)
    codes = [u for u in units if isinstance(u, str)]
    objects = [u for u in units if isinstance(u, Unit)]
    scope = managed_units(user)
    found = {u.code: u for u in scope.in_force().filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    ids = set(scope.filter(pk__in=[u.pk for u in objects]).values_list("pk", flat=True))
    missing += [u.code for u in objects if u.pk not in ids]
    if missing:
        raise NotFound(
            _("Không tìm thấy đơn vị: %(codes)s.") % {"codes": ", ".join(missing)},
            [ErrorDetail("units", code) for code in missing],
        )
    return [*found.values(), *objects]


@transaction.atomic
def add_group_members(user, group: UnitGroup | str, units: Iterable[Unit | str]) -> UnitGroup:
    group = _managed_group(user, group)
    group.units.add(*_member_units(user, units))
    return group


@transaction.atomic
def remove_group_members(user, group: UnitGroup | str, units: Iterable[Unit | str]) -> UnitGroup:
    group = _managed_group(user, group)
    group.units.remove(*_member_units(user, units))
    return group


def tree_roots(user) -> UnitQuerySet:
    """The highest visible units in force: for a commune officer, the commune itself."""
    visible = Unit.objects.visible_to(user).in_force()
    if user.is_superuser:
        return visible.filter(parent__isnull=True)
    own_paths = list(
        user.memberships.filter(unit__valid_to__isnull=True).values_list("unit__path", flat=True)
    )
    tops = [p for p in own_paths if not any(p != o and p.startswith(o) for o in own_paths)]
    return visible.filter(path__in=tops)


def default_unit(user: Any) -> Unit | None:
    """The highest unit the user can see: where list pages (registers) start."""
    return Unit.objects.visible_to(user).in_force().order_by("depth", "sort_key").first()
