"""The checks every row passes before anything is written.

Codes, period, number format, the user's right to write for the unit, one row per
(element, unit, period), and a share's numerator not above its denominator. Each failed
check becomes an `ImportConflict` naming the row; the rows that pass come back `Clean`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue
from dxboard.indicators.models import DataElement, Indicator, IndicatorKind
from dxboard.periods import InvalidPeriod, Period, parse_period
from dxboard.units.models import Unit
from dxboard.units.resolve import CodeResolver, day_of

from ..permissions import WRITE_VALUES
from .parsing import clean_value, display, is_empty
from .rows import ImportConflict, ImportSummary, ValueRow

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

Triple = tuple[int, int, str]  # (data element id, unit id, period code): a value's key

# DHIS2's default category option combo ("no disaggregation"): its uid on every DHIS2
# server, and its code. DXBoard stores no other disaggregation.
DEFAULT_COMBO_UID = "HllvX50cXC0"
DEFAULT_COMBOS = frozenset(("", "default", DEFAULT_COMBO_UID))

# Roles that may enter figures for a unit (and its subtree).
WRITER_ROLES = WRITE_VALUES.roles


@dataclass
class Clean:
    """A row that passed every check, with what it refers to and what it stores."""

    row: ValueRow
    element: DataElement
    unit: Unit
    period: Period
    number: Decimal | None
    text: str
    delete: bool
    key: Triple
    # What is stored besides the figure, decided by `saving.plan_changes` (a row that does
    # not name them keeps the stored ones).
    comment: str = ""
    stored_by: str = ""
    followup: bool = False
    # The row's position in the document, for the conflicts found after `validate`.
    index: int | None = None


def ratio_pairs(element_ids: Iterable[int] | None = None) -> list[tuple[int, int, str]]:
    """(numerator id, denominator id, indicator code) for share indicators (unit "%").

    A share's numerator cannot exceed its denominator; indicators "per 100 inhabitants"
    and other ratios are not checked.
    """
    query = Indicator.objects.filter(kind=IndicatorKind.RATIO, unit_of_measure="%")
    if element_ids is not None:
        ids = list(element_ids)
        query = query.filter(Q(numerator_id__in=ids) | Q(denominator_id__in=ids))
    return list(query.values_list("numerator_id", "denominator_id", "code"))


def validate(
    user: User | AnonymousUser | None,
    items: list[ValueRow],
    summary: ImportSummary,
    *,
    machine_format: bool = False,
    codes_today: bool = False,
) -> list[Clean]:
    """The rows that pass every check; a conflict in `summary` for each row that does not.

    A unit code means the unit in force at the end of the row's period, except with
    `codes_today` (figures the system computes from its registers: a register records the
    unit itself, as it stands today, so its code is read today).

    `machine_format`: numbers are read in the machine format only (see `clean_value`).
    """
    conflicts = summary.conflicts
    element_codes = {row.data_element for row in items}
    unit_codes = {row.org_unit for row in items}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_codes)}
    # A code names the unit in force at the end of the row's period (issue 17): code 80
    # is Long An for 2024, Tây Ninh for 2025Q3. All candidate units in one query.
    resolver = CodeResolver(unit_codes)
    # Access is decided on the resolved unit from the user's membership paths (read once
    # per user): the officer of a new commune writes for its predecessors too.
    everywhere = user is None or user.is_superuser
    today = timezone.localdate()

    cleaned: list[Clean] = []
    seen: dict[tuple[str, str, str], str] = {}
    # A file names a few periods many times over: parse each code once.
    periods: dict[str, Period | InvalidPeriod] = {}
    for index, row in enumerate(items):
        bad = len(conflicts)

        def conflict(obj: str, field: str, message: str, code: str = "") -> None:
            conflicts.append(ImportConflict(obj, row.path, message, index, field, code))  # noqa: B023

        element = elements.get(row.data_element)
        if element is None:
            conflict(
                row.data_element,
                "dataElement",
                _("Không có phần tử số liệu mã “%(code)s”.") % {"code": row.data_element},
                "E7610",
            )
        period = periods.get(row.period)
        if period is None:
            try:
                period = periods[row.period] = parse_period(row.period)
            except InvalidPeriod as error:
                period = periods[row.period] = error
        day = date.today() if codes_today or isinstance(period, InvalidPeriod) else day_of(period)
        unit = resolver.at(row.org_unit, day)
        if isinstance(unit, Unit) and not everywhere and not unit.is_visible_to(user):
            unit = None
        if unit is None or (isinstance(unit, str) and not resolver.known(row.org_unit)):
            conflict(
                row.org_unit,
                "orgUnit",
                _("Không có đơn vị mã “%(code)s” (hoặc bạn không được xem đơn vị này).")
                % {"code": row.org_unit},
                "E7612",
            )
            unit = None
        elif isinstance(unit, str):
            # No unit with that code was in force during the period: not found, for DHIS2.
            conflict(row.org_unit, "orgUnit", unit, "E7612")
            unit = None
        elif not everywhere and not unit.is_visible_to(user, roles=WRITER_ROLES):
            conflict(
                row.org_unit,
                "orgUnit",
                _("Bạn không có quyền nhập số liệu cho đơn vị “%(name)s”.") % {"name": unit.name},
                "E7617",
            )
        if isinstance(period, InvalidPeriod):
            conflict(row.period, "period", str(period), "E7611")
            period = None
        elif period.start > today:
            # A figure for a period that has not begun cannot have been measured; the
            # Excel path always refused it (its period is not open), now every channel does.
            conflict(
                row.period,
                "period",
                _("Kỳ %(period)s chưa bắt đầu (từ %(start)s); chưa nhập được số liệu.")
                % {"period": row.period, "start": period.start.strftime("%d/%m/%Y")},
                "E7611",
            )
            period = None
        for field, combo, combo_error in (
            ("categoryOptionCombo", row.category_option_combo, "E7613"),
            ("attributeOptionCombo", row.attribute_option_combo, "E7615"),
        ):
            if combo not in DEFAULT_COMBOS:
                conflict(
                    combo,
                    field,
                    _(
                        "%(field)s “%(combo)s” không có trong DXBoard: chỉ nhận nhóm mặc định "
                        "(để trống, “default” hoặc “%(uid)s”)."
                    )
                    % {"field": field, "combo": combo, "uid": DEFAULT_COMBO_UID},
                    combo_error,
                )
        number, text, delete = None, "", row.deleted or is_empty(row.value)
        if element is not None and not delete:
            try:
                number, text = clean_value(element, row.value, machine_format=machine_format)
            except ValueError as error:
                conflict(str(row.value), "value", str(error), "E7619")
        if len(conflicts) > bad:
            continue
        key = (row.data_element, row.org_unit, period.code)
        if key in seen:
            conflict(
                row.data_element,
                "dataElement",
                _("Trùng số liệu với %(other)s (cùng phần tử, đơn vị và kỳ).")
                % {"other": seen[key]},
            )
            continue
        seen[key] = row.path
        summary.taken_units.setdefault((row.org_unit, period.code), unit)
        key = (element.pk, unit.pk, period.code)
        cleaned.append(Clean(row, element, unit, period, number, text, delete, key, index=index))

    return check_ratios(cleaned, summary)


def check_ratios(cleaned: list[Clean], summary: ImportSummary) -> list[Clean]:
    """Reject a share's numerator above its denominator (same unit and period).

    The other element's value comes from the same batch, or else from the database.
    """
    pairs = ratio_pairs({c.key[0] for c in cleaned})
    if not pairs:
        return cleaned
    pair_elements = {e for pair in pairs for e in pair[:2]}
    batch: dict[Triple, Clean] = {c.key: c for c in cleaned if c.key[0] in pair_elements}
    stored = {
        (de, unit, period): value
        for de, unit, period, value in DataValue.objects.filter(
            data_element_id__in=pair_elements,
            unit_id__in={key[1] for key in batch},
            period__in={key[2] for key in batch},
        ).values_list("data_element_id", "unit_id", "period", "value")
    }
    # The batch's rows by element, in batch order, so each pair visits only its own rows
    # (a pair used to scan the whole batch: pairs × rows steps for a province file).
    by_element: dict[int, list[tuple[int, Triple, Clean]]] = {}
    for index, (key, item) in enumerate(batch.items()):
        by_element.setdefault(key[0], []).append((index, key, item))

    def value_of(key: Triple) -> Decimal | None:
        if key in batch:
            item = batch[key]
            return None if item.delete else item.number
        return stored.get(key)

    rejected: set[int] = set()
    for num_id, den_id, code in pairs:
        numerators, denominators = by_element.get(num_id, []), by_element.get(den_id, [])
        rows = numerators if num_id == den_id else heapq.merge(numerators, denominators)
        for _index, (element_id, unit_id, period), item in rows:
            num_key, den_key = (num_id, unit_id, period), (den_id, unit_id, period)
            if element_id == den_id and num_key in batch:
                continue  # reported once, on the numerator's row
            numerator, denominator = value_of(num_key), value_of(den_key)
            if numerator is None or denominator is None or numerator <= denominator:
                continue
            culprit = batch.get(num_key, item)
            if id(culprit) in rejected:
                continue
            rejected.add(id(culprit))
            summary.conflicts.append(
                ImportConflict(
                    culprit.row.data_element,
                    culprit.row.path,
                    _(
                        "Tử số %(numerator)s lớn hơn mẫu số %(denominator)s của chỉ tiêu "
                        "%(indicator)s (đơn vị %(unit)s, kỳ %(period)s)."
                    )
                    % {
                        "numerator": display(numerator, ""),
                        "denominator": display(denominator, ""),
                        "indicator": code,
                        "unit": culprit.unit.code,
                        "period": period,
                    },
                    culprit.index,
                    "value",
                )
            )
    return [c for c in cleaned if id(c) not in rejected]
