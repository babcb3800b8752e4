"""Rules of a reorganisation: split shares, no cycle, no overlapping validity (issue 17).

- The shares of a former unit split between several units add up to exactly 1.
- A succession never makes a cycle (A → B → … → A).
- A former unit is no longer valid on the day its successor takes over: its `valid_to`
  is before the succession's date, and the successor's `valid_from` not before it
  (except a split in which the former unit keeps existing).

Each rule fails with a Vietnamese message naming the unit; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dxboard import permissions, revision
from dxboard.errors import ErrorDetail, InvalidInput

from .models import SuccessionKind, Unit, UnitSuccession
from .services import predecessor_ids

ONE = Decimal(1)
PLACES = Decimal("0.000001")


def would_make_cycle(predecessor: Unit, successor: Unit) -> bool:
    """Whether `predecessor → successor` would close a loop: the successor is already
    one of the predecessor's own predecessors (or the predecessor itself)."""
    return predecessor.pk == successor.pk or successor.pk in predecessor_ids(predecessor)


def check_no_cycle(predecessors: Iterable[Unit], successor: Unit) -> None:
    for predecessor in predecessors:
        if would_make_cycle(predecessor, successor):
            message = _(
                "Không ghi được: “%(new)s” đã là đơn vị cũ của “%(old)s”, quan hệ kế thừa "
                "sẽ thành vòng lặp."
            ) % {"new": successor.name, "old": predecessor.name}
            raise InvalidInput(message, [ErrorDetail(f"predecessor.{predecessor.code}", message)])


def _share(value: Any, path: str) -> Decimal:
    try:
        share = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        share = Decimal("NaN")
    if not share.is_finite() or share <= 0 or share > ONE:
        message = _("Tỷ lệ “%(value)s” không hợp lệ: nhập số lớn hơn 0 và không quá 1.") % {
            "value": value
        }
        raise InvalidInput(message, [ErrorDetail(path, message)])
    if share != share.quantize(PLACES):
        message = _("Tỷ lệ “%(value)s” có quá 6 chữ số thập phân.") % {"value": value}
        raise InvalidInput(message, [ErrorDetail(path, message)])
    return share


def check_shares_add_up(predecessor: Unit, shares: dict[str, Decimal]) -> None:
    total = sum(shares.values(), Decimal(0))
    if total != ONE:
        message = _("Các tỷ lệ chia tách của “%(name)s” cộng lại bằng %(total)s, phải bằng 1.") % {
            "name": predecessor.name,
            "total": f"{total.normalize():f}".replace(".", ","),
        }
        raise InvalidInput(message, [ErrorDetail(f"shares.{predecessor.code}", message)])


def check_validity(unit: Unit, valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    """A unit's new validity must not overlap its successors' or predecessors'."""
    errors: list[ErrorDetail] = []
    if valid_to is not None:
        for row in unit.successions_out.select_related("successor"):
            keeps = row.kind == SuccessionKind.SPLIT and unit.valid_to is None
            if not keeps and valid_to >= row.effective_on:
                errors.append(
                    ErrorDetail(
                        "valid_to",
                        _(
                            "“%(name)s” phải hết hiệu lực trước ngày %(day)s, ngày "
                            "“%(new)s” kế thừa nó."
                        )
                        % {
                            "name": unit.name,
                            "day": row.effective_on.strftime("%d/%m/%Y"),
                            "new": row.successor.name,
                        },
                    )
                )
    reopened = valid_to is None and unit.valid_to is not None
    if reopened and unit.successions_out.exclude(kind=SuccessionKind.SPLIT).exists():
        errors.append(
            ErrorDetail(
                "valid_to",
                _("“%(name)s” đã có đơn vị kế thừa, không mở lại hiệu lực được.")
                % {"name": unit.name},
            )
        )
    if valid_from is not None:
        for row in unit.successions_in.select_related("predecessor"):
            if valid_from < row.effective_on:
                errors.append(
                    ErrorDetail(
                        "valid_from",
                        _(
                            "“%(name)s” không thể có hiệu lực trước ngày %(day)s, ngày nó "
                            "kế thừa “%(old)s”."
                        )
                        % {
                            "name": unit.name,
                            "day": row.effective_on.strftime("%d/%m/%Y"),
                            "old": row.predecessor.name,
                        },
                    )
                )
    if errors:
        raise InvalidInput(errors[0].message, errors)


@transaction.atomic
def record_split(
    user: Any,
    predecessor: Unit,
    parts: list[tuple[Unit, Any]],
    date: dt.date,
    legal_reference: str = "",
    *,
    keeps_existing: bool = False,
) -> list[UnitSuccession]:
    """Record that `predecessor` was split between the units of `parts` on `date`, each
    taking the given share; the shares add up to 1. The former unit is closed the day
    before unless `keeps_existing`."""
    for unit in [predecessor, *(successor for successor, _share_value in parts)]:
        permissions.require(user, "units.edit_succession", unit)
    if len(parts) < 2:
        message = _("Chia tách cần ít nhất hai đơn vị mới.")
        raise InvalidInput(message, [ErrorDetail("parts", message)])
    shares = {
        successor.code: _share(value, f"shares.{successor.code}") for successor, value in parts
    }
    check_shares_add_up(predecessor, shares)
    check_no_cycle([predecessor], parts[0][0])
    for successor, _value in parts:
        check_no_cycle([predecessor], successor)
    rows = []
    for successor, _value in parts:
        row, _created = UnitSuccession.objects.update_or_create(
            predecessor=predecessor,
            successor=successor,
            defaults={
                "kind": SuccessionKind.SPLIT,
                "effective_on": date,
                "legal_reference": legal_reference,
                "share": shares[successor.code],
            },
        )
        rows.append(row)
    if not keeps_existing and (predecessor.valid_to is None or predecessor.valid_to >= date):
        predecessor.valid_to = date - dt.timedelta(days=1)
        predecessor.save(update_fields=["valid_to", "updated_at"])
    return rows


@transaction.atomic
def set_split_shares(user: Any, predecessor: Unit, shares: dict[str, Any]) -> list[UnitSuccession]:
    """Change the shares of a split former unit, e.g. from areas to population shares.

    `shares` maps each successor's code to its share; every successor of the split is
    given, and the shares add up to 1."""
    permissions.require(user, "units.edit_succession", predecessor)
    rows = {
        row.successor.code: row
        for row in predecessor.successions_out.filter(kind=SuccessionKind.SPLIT).select_related(
            "successor"
        )
    }
    if not rows:
        message = _("“%(name)s” không bị chia tách.") % {"name": predecessor.name}
        raise InvalidInput(message, [ErrorDetail("shares", message)])
    unknown = sorted(set(shares) - set(rows))
    missing = sorted(set(rows) - set(shares))
    if unknown or missing:
        errors = [
            ErrorDetail(f"shares.{code}", _("Đơn vị này không nhận phần của đơn vị cũ."))
            for code in unknown
        ] + [ErrorDetail(f"shares.{code}", _("Thiếu tỷ lệ của đơn vị này.")) for code in missing]
        raise InvalidInput(_("Danh sách đơn vị mới không khớp với việc chia tách."), errors)
    parsed = {code: _share(value, f"shares.{code}") for code, value in shares.items()}
    check_shares_add_up(predecessor, parsed)
    for code, row in rows.items():
        row.share = parsed[code]
    UnitSuccession.objects.bulk_update(list(rows.values()), ["share"])
    # bulk_update sends no signal: cached evaluations read these shares (issue 17).
    revision.changed()
    return list(rows.values())
