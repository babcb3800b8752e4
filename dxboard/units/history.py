"""Whose stored figures count for a unit over a period (issue 17, the history function).

A unit created on 01/07/2025 has no figures of its own for 2024; its predecessors do.
`sources_for(unit, start, end)` lists the units whose figures are read for `unit`:

- the unit itself, with share 1;
- for the part of the period before the unit's validity began, its predecessors,
  recursively: a merge passes the whole figure (share 1), a split passes the share
  stored on the succession and marks the result estimated ("ước tính").

Shares multiply along a chain and add up when one former unit reaches `unit` along two
paths. A summed figure under `unit` is then `Σ value(source) × share`; a ratio is the
ratio of the summed numerator and denominator, each allocated this way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .models import SuccessionKind, Unit, UnitSuccession


@dataclass(frozen=True)
class Source:
    """A unit whose figures count for another, with the share that passes and whether
    that makes an estimate (a split share).

    `until` bounds the stored periods whose figures count, by the period's last day (the
    day a figure is resolved at, `units.resolve.day_of`): a former unit counts only up to
    the day before its successor took over, so one that kept existing after a split is
    not counted again after it. None: no bound. The unit itself has none: its own
    figures always count, also those of periods before its start (figures the system
    computes from its registers are stored on today's unit, `codes_today`), while a
    figure entered for such a period is held by the former unit in force then."""

    unit_id: int
    share: Decimal
    estimated: bool
    until: dt.date | None = None


def sources_for(unit: Unit, start: dt.date, end: dt.date) -> list[Source]:
    """The units whose figures count for `unit` from `start` to `end` (inclusive),
    the unit itself first, then its predecessors by id. One query per generation.

    Only `start` decides whether predecessors count (the period begins before the
    unit's validity); `end` is taken so that callers state the whole period."""
    return sources_for_many([unit], start)[unit.pk]


def needs_history(unit: Unit, start: dt.date) -> bool:
    """Whether a period beginning on `start` begins before the unit's validity, so that
    its predecessors (if any) fill the part before: no query."""
    return unit.valid_from is not None and unit.valid_from > start


def sources_for_many(units: Iterable[Unit], start: dt.date) -> dict[int, list[Source]]:
    """`sources_for` for many units at once: {unit id: [Source, …]}, one query per
    generation of reorganisations for all of them (none when no unit began after
    `start`)."""
    units = list(units)
    result: dict[int, list[Source]] = {u.pk: [Source(u.pk, Decimal(1), False)] for u in units}
    # Per unit asked: {source id: [share, estimated, until]}; the frontier holds
    # (unit asked, source id, its valid_from, share reaching it, estimated, until).
    found: dict[int, dict[int, list]] = {}
    frontier = [(u.pk, u.pk, u.valid_from, Decimal(1), False, None) for u in units]
    visited: set[tuple[int, int, int]] = set()
    while frontier:
        # Only a unit whose validity began after `start` has a part of the period
        # before it: its predecessors fill that part.
        reaching = [f for f in frontier if f[2] is not None and f[2] > start]
        if not reaching:
            break
        rows = UnitSuccession.objects.filter(successor_id__in={f[1] for f in reaching}).values_list(
            "predecessor_id",
            "successor_id",
            "kind",
            "share",
            "effective_on",
            "predecessor__valid_from",
        )
        edges: dict[int, list[tuple]] = {}
        for row in rows:
            edges.setdefault(row[1], []).append(row)
        frontier = []
        for asked, uid, _began, upstream, upstream_estimated, upstream_until in reaching:
            for predecessor, _successor, kind, share, effective_on, began in edges.get(uid, []):
                if (asked, predecessor, uid) in visited:
                    continue
                visited.add((asked, predecessor, uid))
                passed = upstream * (share if kind == SuccessionKind.SPLIT else Decimal(1))
                is_estimated = upstream_estimated or kind == SuccessionKind.SPLIT
                day_before = effective_on - dt.timedelta(days=1)
                until = day_before if upstream_until is None else min(upstream_until, day_before)
                entry = found.setdefault(asked, {}).setdefault(
                    predecessor, [Decimal(0), False, until]
                )
                entry[0] += passed
                entry[1] = entry[1] or is_estimated
                # Reached along two paths: the later bound (shares add up anyway).
                entry[2] = max(entry[2], until)
                frontier.append((asked, predecessor, began, passed, is_estimated, until))
    for asked, predecessors in found.items():
        result[asked] = [result[asked][0]] + [
            Source(uid, *predecessors[uid]) for uid in sorted(predecessors)
        ]
    return result


def allocate(sources: Iterable[Source], values: dict[int, Decimal]) -> tuple[Decimal, bool]:
    """A summed figure under the unit: Σ value × share over the sources that have a
    value, and whether any of them is an estimate (a split share)."""
    total = Decimal(0)
    is_estimated = False
    for source in sources:
        value = values.get(source.unit_id)
        if value is None:
            continue
        total += value * source.share
        is_estimated = is_estimated or source.estimated
    return total, is_estimated
