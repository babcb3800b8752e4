"""The roll-up of data values run by DuckDB over the live database (issue 21).

    rollup(elements, groups, periods, sources=None) -> Rolled
        # {group key: {period code: {element id: value}}}, with .estimated

The one definition of the rules over units and over time (the former Python roll-up is
kept only as a test oracle, `dxboard/evaluation/tests/oracle.py`):

1. over units, per stored period, over the values of every unit whose path lies under
   the group's unit (itself included): sum; average (sum / number of values); last (the
   values of the highest level that reported, e.g. the province's own figure before the
   communes' sum); none (the unit's own value only: a stored period with values below it
   but none of its own has no figure);
2. over time, for a period asked, from the stored periods inside it: if the element has
   several period types there, the longest type wins (even when its stored periods have
   no figure, "none" above), so nothing is counted twice; then sum, average (of the
   figures) or last (the figure of the latest stored period that has one).

Sums are exact decimals. An average divides in floating point (DuckDB has no exact
decimal division) and is brought back to 12 decimal places: it differs from an exact
quotient by less than 1e-12 relative, far below the 6 places achievement is rounded to.
An average of a single figure is that figure, exactly.

Units of every layer are evaluated in one query (each value is joined to its unit's
ancestors, read from the path), so overlapping units (a province and its communes) need
no separate pass.

`sources` (the 2025 reorganisation, `dxboard.units.history.sources_for`): a group may be
read from a weighted set of source units instead of its own subtree: {group key: [objects
with .unit_id and .share, and optionally .estimated and .until]}. Per stored period, the
group's figure is then Σ share × the source's figure for an element summed over units,
and the share-weighted mean of the sources' figures for the other rules (a share of an
average is still an average); a source with `until` counts only for the stored periods
whose last day is not after it; the rule over time then runs on those
combined figures, so a quarter-by-quarter stock reads its last quarter across 1 July
2025. A figure that took a source marked estimated (a split share) is listed in
`Rolled.estimated`. Default: the unit itself, 1.

Where the values are read: the live database attached read-only (`engine.attached`). Inside
a transaction (a service that writes then evaluates, and every test that does not ask for
`transaction=True`), another connection would not see the transaction's own writes, so the
rows are read through Django's connection and handed to DuckDB, which applies the same SQL.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q

from dxboard.collection.models import DataValue
from dxboard.evaluation import engine
from dxboard.indicators.models import DataElement
from dxboard.periods import Period
from dxboard.units.models import Unit

_PATH = re.compile(r"^/(\d+/)+$")


class SourceLike(Protocol):
    unit_id: int
    share: Decimal


# The rules, once for every caller. `vals` (unit_id, element, ptype, ps, value) and `units`
# (id, path, depth) are the two relations read; the rest arrives as list parameters.
_RULES = """
src AS (SELECT UNNEST($src_key) AS k, UNNEST($src_unit) AS src_id,
               CAST(UNNEST($src_share) AS DECIMAL(10, 6)) AS share,
               CAST(UNNEST($src_est) AS BOOLEAN) AS est,
               CAST(UNNEST($src_until) AS DATE) AS until),
el AS (SELECT UNNEST($el_id) AS el, UNNEST($el_units) AS urule, UNNEST($el_time) AS trule),
per AS (SELECT UNNEST($per_code) AS code, UNNEST($per_months) AS months,
               CAST(UNNEST($per_start) AS DATE) AS pstart, CAST(UNNEST($per_end) AS DATE) AS pend),
