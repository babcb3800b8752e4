"""The evaluation rules for one indicator's figure: actual, target, achievement, status.

The rules are those of `dxboard.evaluation.services` (see its docstring); this module
holds them in a form prepared once per programme, so that a province dashboard's
hundreds of thousands of results do not repeat the same look-ups.

    bucket_names(programme) -> list[str]
    status_for(programme, achievement) -> str
    achievement_of(actual, target, direction) -> Decimal
    Scorer(programme, indicators)      .result(spec, values, target), .results(...), .summary(...)
    Targets(programme, indicators, units, years)      .for_unit(unit, year) -> list of targets
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dxboard.indicators.models import Direction, Indicator, Programme, Target, UnitAggregation
from dxboard.units.history import Source, needs_history, sources_for_many
from dxboard.units.models import Unit

NO_DATA, NO_TARGET, MET = "noData", "noTarget", "met"
HUNDRED = Decimal(100)
PRECISION = Decimal("0.000001")
TARGET_PLACES = Decimal("0.01")  # a target read from former units (issue 17)
# A plain str: comparing with it is several times cheaper than with the enum member.
_DOWN = Direction.DOWN.value


# Slots: a province dashboard builds 100,000s of these; without a __dict__ each is half
# the objects for the garbage collector to walk.
@dataclass(slots=True)
class IndicatorResult:
    code: str
    name: str
    pillar: str
    unit_of_measure: str
    direction: str
    decimals: int
    actual: Decimal | None
    target: Decimal | None
    achievement: Decimal | None  # in %, e.g. 96.4
    status: str
    numerator: Decimal | None
    denominator: Decimal | None
    indicator: Indicator | None = field(default=None, repr=False)
    # The figure or the target takes a split share of a former unit (issue 17): shown
    # as "ước tính" wherever it is shown.
    estimated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "pillar": self.pillar,
            "unitOfMeasure": self.unit_of_measure,
            "direction": self.direction,
            "actual": round_for_display(self.actual, self.decimals),
            "target": round_for_display(self.target, 6),
            "achievement": round_for_display(self.achievement, 1),
            "status": self.status,
            "numerator": round_for_display(self.numerator, 6),
            "denominator": round_for_display(self.denominator, 6),
            "estimated": self.estimated,
        }


@dataclass
class Summary:
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # bucket name -> count
    no_data: int = 0
    no_target: int = 0

    @property
    def met(self) -> int:
        return self.counts.get(MET, 0)

    @property
    def with_target(self) -> int:
        """Indicators that have a target for the period: what the met rate counts against.

        A committee says "x/20" of a 24-indicator programme whose plan sets 20 targets for
        the year; the other 4 are "no target" and stand outside the rate.
        """
        return self.total - self.no_target

    @property
    def met_rate(self) -> Decimal | None:
        """Share of the indicators with a target that are met, in % (11 of 15 -> 73.33...)."""
        return Decimal(self.met) * HUNDRED / self.with_target if self.with_target else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "withTarget": self.with_target,
            **self.counts,
            "noData": self.no_data,
            "noTarget": self.no_target,
            "metRate": round_for_display(self.met_rate, 1),
        }


def round_for_display(value: Decimal | None, places: int) -> float | None:
    if value is None:
        return None
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _label(threshold: Decimal) -> str:
    text = f"{threshold.normalize():f}"
    return text.replace(".", "_")


def bucket_names(programme: Programme) -> list[str]:
    """["met", "ge70", "ge50", "lt50"] for the default thresholds 100/70/50."""
    _t1, t2, t3 = programme.thresholds
    return [MET, f"ge{_label(t2)}", f"ge{_label(t3)}", f"lt{_label(t3)}"]


def _bucket(
    achievement: Decimal, names: list[str], thresholds: tuple[Decimal, Decimal, Decimal]
) -> str:
    value = achievement.quantize(PRECISION, rounding=ROUND_HALF_UP)
    t1, t2, t3 = thresholds
    if value >= t1:
        return names[0]
    if value >= t2:
        return names[1]
    if value >= t3:
        return names[2]
    return names[3]


def status_for(programme: Programme, achievement: Decimal) -> str:
    """The bucket of an achievement (in %); a value on a threshold is in the higher bucket."""
    return _bucket(achievement, bucket_names(programme), programme.thresholds)


def achievement_of(actual: Decimal, target: Decimal, direction: str) -> Decimal:
    """Achievement in % (see `dxboard.evaluation.services` for the rules)."""
    if direction == _DOWN:
        if actual == 0:
            return HUNDRED
        return target / actual * HUNDRED
    if target == 0:
        return HUNDRED if actual >= 0 else Decimal(0)
    return actual / target * HUNDRED


@dataclass(frozen=True, slots=True)
class Spec:
    """What the rules need of an indicator, read from the model once."""

    indicator: Indicator
    code: str
    name: str
    pillar: str
    unit_of_measure: str
    direction: str
    decimals: int
    is_ratio: bool
    numerator_id: int
    denominator_id: int | None
    factor: Decimal

    @classmethod
    def of(cls, indicator: Indicator) -> Spec:
        return cls(
            indicator,
            indicator.code,
            indicator.name,
            indicator.pillar,
            indicator.unit_of_measure,
            indicator.direction,
            indicator.decimals,
            indicator.is_ratio,
            indicator.numerator_id,
            indicator.denominator_id,
            indicator.factor,
        )


class Scorer:
    """One programme's rules for its indicators, prepared once for many results."""

    def __init__(self, programme: Programme, indicators: Iterable[Indicator]) -> None:
        self.names = bucket_names(programme)
        self.thresholds = programme.thresholds
        self.specs = [Spec.of(i) for i in indicators]

    def result(
        self,
        spec: Spec,
        values: Mapping[int, Decimal],
        target: Decimal | None,
        estimated: bool = False,
    ) -> IndicatorResult:
        """An indicator's result from its elements' rolled-up values (missing: absent)."""
        numerator = values.get(spec.numerator_id)
        if spec.is_ratio:
            # A ratio of sums; a zero or missing denominator is "no data".
            denominator = None if spec.denominator_id is None else values.get(spec.denominator_id)
            if numerator is None or denominator is None or denominator == 0:
                actual = None
            else:
                actual = numerator / denominator * spec.factor
        else:
            denominator = None
            actual = None if numerator is None else numerator * spec.factor
        achievement = None
        if actual is None:
            status = NO_DATA
        elif target is None:
            status = NO_TARGET
        else:
            achievement = achievement_of(actual, target, spec.direction)
            status = _bucket(achievement, self.names, self.thresholds)
        return IndicatorResult(
            spec.code,
            spec.name,
            spec.pillar,
            spec.unit_of_measure,
            spec.direction,
            spec.decimals,
            actual,
            target,
            achievement,
            status,
            numerator,
            denominator,
            spec.indicator,
            estimated,
        )

    def results(
        self,
        values: Mapping[int, Decimal],
        targets: list[Decimal | None],
        estimated: AbstractSet[int] = frozenset(),
        targets_estimated: list[bool] | None = None,
    ) -> list[IndicatorResult]:
        """Every indicator's result; `targets` (and `targets_estimated`) follow the order
        of the indicators; `estimated` holds the elements whose figure is an estimate."""
        result = self.result
        if not estimated and not targets_estimated:
            return [
                result(spec, values, target)
                for spec, target in zip(self.specs, targets, strict=True)
            ]
        flags = targets_estimated or [False] * len(self.specs)
        return [
            result(
                spec,
                values,
                target,
                flag or spec.numerator_id in estimated or spec.denominator_id in estimated,
            )
            for spec, target, flag in zip(self.specs, targets, flags, strict=True)
        ]

    def is_estimated(self, spec: Spec, estimated: AbstractSet[int]) -> bool:
        return spec.numerator_id in estimated or spec.denominator_id in estimated

    def summary(self, rows: list[IndicatorResult]) -> Summary:
        summary = Summary(total=len(rows), counts=dict.fromkeys(self.names, 0))
        for row in rows:
            if row.status == NO_DATA:
                summary.no_data += 1
            elif row.status == NO_TARGET:
                summary.no_target += 1
            else:
                summary.counts[row.status] += 1
        return summary


