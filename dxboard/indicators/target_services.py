"""Editing a programme's yearly targets, with an audit row for every change.

Public functions (plain Python, no HTTP; they check permissions):

    can_edit_targets(user, programme) -> bool
    target_units(programme) -> list[Unit]         # the programme's unit, then its children
    set_targets(user, programme, unit, changes) -> list[TargetChange]   # all or nothing
    set_target(user, programme, indicator, year, unit, value, source_document)

Who may edit: a province officer (Role.PROVINCE_OFFICER) or a unit administrator
(Role.ADMIN) on the programme's unit (a role on a unit above it counts too), and
superusers. Somebody who may read the programme but not edit it gets `Forbidden`;
somebody who may not read it gets `NotFound`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard import revision
from dxboard.errors import ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.indicators.models import Indicator, Programme, Target, TargetAction, TargetChange
from dxboard.indicators.permissions import EDIT_TARGETS
from dxboard.indicators.services import programme_indicators
from dxboard.units.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

EDITOR_ROLES = EDIT_TARGETS.roles
MAX_TARGET = Decimal("1e14")
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class TargetInput:
    """One cell of the targets grid. `value=None` removes the target."""

    indicator: str
    year: int
    value: Decimal | None
    source_document: str = ""
    path: str = ""  # names the cell in error messages ("CQ-03, năm 2024")


def can_edit_targets(user: User | AnonymousUser | None, programme: Programme) -> bool:
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        Unit.objects.visible_to(user, roles=EDITOR_ROLES)
        .filter(pk=programme.owner_unit_id)
        .exists()
    )


def target_units(programme: Programme) -> list[Unit]:
    """Units that may carry targets: the programme's unit first, then its in-force children
    in Vietnamese alphabetical order."""
    owner = programme.owner_unit
    children = list(owner.children.filter(valid_to__isnull=True).order_by("kind", "sort_key"))
    return [owner, *children]


def _check_editor(user: User | AnonymousUser | None, programme: Programme) -> None:
    if user is None:
        return
    if not Programme.objects.visible_to(user).filter(pk=programme.pk).exists():
        raise NotFound(_("Không tìm thấy chương trình “%(code)s”.") % {"code": programme.code})
    if not can_edit_targets(user, programme):
        raise Forbidden(
            _("Chỉ chuyên viên Sở hoặc quản trị của %(unit)s được sửa chỉ tiêu kế hoạch.")
            % {"unit": programme.owner_unit.name}
        )


def _text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def set_targets(
    user: User | AnonymousUser | None,
    programme: Programme,
    unit: Unit,
    changes: list[TargetInput],
) -> list[TargetChange]:
    """Write the given cells for one unit; cells whose value is unchanged are skipped
    (they keep the document that set them), each changed cell records `source_document`.
    All or nothing:
    any bad cell raises InvalidInput naming every bad cell, and nothing is written.

    Returns the audit rows written (one per created, changed or removed target).
    """
    _check_editor(user, programme)
    if unit.pk != programme.owner_unit_id and not (
        unit.path.startswith(programme.owner_unit.path) and unit.in_force
    ):
        raise InvalidInput(
            _("Đơn vị “%(unit)s” không thuộc %(owner)s.")
            % {"unit": unit.name, "owner": programme.owner_unit.name},
            [ErrorDetail("unit", _("Không thuộc đơn vị chủ trì chương trình."))],
        )
    indicators: dict[str, Indicator] = {i.code: i for i in programme_indicators(programme)}
    existing = {
        (t.indicator_id, t.year): t
        for t in Target.objects.filter(
            programme=programme,
            unit=unit,
            indicator__in=[i.pk for i in indicators.values()],
        )
    }
    details: list[ErrorDetail] = []
    plan: list[tuple[Indicator, TargetInput, Target | None]] = []
    for change in changes:
        where = change.path or f"{change.indicator}, {change.year}"
        indicator = indicators.get(change.indicator)
        if indicator is None:
            details.append(ErrorDetail(where, _("Chỉ tiêu không thuộc chương trình.")))
            continue
        if not programme.start_year <= change.year <= programme.end_year:
            details.append(
                ErrorDetail(
                    where,
                    _("Năm phải từ %(start)s đến %(end)s.")
                    % {"start": programme.start_year, "end": programme.end_year},
                )
            )
            continue
        value = change.value
        if value is not None:
            # Check the size before quantize: it raises InvalidOperation past 28 digits.
            if not value.is_finite() or abs(value) >= MAX_TARGET:
                details.append(ErrorDetail(where, _("Số quá lớn.")))
                continue
            value = value.quantize(SIX_PLACES)
            if value < 0:
                details.append(ErrorDetail(where, _("Chỉ tiêu không được âm.")))
                continue
            if value >= MAX_TARGET:
                details.append(ErrorDetail(where, _("Số quá lớn.")))
                continue
            if indicator.unit_of_measure == "%" and value > 100:
                details.append(ErrorDetail(where, _("Tỷ lệ không được vượt quá 100 %.")))
                continue
        current = existing.get((indicator.pk, change.year))
        if current is None and value is None:
            continue
        if current is not None and value is not None and current.value == value:
            continue  # unchanged values keep their own source document
        source = change.source_document.strip()
        if not source:
            details.append(
                ErrorDetail(where, _("Ghi văn bản giao chỉ tiêu (số, ngày) cho thay đổi này."))
            )
            continue
        if len(source) > 300:
            details.append(ErrorDetail(where, _("Tên văn bản dài quá 300 ký tự.")))
            continue
        plan.append((indicator, change, current))
    if details:
        raise InvalidInput(_("Chưa lưu: có ô chỉ tiêu không hợp lệ."), details)
    audits: list[TargetChange] = []
    creates: list[Target] = []
    updates: list[Target] = []
    deletes: list[int] = []
    actor = user if user is not None and user.is_authenticated else None
    for indicator, change, current in plan:
        value = None if change.value is None else change.value.quantize(SIX_PLACES)
        source = change.source_document.strip()
        old_value = _text(current.value) if current is not None else ""
        if value is None:
            action = TargetAction.DELETE
            deletes.append(current.pk)
        elif current is None:
            action = TargetAction.CREATE
            creates.append(
                Target(
                    programme=programme,
                    indicator=indicator,
                    year=change.year,
                    unit=unit,
                    value=value,
                    source_document=source,
                )
            )
        else:
            action = TargetAction.UPDATE
            current.value = value
            current.source_document = source
            current.updated_at = timezone.now()
            updates.append(current)
        audits.append(
            TargetChange(
                programme=programme,
                indicator=indicator,
                unit=unit,
                year=change.year,
                action=action,
                old_value=old_value,
                new_value=_text(value),
                source_document=source,
                user=actor,
            )
        )
    with transaction.atomic():
        if deletes:
            Target.objects.filter(pk__in=deletes).delete()
        if creates:
            Target.objects.bulk_create(creates)
        if updates:
            Target.objects.bulk_update(updates, ["value", "source_document", "updated_at"])
        TargetChange.objects.bulk_create(audits)
        revision.changed()
    return audits


def set_target(
    user: User | AnonymousUser | None,
    programme: Programme,
    indicator: Indicator | str,
    year: int,
    unit: Unit,
    value: Decimal | None,
    source_document: str,
) -> TargetChange | None:
    """Set (or with `value=None` remove) one yearly target. Returns the audit row, or None
    when nothing changed."""
    code = indicator if isinstance(indicator, str) else indicator.code
    changes = set_targets(user, programme, unit, [TargetInput(code, year, value, source_document)])
    return changes[0] if changes else None