anc AS (  -- each unit with those of its ancestors (itself included) that are sources
    SELECT u.id AS unit_id, u.depth, CAST(a.part AS BIGINT) AS src_id
    FROM units u, UNNEST(string_split(trim(u.path, '/'), '/')) AS a(part)
    WHERE CAST(a.part AS BIGINT) IN (SELECT src_id FROM src)
),
joined AS MATERIALIZED (  -- each value with each source unit whose subtree holds it
    SELECT a.src_id, v.el, v.ps, a.depth, v.unit_id = a.src_id AS own, v.value, e.urule,
           CASE WHEN v.ptype = 'month' THEN 1 WHEN v.ptype = 'quarter' THEN 3
                WHEN v.ptype = 'half_year' THEN 6 ELSE 12 END AS tmonths
    FROM vals v
    JOIN anc a ON a.unit_id = v.unit_id
    JOIN el e ON e.el = v.el
),
flat AS (  -- sum and average over units need the subtree's SUM and COUNT only
    SELECT src_id, el, ps, tmonths,
           -- every branch the same DECIMAL: a CASE mixing DECIMAL and DOUBLE is a DOUBLE
           -- (the sum would lose its exactness), and one mixing DECIMAL(38, 6) and
           -- DECIMAL(38, 12) is a DECIMAL(38, 6) (an average would lose its places)
           CASE WHEN any_value(urule) = 'sum' OR COUNT(*) = 1
                     THEN CAST(SUM(value) AS DECIMAL(38, 12))
                ELSE CAST(CAST(SUM(value) AS DOUBLE) / COUNT(*) AS DECIMAL(38, 12)) END AS fig
    FROM joined WHERE urule IN ('sum', 'average')
    GROUP BY src_id, el, ps, tmonths
),
deep AS (  -- last and none need the depth: per depth first
    SELECT src_id, el, ps, tmonths, depth, any_value(urule) AS urule,
           SUM(value) AS t, SUM(value) FILTER (WHERE own) AS own
    FROM joined WHERE urule NOT IN ('sum', 'average')
    GROUP BY src_id, el, ps, tmonths, depth
),
cell AS (  -- the rule over units: one figure per stored period (NULL: cells, no figure)
    SELECT src_id, el, ps, tmonths, fig FROM flat
    UNION ALL
    SELECT src_id, el, ps, tmonths,
           CAST(CASE WHEN any_value(urule) = 'last' THEN arg_min(t, depth) ELSE SUM(own) END
                AS DECIMAL(38, 12)) AS fig
    FROM deep GROUP BY src_id, el, ps, tmonths
)
"""

# The rule over time, on `cells` (g, el, ps, tmonths, fig, est): per group of the
# figures `g`, one figure per stored period.
_TIME = """
inside AS (  -- each stored period inside each period asked that can hold its type
    SELECT c.g, c.el, c.ps, c.tmonths, c.fig, c.est, p.code
    FROM cells c JOIN per p ON c.ps >= p.pstart AND c.ps <= p.pend AND c.tmonths <= p.months
),
longest AS (SELECT g, el, code, MAX(tmonths) AS m FROM inside GROUP BY ALL),
timed AS (  -- the rule over time, on the longest type only
    SELECT i.g, i.el, i.code,
           bool_or(i.est) FILTER (WHERE i.fig IS NOT NULL) AS est,
           CASE e.trule
                WHEN 'last' THEN arg_max(i.fig, i.ps) FILTER (WHERE i.fig IS NOT NULL)
                WHEN 'average' THEN CASE WHEN COUNT(i.fig) = 1 THEN SUM(i.fig)
                    ELSE CAST(CAST(SUM(i.fig) AS DOUBLE) / COUNT(i.fig) AS DECIMAL(38, 12)) END
                ELSE SUM(i.fig) END AS fig
    FROM inside i
    JOIN longest l ON l.g = i.g AND l.el = i.el AND l.code = i.code AND l.m = i.tmonths
    JOIN el e ON e.el = i.el
    GROUP BY i.g, i.el, i.code, e.trule
)
"""

# The default: each group is its own unit with weight 1, so the time rule runs per source
# unit and the groups are joined at the end (no weighting step).
_DIRECT = (
    "cells AS (SELECT src_id AS g, el, ps, tmonths, fig, FALSE AS est FROM cell), "
    + _TIME
    + ", figures AS (SELECT s.k, t.code, t.el, t.fig, t.est FROM timed t "
    "JOIN src s ON s.src_id = t.g)"
)
# Weighted sources: the stored periods of the sources are combined first, each inside
# its window, and the time rule runs on the combined figures. Combining after the time
# rule would add a former unit's figure of the last quarter before the reform to the
# new unit's of the year's last quarter for an element whose figure over time is the
# last one (a stock), and two averages for one.
_WEIGHTED = (
    """
cells AS (
    SELECT s.k AS g, c.el, c.ps, c.tmonths,
           -- each branch DECIMAL(38, 12) (see flat): mixed with a DOUBLE the shares' sum
           -- came out 1e-12 off (the property test of issue 17)
           CASE WHEN COUNT(c.fig) = 0 THEN NULL
                WHEN COUNT(c.fig) = 1 AND MAX(s.share) FILTER (WHERE c.fig IS NOT NULL) = 1
                    THEN CAST(SUM(c.fig) AS DECIMAL(38, 12))
                WHEN any_value(e.urule) = 'sum' THEN CAST(SUM(c.fig * s.share) AS DECIMAL(38, 12))
                ELSE CAST(CAST(SUM(c.fig * s.share) AS DOUBLE)
                     / SUM(s.share) FILTER (WHERE c.fig IS NOT NULL) AS DECIMAL(38, 12))
                END AS fig,
           COALESCE(bool_or(s.est) FILTER (WHERE c.fig IS NOT NULL), FALSE) AS est
    FROM cell c JOIN src s ON s.src_id = c.src_id JOIN el e ON e.el = c.el
    -- the stored period's last day is not after `until`: ps + its months <= until + 1 day
    WHERE s.until IS NULL
       OR CAST(c.ps + to_months(CAST(c.tmonths AS INTEGER)) AS DATE) <= s.until + 1
    GROUP BY s.k, c.el, c.ps, c.tmonths
), """
    + _TIME
    + ", figures AS (SELECT g AS k, code, el, fig, est FROM timed)"
)


class Rolled(dict):
    """{group key: {period code: {element id: value}}}, and in `estimated` the (group
    key, period code, element id) whose figure takes a split share of a former unit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.estimated: set[tuple[Hashable, str, int]] = set()


