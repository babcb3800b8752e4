"""The former Python roll-up, kept only as the test oracle of the DuckDB engine (issue 21).

`rollup_layers` is what `evaluate_many` did before: one `rollup` per layer of units whose
subtrees do not overlap. `dxboard.evaluation.vectorized` must give the same figures.

Roll data values up a unit's subtree and over a period's sub-periods, in one SQL query.

The query groups the values by (unit group, data element, stored period) and returns SUM
and COUNT per group: a handful of rows per element, never one row per value. The database
merges what the rules allow: the depth of the reporting unit is part of the group only
for the elements whose rule over units needs it ("last" and "none"), and when a single
period is asked, elements summed over units and time are summed over the whole period.
A layer of leaf units (communes without hamlets) has one value per group, so its values
are read as they are stored, without a GROUP BY; one more small query on the units
tells whether they are leaves.

Python then applies the data element's rules to these rows:

1. over units, per stored period: sum (all values in the subtree), average (sum / count),
   last (the values at the highest level that reported, e.g. the province's own figure
   before the communes' sum), none (the unit's own value only);
2. over time: sum, average (of the per-period figures) or last (the figure of the
   latest sub-period that has one).

If an element has values of several period types inside the period (quarters and a
yearly figure), the longest type is used, so nothing is counted twice.

Each stored period is reduced over units once; a period asked for then looks up its own
sub-periods by start date (at most 12), whatever the number of stored periods.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import StrIndex, Substr

from dxboard.collection.models import DataValue
from dxboard.indicators.models import DataElement, TimeAggregation, UnitAggregation
from dxboard.periods import Period, PeriodType
from dxboard.units.models import Unit

MONTHS = {t.value: t.months for t in PeriodType}
# Over units, these rules only need the subtree's SUM and COUNT, not the depth.
DEPTH_FREE = {UnitAggregation.SUM, UnitAggregation.AVERAGE}
ANY_DEPTH = -1
ZERO = Decimal(0)
# The rules as plain strings: comparing with a str is several times cheaper than with
# the enum member, and these comparisons run once per figure.
_LAST, _AVERAGE = TimeAggregation.LAST.value, TimeAggregation.AVERAGE.value
_NONE, _UNIT_AVERAGE = UnitAggregation.NONE.value, UnitAggregation.AVERAGE.value

# {group key: {period code: {element id: value}}}; a missing figure is absent.
Rolled = dict[Hashable, dict[str, dict[int, Decimal]]]
# {period type: {period start: figure over units (None: cells but no figure)}}
_Stored = dict[str, dict[date, Decimal | None]]


def rollup(
    elements: Iterable[DataElement],
    groups: Mapping[Hashable, Unit],
    periods: Iterable[Period],
) -> Rolled:
    """{group key: {period code: {element id: value}}} for every group, period and element.

    `groups` maps a key to a unit; the units' subtrees must not overlap (use one call per
    layer otherwise). A missing figure is absent from the inner dict; every group key and
    period code is present. One value query whatever the sizes (and, for several units,
    one query on the units).
    """
    by_id = {e.pk: e for e in elements}
    periods = list(periods)
    keys = list(groups)
    result: Rolled = {key: {p.code: {} for p in periods} for key in keys}
    if not by_id or not keys or not periods:
        return result
    units = [groups[key] for key in keys]
    stored = _stored(by_id, units, periods)
    types_seen = {ptype for by_type in stored.values() for ptype in by_type}
    # Per stored type, the periods asked that can hold it, with their sub-periods' starts.
    fits = {
        t: [
            (p.code, [s.start for s in p.sub_periods(PeriodType(t))])
            for p in periods
            if MONTHS[t] <= p.type.months
        ]
        for t in types_seen
    }
    for (index, element_id), by_type in stored.items():
        element = by_id[element_id]
        rule = element.aggregation_time
        # Only "none" over units leaves a stored period without a figure.
        may_be_none = element.aggregation_units == _NONE
        out = result[keys[index]]
        if len(by_type) > 1:
            _several_types(rule, may_be_none, periods, by_type, fits, out, element_id)
            continue
        ((ptype, cells),) = by_type.items()
        for code, starts in fits[ptype]:
            if len(starts) == 1:
                # A period of the stored type (a quarter of quarterly data): its figure as
                # stored, whatever the rule over time. Most periods asked are such.
                value = cells.get(starts[0])
                if value is not None:
                    out[code][element_id] = value
                continue
            inside = [cells[s] for s in starts if s in cells]
            if may_be_none:
                inside = [v for v in inside if v is not None]
            if inside:
                out[code][element_id] = _over_time(rule, inside)
    return result


def _several_types(
    rule: str,
    may_be_none: bool,
    periods: list[Period],
    by_type: _Stored,
    fits: dict[str, list[tuple[str, list[date]]]],
    out: dict[str, dict[int, Decimal]],
    element_id: int,
) -> None:
    """`rollup` for an element stored with several period types: the longest type inside
    a period wins, even if its stored periods have no figure ("none" over units)."""
    starts_of = {t: dict(fits[t]) for t in by_type}
    types = sorted(by_type, key=MONTHS.__getitem__, reverse=True)
    for period in periods:
        inside = None
        for ptype in types:
            starts = starts_of[ptype].get(period.code)
            if starts is None:  # the type is longer than the period
                continue
            cells = by_type[ptype]
            inside = [cells[s] for s in starts if s in cells]
            if inside:
                break
        if not inside:
            continue
        if may_be_none:
            inside = [v for v in inside if v is not None]
        if inside:
            out[period.code][element_id] = _over_time(rule, inside)


def _over_time(rule: str, values: list[Decimal]) -> Decimal:
    """The figure of a period from its sub-periods' figures, in order."""
    if rule == _LAST:
        return values[-1]
    total = sum(values, ZERO)
    return total / len(values) if rule == _AVERAGE else total


