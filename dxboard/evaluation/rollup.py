"""Roll data values up a unit's subtree and over a period's sub-periods, in one SQL query.

The query groups the values by (unit group, data element, sub-period, unit depth) and
returns SUM and COUNT per group: a handful of rows per element, never one row per value.
Python then applies the data element's rules to these aggregated rows:

1. over units, per sub-period: sum (all values in the subtree), average (sum / count),
   last (the values at the highest level that reported, e.g. the province's own figure
   before the communes' sum), none (the unit's own value only);
2. over time: sum, average (of the per-period figures) or last (the figure of the
   latest sub-period that has one).

If an element has values of several period types inside the period (quarters and a
yearly figure), the longest type is used, so nothing is counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from dxboard.collection.models import DataValue
from dxboard.indicators.models import DataElement, TimeAggregation, UnitAggregation
from dxboard.periods import Period, PeriodType
from dxboard.units.models import Unit

MONTHS = {t.value: t.months for t in PeriodType}


@dataclass(frozen=True)
class _Cell:
    total: Decimal
    count: int


def rollup(
    elements: Iterable[DataElement],
    groups: Mapping[Hashable, Unit],
    periods: Iterable[Period],
) -> dict[tuple[Hashable, str, int], Decimal | None]:
    """{(group key, period code, element id): value} for every group, period and element.

    `groups` maps a key to a unit; the units' subtrees must not overlap (use one call per
    layer otherwise). A missing figure is None. One SQL query whatever the sizes.
    """
    elements = {e.pk: e for e in elements}
    periods = list(periods)
    keys = list(groups)
    result: dict[tuple[Hashable, str, int], Decimal | None] = {
        (key, p.code, e): None for key in keys for p in periods for e in elements
    }
    if not elements or not keys or not periods:
        return result
    units = [groups[key] for key in keys]
    query = DataValue.objects.filter(
        data_element_id__in=list(elements),
        value__isnull=False,
        period_start__gte=min(p.start for p in periods),
        period_end__lte=max(p.end for p in periods),
    ).filter(reduce(or_, (Q(unit__path__startswith=u.path) for u in units)))
    if len(units) == 1:
        query = query.annotate(grp=Value(0, output_field=IntegerField()))
    else:
        query = query.annotate(
            grp=Case(
                *(When(unit__path__startswith=u.path, then=Value(i)) for i, u in enumerate(units)),
                output_field=IntegerField(),
            )
        )
    rows = (
        query.values(
            "grp",
            "data_element_id",
            "period_type",
            "period_start",
            "period_end",
            "unit__depth",
        )
        .annotate(total=Sum("value"), n=Count("value"))
        .order_by()
    )
    # cells[(group index, element)][(type, start, end)][depth] = _Cell
    cells: dict[tuple[int, int], dict[tuple[str, object, object], dict[int, _Cell]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for row in rows:
        total = row["total"]
        if not isinstance(total, Decimal):
            total = Decimal(str(total))
        cells[(row["grp"], row["data_element_id"])][
            (row["period_type"], row["period_start"], row["period_end"])
        ][row["unit__depth"]] = _Cell(total, row["n"])
    for index, key in enumerate(keys):
        unit = units[index]
        for element_id, element in elements.items():
            by_period = cells.get((index, element_id))
            if not by_period:
                continue
            for period in periods:
                result[(key, period.code, element_id)] = _reduce(element, unit, period, by_period)
    return result


def _reduce(element: DataElement, unit: Unit, period: Period, by_period) -> Decimal | None:
    inside = [
        (ptype, start, end, depths)
        for (ptype, start, end), depths in by_period.items()
        if start >= period.start and end <= period.end
    ]
    if not inside:
        return None
    longest = max(MONTHS[ptype] for ptype, *_rest in inside)
    per_period: list[tuple[object, Decimal]] = []
    for ptype, start, _end, depths in sorted(inside, key=lambda item: item[1]):
        if MONTHS[ptype] != longest:
            continue
        value = _over_units(element.aggregation_units, unit, depths)
        if value is not None:
            per_period.append((start, value))
    if not per_period:
        return None
    values = [value for _start, value in per_period]
    rule = element.aggregation_time
    if rule == TimeAggregation.LAST:
        return values[-1]
    if rule == TimeAggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    return sum(values, Decimal(0))


def _over_units(rule: str, unit: Unit, depths: dict[int, _Cell]) -> Decimal | None:
    if rule == UnitAggregation.NONE:
        cell = depths.get(unit.depth)
        return cell.total if cell else None
    if rule == UnitAggregation.LAST:
        return depths[min(depths)].total
    total = sum((cell.total for cell in depths.values()), Decimal(0))
    if rule == UnitAggregation.AVERAGE:
        count = sum(cell.count for cell in depths.values())
        return total / count if count else None
    return total