def rollup(
    elements: Iterable[DataElement],
    groups: Mapping[Hashable, Unit],
    periods: Iterable[Period],
    sources: Mapping[Hashable, Sequence[SourceLike]] | None = None,
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> Rolled:
    """{group key: {period code: {element id: value}}} for every group, period and element.

    A missing figure is absent from the inner dict; every group key and period code is
    present. The groups may overlap. One DuckDB query whatever the sizes.
    """
    by_id = {e.pk: e for e in elements}
    periods = list(periods)
    keys = list(groups)
    result = Rolled({key: {p.code: {} for p in periods} for key in keys})
    if not by_id or not keys or not periods:
        return result
    src_key, src_unit, src_share = [], [], []
    src_est: list[bool] = []
    src_until: list[str | None] = []
    weighted = sources is not None
    for index, key in enumerate(keys):
        chosen = (sources or {}).get(key)
        if chosen is None:
            chosen = [_Own(groups[key].pk)]
        for source in chosen:
            src_key.append(index)
            src_unit.append(int(source.unit_id))
            src_share.append(str(source.share))
            src_est.append(bool(getattr(source, "estimated", False)))
            until = getattr(source, "until", None)
            src_until.append(until.isoformat() if until else None)
    params: dict[str, Any] = {
        "src_key": src_key,
        "src_unit": src_unit,
        "src_share": src_share,
        "src_est": src_est,
        "src_until": src_until,
        "el_id": list(by_id),
        "el_units": [str(e.aggregation_units) for e in by_id.values()],
        "el_time": [str(e.aggregation_time) for e in by_id.values()],
        "per_code": [p.code for p in periods],
        "per_months": [p.type.months for p in periods],
        "per_start": [p.start.isoformat() for p in periods],
        "per_end": [p.end.isoformat() for p in periods],
    }
    start = min(p.start for p in periods)
    end = max(p.end for p in periods)
    paths = {u.pk: (u.path, u.depth) for u in groups.values()}
    missing = set(src_unit) - set(paths)
    if missing:  # sources other than the groups themselves
        found = Unit.objects.using(using).filter(pk__in=missing).values_list("pk", "path", "depth")
        paths.update({pk: (path, depth) for pk, path, depth in found})
    relations, extra = _relations(
        using, list(by_id), start, end, [paths[i] for i in set(src_unit) if i in paths]
    )
    params.update(extra)
    figures = _WEIGHTED if weighted else _DIRECT
    # One row per (group, period) with its figures as text: fetching 250,000 rows one
    # Python tuple and Decimal each cost more than the query itself (issue 21 notes).
    sql = (
        "WITH " + relations + _RULES + ", " + figures + " "
        "SELECT k, code, string_agg(CAST(el AS VARCHAR) || ' ' || CAST(fig AS VARCHAR), ' '), "
        "string_agg(CASE WHEN est THEN CAST(el AS VARCHAR) END, ' ') "
        "FROM figures WHERE fig IS NOT NULL GROUP BY k, code"
    )
    cursor = engine.cursor()
    rows = cursor.execute(sql, params).fetchall()
    for index, code, text, estimated in rows:
        parts = text.split(" ")
        key = keys[index]
        result[key][code] = {
            int(element_id): Decimal(figure)
            for element_id, figure in zip(parts[::2], parts[1::2], strict=True)
        }
        if estimated:
            result.estimated.update((key, code, int(e)) for e in estimated.split(" "))
    return result


class _Own:
    __slots__ = ("share", "unit_id")

    def __init__(self, unit_id: int) -> None:
        self.unit_id = unit_id
        self.share = Decimal(1)


def _relations(
    using: str, element_ids: list[int], start: date, end: date, units: list[tuple[str, int]]
) -> tuple[str, dict[str, Any]]:
    """The CTEs defining `vals` and `units` (placed before the rules' own, each ending
    with a comma) and the parameters they take."""
    connection = connections[using]
    catalog = None if connection.in_atomic_block else engine.attached(using)
    if catalog is None:
        return _through_django(using, element_ids, start, end, _covering_paths(units))
    values_table = DataValue._meta.db_table
    units_table = Unit._meta.db_table
    schema = f"{catalog}.public" if engine.backend(using) == "postgresql" else catalog
    ids = ", ".join(str(int(i)) for i in element_ids)
    if engine.backend(using) == "postgresql":
        prefixes = _covering_paths(units)
        # Path components are primary keys: the text is safe to put in the query.
        if all(depth > 0 for _path, depth in units) and all(_PATH.match(p) for p in prefixes):
            # One province (or commune) of a national database: the scanner's default
            # ctid-range scan would read the whole values table; asking PostgreSQL for the
            # subtree's rows through its path index reads only them.
            where = " OR ".join(f"u.path LIKE '{p}%'" for p in prefixes)
            inner = (
                f"SELECT v.unit_id, v.data_element_id AS el, v.period_type AS ptype, "
                f"v.period_start AS ps, v.value FROM {values_table} v "
                f"JOIN {units_table} u ON u.id = v.unit_id "
                f"WHERE v.data_element_id IN ({ids}) AND v.value IS NOT NULL "
                f"AND v.period_start >= '{start.isoformat()}' "
                f"AND v.period_end <= '{end.isoformat()}' AND ({where})"
            )
            inner_units = f"SELECT u.id, u.path, u.depth FROM {units_table} u WHERE {where}"
            text = (
                f"vals AS (SELECT unit_id, el, ptype, CAST(ps AS DATE) AS ps, "
                f"CAST(value AS DECIMAL(20, 6)) AS value "
                f"FROM postgres_query('{catalog}', {engine.quote(inner)})), "
                f"units AS (SELECT * FROM postgres_query('{catalog}', {engine.quote(inner_units)})), "
            )
            return text, {}
    text = (
        f"vals AS (SELECT v.unit_id, v.data_element_id AS el, v.period_type AS ptype, "
        f"CAST(v.period_start AS DATE) AS ps, CAST(v.value AS DECIMAL(20, 6)) AS value "
        f"FROM {schema}.{values_table} v WHERE v.data_element_id IN ({ids}) "
        f"AND v.value IS NOT NULL AND CAST(v.period_start AS DATE) >= DATE '{start.isoformat()}' "
        f"AND CAST(v.period_end AS DATE) <= DATE '{end.isoformat()}'), "
        f"units AS (SELECT id, path, depth FROM {schema}.{units_table}), "
    )
    return text, {}


def _covering_paths(units: list[tuple[str, int]]) -> list[str]:
    """The paths of the source units without their descendants among them."""
    kept: list[str] = []
    for path in sorted(path for path, _depth in units):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def _through_django(
    using: str, element_ids: list[int], start: date, end: date, prefixes: list[str]
) -> tuple[str, dict[str, Any]]:
    """`vals` and `units` read through Django's own connection (its transaction's view),
    in one query."""
    under = Q(pk__in=[])
    for path in prefixes:
        under |= Q(unit__path__startswith=path)
    rows = list(
        DataValue.objects.using(using)
        .filter(
            under,
            data_element_id__in=element_ids,
            value__isnull=False,
            period_start__gte=start,
            period_end__lte=end,
        )
        .order_by()
        .values_list(
            "unit_id",
            "data_element_id",
            "period_type",
            "period_start",
            "value",
            "unit__path",
            "unit__depth",
        )
    )
    subtree = {r[0]: (r[5], r[6]) for r in rows}
    params = {
        "v_unit": [r[0] for r in rows],
        "v_el": [r[1] for r in rows],
        "v_ptype": [r[2] for r in rows],
        "v_ps": [r[3].isoformat() for r in rows],
        "v_value": [str(r[4]) for r in rows],
        "u_id": list(subtree),
        "u_path": [p for p, _d in subtree.values()],
        "u_depth": [d for _p, d in subtree.values()],
    }
    text = (
        "vals AS (SELECT CAST(UNNEST($v_unit) AS BIGINT) AS unit_id, "
        "CAST(UNNEST($v_el) AS BIGINT) AS el, CAST(UNNEST($v_ptype) AS VARCHAR) AS ptype, "
        "CAST(UNNEST($v_ps) AS DATE) AS ps, CAST(UNNEST($v_value) AS DECIMAL(20, 6)) AS value), "
        "units AS (SELECT CAST(UNNEST($u_id) AS BIGINT) AS id, "
        "CAST(UNNEST($u_path) AS VARCHAR) AS path, CAST(UNNEST($u_depth) AS INTEGER) AS depth), "
    )
    return text, params