def _stored(
    elements: dict[int, DataElement], units: list[Unit], periods: list[Period]
) -> dict[tuple[int, int], _Stored]:
    """{(group index, element id): {type: {start: figure over units}}} from one query."""
    rules = {pk: e.aggregation_units for pk, e in elements.items()}
    values = DataValue.objects.filter(
        data_element_id__in=list(elements),
        value__isnull=False,
        period_start__gte=min(p.start for p in periods),
        period_end__lte=max(p.end for p in periods),
    )
    if len(units) > 1 and _are_leaves(units):
        rows, index_of = _leaf_rows(values, units)
    else:
        rows, index_of = _grouped_rows(values, units, elements, periods)
    # Keyed by the group's value in SQL; mapped to the group index once at the end.
    flat: dict[tuple[Any, int, str], dict[date, Decimal | None]] = {}
    by_depth: dict[tuple[Any, int, str, date], dict[int, tuple[Decimal, int]]] = {}
    for grp, row_depth, element_id, ptype, start, total, n in rows:
        if not isinstance(total, Decimal):
            total = Decimal(str(total))
        if row_depth == ANY_DEPTH:
            key = (grp, element_id, ptype)
            cells = flat.get(key)
            if cells is None:
                cells = flat[key] = {}
            # A row of any depth holds the whole subtree: its SUM, or one value (a leaf),
            # which is also its "last" and its "none"; only the average divides.
            if rules[element_id] == _UNIT_AVERAGE:
                cells[start] = total / n if n else None
            else:
                cells[start] = total
        else:
            by_depth.setdefault((grp, element_id, ptype, start), {})[row_depth] = (total, n)
    for (grp, element_id, ptype, start), depths in by_depth.items():
        unit = units[index_of(grp)]
        value = _over_depths(rules[element_id], unit, depths)
        flat.setdefault((grp, element_id, ptype), {})[start] = value
    stored: dict[tuple[int, int], _Stored] = {}
    for (grp, element_id, ptype), cells in flat.items():
        stored.setdefault((index_of(grp), element_id), {})[ptype] = cells
    return stored


def _are_leaves(units: list[Unit]) -> bool:
    """True when no other unit (in force or not) lies under any of the units."""
    under = Unit.objects.filter(reduce(or_, (Q(path__startswith=u.path) for u in units)))
    return not under.exclude(pk__in=[u.pk for u in units]).exists()


def _leaf_rows(values: QuerySet, units: list[Unit]) -> tuple[Iterable[tuple], Callable[[Any], int]]:
    """The values of leaf units as they are stored: one value per (unit, element, period).

    A GROUP BY would not merge any row here, yet it is what costs PostgreSQL most on a
    layer of communes (a sort of every value); a plain indexed scan is about 4 times
    cheaper and needs no join with the units.
    """
    rows = values.filter(unit_id__in=[u.pk for u in units]).values_list(
        "unit_id", "data_element_id", "period_type", "period_start", "value"
    )
    index_of = {u.pk: i for i, u in enumerate(units)}
    return (
        (unit_id, ANY_DEPTH, element_id, ptype, start, value, 1)
        for unit_id, element_id, ptype, start, value in rows.order_by()
    ), index_of.__getitem__