class Targets:
    """The targets of some indicators for some units and years, read in one query.

    A unit's target is its own for (indicator, year). A unit whose validity began after
    the year began (a commune of 1 July 2025, for 2024) without one reads its former
    units' targets the way its figures are read (`dxboard.units.history`): for an
    indicator summed over units, Σ share × target, marked estimated when a split share
    counts; for the others (a ratio, an average), the share-weighted mean of the former
    units' targets. Then, for a ratio indicator still without one, a unit inside the
    programme's unit uses the programme unit's target. Counts have no such fallback.
    """

    def __init__(
        self,
        programme: Programme,
        indicators: list[Indicator],
        units: Iterable[Unit],
        years: set[int],
    ) -> None:
        self._programme = programme
        self._owner_id = programme.owner_unit_id
        self._indicators = [(i.pk, i.is_ratio, _summed(i)) for i in indicators]
        units = list(units)
        self._history: dict[int, list[Source]] = {}
        if years:
            first = dt.date(min(years), 1, 1)
            late = [u for u in units if needs_history(u, first)]
            if late:
                found = sources_for_many(late, first)
                self._history = {k: v[1:] for k, v in found.items() if len(v) > 1}
        unit_ids = {u.pk for u in units} | {self._owner_id}
        unit_ids |= {s.unit_id for sources in self._history.values() for s in sources}
        rows = Target.objects.filter(
            programme=programme,
            indicator__in=[pk for pk, _ratio, _summed_ in self._indicators],
            year__in=years,
            unit_id__in=unit_ids,
        ).values_list("indicator_id", "year", "unit_id", "value")
        self._values: dict[tuple[int, int, int], Decimal] = {(i, y, u): v for i, y, u, v in rows}
        self._cache: dict[tuple[int, int], tuple[list[Decimal | None], list[bool]]] = {}

    def for_unit(self, unit: Unit, year: int) -> list[Decimal | None]:
        """The targets of the indicators, in their order, for a unit and year."""
        return self._both(unit, year)[0]

    def estimated_for(self, unit: Unit, year: int) -> list[bool]:
        """Whether each of those targets takes a split share of a former unit's."""
        return self._both(unit, year)[1]

    def _both(self, unit: Unit, year: int) -> tuple[list[Decimal | None], list[bool]]:
        key = (unit.pk, year)
        found = self._cache.get(key)
        if found is None:
            pairs = [
                self._one(pk, ratio, summed, unit, year) for pk, ratio, summed in self._indicators
            ]
            found = ([v for v, _e in pairs], [e for _v, e in pairs])
            self._cache[key] = found
        return found

    def _one(
        self, indicator_id: int, is_ratio: bool, summed: bool, unit: Unit, year: int
    ) -> tuple[Decimal | None, bool]:
        own = self._values.get((indicator_id, year, unit.pk))
        if own is not None:
            return own, False
        former = self._history.get(unit.pk)
        if former and needs_history(unit, dt.date(year, 1, 1)):
            inherited = self._inherited(indicator_id, summed, former, year)
            if inherited[0] is not None:
                return inherited
        if unit.pk == self._owner_id:
            return None, False
        # Read only when needed: without select_related it costs a query.
        if is_ratio and unit.path.startswith(self._programme.owner_unit.path):
            return self._values.get((indicator_id, year, self._owner_id)), False
        return None, False

    def _inherited(
        self, indicator_id: int, summed: bool, former: list[Source], year: int
    ) -> tuple[Decimal | None, bool]:
        """The former units' targets for the year, combined like their figures."""
        first = dt.date(year, 1, 1)
        total = weights = Decimal(0)
        estimated = counted = False
        for source in former:
            if source.until is not None and source.until < first:
                continue  # gone before the year began
            value = self._values.get((indicator_id, year, source.unit_id))
            if value is None:
                continue
            counted = True
            total += value * source.share
            weights += source.share
            estimated = estimated or source.estimated
        if not counted:
            return None, False
        value = total if summed else total / weights
        # Targets are set with a few decimals; a share of one (0.333333 × 200) or a mean
        # (182 / 2.4) would show all of its digits. Two places, like a target as set.
        return value.quantize(TARGET_PLACES, rounding=ROUND_HALF_UP).normalize(), estimated


def _summed(indicator: Indicator) -> bool:
    """A count summed over units: its target adds up over merged units like its figure."""
    return not indicator.is_ratio and indicator.numerator.aggregation_units == UnitAggregation.SUM
