"""What a unit code means on a date (issue 17, point 2).

The same number can name two units: province 80 was Long An until 30/06/2025 and is
Tây Ninh since 01/07/2025; commune codes continue the old series. So:

- an interface that *carries figures* (dataValueSets, dataValues, Excel templates,
  targets) resolves a code at the figure's period with `unit_at` / `units_at`: the unit
  in force on the last day of the period (the unit that reports it);
- an interface that *looks at* a unit (unit pages, the units API, the dashboard,
  evaluation) takes today's unit with `unit_as_of(code, None)` and a former one with
  `unit_as_of(code, as_of)` (`asOf=DATE`, `--as-of DATE`).

A code that names no unit on that day, or two, is `InvalidInput` with an `ErrorDetail`
naming the row (the `path` the caller gives).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.periods import Period

from .models import Unit, UnitQuerySet, UnitSuccession


def day_of(period: Period) -> dt.date:
    """The day a figure of `period` is resolved at: its last day."""
    return period.end


def _no_unit(code: str, day: dt.date) -> str:
    return _("Mã đơn vị “%(code)s” không ứng với đơn vị nào có hiệu lực ngày %(day)s.") % {
        "code": code,
        "day": day.strftime("%d/%m/%Y"),
    }


def _two_units(code: str, day: dt.date, units: list[Unit]) -> str:
    names = ", ".join(f"“{u.name}”" for u in units)
    return _("Mã đơn vị “%(code)s” ứng với nhiều đơn vị có hiệu lực ngày %(day)s (%(names)s).") % {
        "code": code,
        "day": day.strftime("%d/%m/%Y"),
        "names": names,
    }


def units_at(
    codes: Iterable[str], day: dt.date, *, among: UnitQuerySet | None = None
) -> tuple[dict[str, Unit], dict[str, str]]:
    """Resolve many codes at one date in one query.

    Returns (code -> unit, code -> error message) for codes naming exactly one unit and
    for the others. `among` narrows the search (e.g. the units a user may see); a code
    outside it counts as naming no unit."""
    wanted = {c for c in codes if c}
    query = among if among is not None else Unit.objects.all()
    found: dict[str, list[Unit]] = defaultdict(list)
    for unit in query.in_force(on=day).filter(code__in=wanted):
        found[unit.code].append(unit)
    units: dict[str, Unit] = {}
    errors: dict[str, str] = {}
    for code in wanted:
        matches = found.get(code, [])
        if len(matches) == 1:
            units[code] = matches[0]
        elif matches:
            errors[code] = _two_units(code, day, matches)
        else:
            errors[code] = _no_unit(code, day)
    return units, errors


def unit_at(
    code: str, day: dt.date, *, path: str = "orgUnit", among: UnitQuerySet | None = None
) -> Unit:
    """The one unit that `code` names on `day`; `InvalidInput` naming `path` otherwise."""
    units, errors = units_at([code], day, among=among)
    if code in units:
        return units[code]
    message = errors.get(code) or _no_unit(code, day)
    raise InvalidInput(message, [ErrorDetail(path, message)])


def parse_as_of(value: str | dt.date | None, *, path: str = "asOf") -> dt.date | None:
    """`asOf=2024-12-31` (ISO) or `31/12/2024`; empty means today's units."""
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    message = _("Ngày “%(value)s” không hợp lệ: dùng 2024-12-31 hoặc 31/12/2024.") % {
        "value": value
    }
    raise InvalidInput(message, [ErrorDetail(path, message)])


def unit_as_of(code: str, as_of: dt.date | None, *, among: UnitQuerySet | None = None) -> Unit:
    """The unit a page or a query *looks at*: today's unit for `code` when `as_of` is
    None, else the unit in force on `as_of` (`evaluate --unit 80 --as-of 2024-12-31` is
    former Long An). A code naming nothing (in `among`) is `NotFound`."""
    query = among if among is not None else Unit.objects.all()
    if as_of is None:
        unit = query.filter(code=code, valid_to__isnull=True).select_related("parent").first()
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": code})
        return unit
    units = list(
        query.filter(code=code)
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=as_of),
            Q(valid_to__isnull=True) | Q(valid_to__gte=as_of),
        )
        .select_related("parent")[:2]
    )
    if len(units) != 1:
        message = _two_units(code, as_of, units) if units else _no_unit(code, as_of)
        raise NotFound(message)
    return units[0]


class CodeResolver:
    """Resolve the codes of a whole file at the dates of its rows with one query.

    `at(code, day)` is the unit, or the Vietnamese message when the code names no unit
    that day or two; `known(code)` tells a code unknown at any date from one that only
    names no unit on that day.

    A unit whose history is not recorded (no predecessor: a province that loaded only the
    units in force, without `load-units --legacy`) still answers for the days before its
    start when it is the only unit of that code: without the former units there is no
    other unit the figure could belong to. Once predecessors are recorded, a day before
    its start names them, not it.
    """

    def __init__(self, codes: Iterable[str], *, among: UnitQuerySet | None = None) -> None:
        query = among if among is not None else Unit.objects.all()
        self._units: dict[str, list[Unit]] = defaultdict(list)
        for unit in query.filter(code__in={c for c in codes if c}):
            self._units[unit.code].append(unit)
        ids = [u.pk for units in self._units.values() for u in units]
        self._with_history = set(
            UnitSuccession.objects.filter(successor_id__in=ids).values_list(
                "successor_id", flat=True
            )
        )

    def known(self, code: str) -> bool:
        return bool(self._units.get(code))

    def at(self, code: str, day: dt.date) -> Unit | str:
        matches = [
            u
            for u in self._units.get(code, [])
            if (u.valid_from is None or u.valid_from <= day)
            and (u.valid_to is None or u.valid_to >= day)
        ]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            units = self._units.get(code, [])
            if (
                len(units) == 1
                and units[0].valid_from is not None
                and units[0].valid_from > day
                and units[0].pk not in self._with_history
            ):
                return units[0]
        return _two_units(code, day, matches) if matches else _no_unit(code, day)