def _grouped_rows(
    values: QuerySet, units: list[Unit], elements: dict[int, DataElement], periods: list[Period]
) -> tuple[Iterable[tuple], Callable[[Any], int]]:
    """SUM and COUNT per (group, depth, element, stored period) of the units' subtrees.

    The database merges what the rules allow: the depth is ANY_DEPTH for the elements
    whose rule over units does not need it, and when one period is asked, an element
    summed over units and time is summed over the whole period (per period type, for the
    longest-type rule), its start set to the period's start.
    """
    rules = {pk: e.aggregation_units for pk, e in elements.items()}
    depth = _per_element(
        [pk for pk, rule in rules.items() if rule in DEPTH_FREE],
        rules,
        Value(ANY_DEPTH, output_field=IntegerField()),
        "unit__depth",
    )
    whole_period = []
    if len(periods) == 1:
        whole_period = [
            pk
            for pk, e in elements.items()
            if e.aggregation_units == UnitAggregation.SUM
            and e.aggregation_time == TimeAggregation.SUM
        ]
    start = _per_element(
        whole_period, rules, Value(periods[0].start, output_field=DateField()), "period_start"
    )
    group, index_of = _group_expression(units)
    # COUNT only serves the average over units.
    if UnitAggregation.AVERAGE in rules.values():
        count: Expression = Count("value")
    else:
        count = Value(1, output_field=IntegerField())
    # period_end is left out of the group: a period's type and start fix its end, and
    # the shorter key lets PostgreSQL hash the groups instead of sorting the rows.
    rows = (
        values.filter(reduce(or_, (Q(unit__path__startswith=u.path) for u in units)))
        .annotate(grp=group, dep=depth, start=start)
        .values_list("grp", "dep", "data_element_id", "period_type", "start")
        .annotate(total=Sum("value"), n=count)
        .order_by()
    )
    return rows, index_of


def _per_element(
    ids: list[int], every: Mapping[int, Any], constant: Value, column: str
) -> Expression:
    """`constant` for the elements `ids`, the column for the others; a constant is not
    grouped by, so the database sums over it."""
    if len(ids) == len(every):
        return constant
    if not ids:
        return F(column)
    return Case(
        When(data_element_id__in=ids, then=constant),
        default=F(column),
        output_field=constant.output_field,
    )


def _group_expression(units: list[Unit]) -> tuple[Expression, Callable[[Any], int]]:
    """The SQL expression naming each value's group, and its value -> group index.

    Siblings (the usual layer: the communes of a province) are told apart by the path
    component after their parent's path, a string function per row; other layers need a
    CASE with one LIKE per unit, which costs PostgreSQL far more per row.
    """
    if len(units) == 1:
        return Value(0, output_field=IntegerField()), int
    parent = units[0].path[: units[0].path.rstrip("/").rfind("/") + 1]
    if all(u.path.startswith(parent) and u.depth == units[0].depth for u in units):
        rest = Substr("unit__path", len(parent) + 1)
        expression = Substr(rest, 1, StrIndex(rest, Value("/")) - 1, output_field=CharField())
        by_component = {u.path[len(parent) : -1]: i for i, u in enumerate(units)}
        return expression, by_component.__getitem__
    expression = Case(
        *(When(unit__path__startswith=u.path, then=Value(i)) for i, u in enumerate(units)),
        output_field=IntegerField(),
    )
    return expression, int


def _over_depths(rule: str, unit: Unit, depths: dict[int, tuple[Decimal, int]]) -> Decimal | None:
    """The rules over units that depend on the depth: "none" and "last"."""
    if rule == _NONE:
        cell = depths.get(unit.depth)
        return cell[0] if cell else None
    return depths[min(depths)][0]


def _layers(units: list[Unit]) -> list[list[Unit]]:
    """Split units into layers whose subtrees do not overlap (deepest first)."""
    layers: list[list[Unit]] = []
    for unit in sorted(units, key=lambda u: -u.depth):
        for layer in layers:
            if not any(u.path.startswith(unit.path) or unit.path.startswith(u.path) for u in layer):
                layer.append(unit)
                break
        else:
            layers.append([unit])
    return layers


def rollup_layers(
    elements: Iterable[DataElement],
    groups: Mapping[Hashable, Unit],
    periods: Iterable[Period],
) -> Rolled:
    """`rollup` for units that may overlap (keyed by unit id), one query per layer."""
    elements, periods = list(elements), list(periods)
    result: Rolled = {}
    for layer in _layers(list(groups.values())):
        result.update(rollup(elements, {u.pk: u for u in layer}, periods))
    return result
