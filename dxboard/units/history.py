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
    unit_id: int
    share: Decimal
    estimated: bool


def sources_for(unit: Unit, start: dt.date, end: dt.date) -> list[Source]:
    """The units whose figures count for `unit` from `start` to `end` (inclusive),
    the unit itself first, then its predecessors by id. One query per generation.

    Only `start` decides whether predecessors count (the period begins before the
    unit's validity); `end` is taken so that callers state the whole period."""
    shares: dict[int, Decimal] = {unit.pk: Decimal(1)}
    estimated: dict[int, bool] = {unit.pk: False}
    # (unit id, its valid_from, share reaching it, estimated so far)
    frontier: list[tuple[int, dt.date | None, Decimal, bool]] = [
        (unit.pk, unit.valid_from, Decimal(1), False)
    ]
    visited_edges: set[tuple[int, int]] = set()
    while frontier:
        # Only a unit whose validity began after `start` has a part of the period
        # before it: its predecessors fill that part.
        reaching = {
            uid: (share, est)
            for uid, began, share, est in frontier
            if began is not None and began > start
        }
        if not reaching:
            break
        rows = UnitSuccession.objects.filter(successor_id__in=reaching).values_list(
            "predecessor_id",
            "successor_id",
            "kind",
            "share",
            "predecessor__valid_from",
        )
        frontier = []
        for predecessor, successor, kind, share, began in rows:
            if (predecessor, successor) in visited_edges:
                continue
            visited_edges.add((predecessor, successor))
            upstream, upstream_estimated = reaching[successor]
            passed = upstream * (share if kind == SuccessionKind.SPLIT else Decimal(1))
            is_estimated = upstream_estimated or kind == SuccessionKind.SPLIT
            shares[predecessor] = shares.get(predecessor, Decimal(0)) + passed
            estimated[predecessor] = estimated.get(predecessor, False) or is_estimated
            frontier.append((predecessor, began, passed, is_estimated))
    own = [Source(unit.pk, shares.pop(unit.pk), estimated.pop(unit.pk))]
    return own + [Source(uid, shares[uid], estimated[uid]) for uid in sorted(shares)]


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
