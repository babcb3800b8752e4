"""The evaluation engine: where does a unit stand against its programme's targets?

Public functions (plain Python, no HTTP; they check permissions and raise
`dxboard.errors.NotFound` for what the user may not see):

    resolve(user, programme_code, unit_code, period_code) -> (Programme, Unit, Period)
    evaluate(programme, unit, period, *, user) -> Evaluation
    evaluate_many(programme, units, periods, *, user) -> dict[(unit code, period code), Evaluation]
    trend(programme, unit, indicator, periods, *, user) -> list[TrendPoint]
    projection(programme, unit, indicator, *, user, until=None, period_type="year") -> Projection
    rank_children(programme, unit, period, indicator, *, user) -> list[RankedUnit]
    status_for(programme, achievement) -> str          # "met", "ge70", "ge50", "lt50"
    bucket_names(programme) -> list[str]                # the four names for its thresholds

Rules (issue 3, point 5):
- an indicator's actual rolls up the unit's subtree and the period's sub-periods by its
  data elements' rules (see `dxboard.evaluation.rollup`); a ratio is
  sum(numerator) / sum(denominator) × factor, never an average of ratios; a zero or
  missing denominator, or a missing numerator, gives "no data";
- achievement (in %) = actual / target × 100 when higher is better, target / actual × 100
  when lower is better; an actual of 0 on a lower-is-better indicator meets it (100 %);
- status: met when achievement ≥ the first threshold, then ≥ second, ≥ third, below third
  (a value exactly on a threshold is in the higher bucket), or "noData" / "noTarget";
- target: the target for (indicator, year of the period, unit); for a ratio indicator
  without a target of its own, a unit inside the programme's unit uses the programme
  unit's target (a share such as "100 % of dossiers online" holds for every commune);
  counts have no such fallback.
All numbers are Decimal; round for display only (`as_dict` rounds for the API).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.evaluation.rollup import rollup
from dxboard.indicators.models import Direction, Indicator, Programme, Target
from dxboard.indicators.services import get_programme, programme_indicators
from dxboard.periods import InvalidPeriod, Period, PeriodType, parse_period
from dxboard.units.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

NO_DATA, NO_TARGET, MET = "noData", "noTarget", "met"
HUNDRED = Decimal(100)
PRECISION = Decimal("0.000001")


# --- results -----------------------------------------------------------------------------


@dataclass
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "pillar": self.pillar,
            "unitOfMeasure": self.unit_of_measure,
            "direction": self.direction,
            "actual": _round(self.actual, self.decimals),
            "target": _round(self.target, 6),
            "achievement": _round(self.achievement, 1),
            "status": self.status,
            "numerator": _round(self.numerator, 6),
            "denominator": _round(self.denominator, 6),
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
    def met_rate(self) -> Decimal | None:
        """Share of indicators met, in % (11 of 15 -> 73.33...)."""
        return Decimal(self.met) * HUNDRED / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            **self.counts,
            "noData": self.no_data,
            "noTarget": self.no_target,
            "metRate": _round(self.met_rate, 1),
        }


@dataclass
class Evaluation:
    programme: Programme
    unit: Unit
    period: Period
    summary: Summary
    indicators: list[IndicatorResult]

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme": {"code": self.programme.code, "name": self.programme.name},
            "unit": {"code": self.unit.code, "name": self.unit.name},
            "period": {"code": self.period.code, "label": self.period.label},
            "thresholds": [_round(t, 2) for t in self.programme.thresholds],
            "summary": self.summary.as_dict(),
            "indicators": [row.as_dict() for row in self.indicators],
        }


@dataclass
class TrendPoint:
    period: Period
    actual: Decimal | None
    target: Decimal | None
    achievement: Decimal | None
    status: str


@dataclass
class Projection:
    indicator: Indicator
    points: list[TrendPoint]
    end_year: int
    slope: Decimal | None  # change per year
    projected: Decimal | None  # the actual expected at the end of the programme
    final_target: Decimal | None
    projected_achievement: Decimal | None
    at_risk: bool  # projected achievement below the first threshold


@dataclass
class RankedUnit:
    rank: int | None  # None when the unit has no figure
    unit: Unit
    actual: Decimal | None
    target: Decimal | None
    achievement: Decimal | None
    status: str


def _round(value: Decimal | None, places: int) -> float | None:
    if value is None:
        return None
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# --- rules -------------------------------------------------------------------------------


def _label(threshold: Decimal) -> str:
    text = f"{threshold.normalize():f}"
    return text.replace(".", "_")


def bucket_names(programme: Programme) -> list[str]:
    """["met", "ge70", "ge50", "lt50"] for the default thresholds 100/70/50."""
    _t1, t2, t3 = programme.thresholds
    return [MET, f"ge{_label(t2)}", f"ge{_label(t3)}", f"lt{_label(t3)}"]


def status_for(programme: Programme, achievement: Decimal) -> str:
    """The bucket of an achievement (in %); a value on a threshold is in the higher bucket."""
    names = bucket_names(programme)
    value = achievement.quantize(PRECISION, rounding=ROUND_HALF_UP)
    for name, threshold in zip(names, programme.thresholds, strict=False):
        if value >= threshold:
            return name
    return names[3]


def achievement_of(actual: Decimal, target: Decimal, direction: str) -> Decimal:
    """Achievement in % (see the module docstring for the rules)."""
    if direction == Direction.DOWN:
        if actual == 0:
            return HUNDRED
        return target / actual * HUNDRED
    if target == 0:
        return HUNDRED if actual >= 0 else Decimal(0)
    return actual / target * HUNDRED


def _actual(
    indicator: Indicator, values: dict[int, Decimal | None]
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(actual, numerator, denominator) from rolled-up element values."""
    numerator = values.get(indicator.numerator_id)
    if not indicator.is_ratio:
        return (None if numerator is None else numerator * indicator.factor), numerator, None
    denominator = values.get(indicator.denominator_id)
    if numerator is None or denominator is None or denominator == 0:
        return None, numerator, denominator
    return numerator / denominator * indicator.factor, numerator, denominator


# --- access ------------------------------------------------------------------------------


def _check_access(user: User | AnonymousUser | None, programme: Programme, unit: Unit) -> None:
    """The unit must be visible to the user, or the programme public (then the unit must
    lie inside the programme's unit). `user=None` is the system (commands)."""
    if user is None:
        return
    if Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        return
    if programme.is_public and unit.path.startswith(programme.owner_unit.path):
        return
    raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit.code})


def resolve(
    user: User | AnonymousUser | None, programme_code: str, unit_code: str | None, period_code: str
) -> tuple[Programme, Unit, Period]:
    """Programme, unit (default: the programme's unit) and period from their codes.

    Raises NotFound for a programme or unit the user may not see, InvalidInput for a bad
    period code.
    """
    if user is None:
        programme = Programme.objects.select_related("owner_unit").filter(code=programme_code)
        programme = programme.first()
        if programme is None:
            raise NotFound(_("Không tìm thấy chương trình “%(code)s”.") % {"code": programme_code})
    else:
        programme = get_programme(user, programme_code)
    try:
        period = parse_period(period_code)
    except InvalidPeriod as error:
        raise InvalidInput(str(error), [ErrorDetail("period", str(error))]) from None
    if not unit_code:
        unit = programme.owner_unit
    else:
        unit = Unit.objects.in_force().filter(code=unit_code).first()
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit_code})
    _check_access(user, programme, unit)
    return programme, unit, period


def _targets(
    programme: Programme, indicators: list[Indicator], units: list[Unit], years: set[int]
) -> dict[tuple[int, int, int], Decimal]:
    """{(indicator id, year, unit id): value} for the units and the programme's unit."""
    unit_ids = {u.pk for u in units} | {programme.owner_unit_id}
    rows = Target.objects.filter(
        programme=programme,
        indicator__in=[i.pk for i in indicators],
        year__in=years,
        unit_id__in=unit_ids,
    ).values_list("indicator_id", "year", "unit_id", "value")
    return {(i, y, u): v for i, y, u, v in rows}


def _target_for(
    programme: Programme,
    indicator: Indicator,
    year: int,
    unit: Unit,
    targets: dict[tuple[int, int, int], Decimal],
) -> Decimal | None:
    own = targets.get((indicator.pk, year, unit.pk))
    if own is not None or unit.pk == programme.owner_unit_id:
        return own
    if indicator.is_ratio and unit.path.startswith(programme.owner_unit.path):
        return targets.get((indicator.pk, year, programme.owner_unit_id))
    return None


def _result(
    programme: Programme,
    indicator: Indicator,
    values: dict[int, Decimal | None],
    target: Decimal | None,
) -> IndicatorResult:
    actual, numerator, denominator = _actual(indicator, values)
    achievement = None
    if actual is None:
        status = NO_DATA
    elif target is None:
        status = NO_TARGET
    else:
        achievement = achievement_of(actual, target, indicator.direction)
        status = status_for(programme, achievement)
    return IndicatorResult(
        code=indicator.code,
        name=indicator.name,
        pillar=indicator.pillar,
        unit_of_measure=indicator.unit_of_measure,
        direction=indicator.direction,
        decimals=indicator.decimals,
        actual=actual,
        target=target,
        achievement=achievement,
        status=status,
        numerator=numerator,
        denominator=denominator,
        indicator=indicator,
    )


def _summary(programme: Programme, rows: list[IndicatorResult]) -> Summary:
    summary = Summary(total=len(rows), counts=dict.fromkeys(bucket_names(programme), 0))
    for row in rows:
        if row.status == NO_DATA:
            summary.no_data += 1
        elif row.status == NO_TARGET:
            summary.no_target += 1
        else:
            summary.counts[row.status] += 1
    return summary


def _elements(indicators: Iterable[Indicator]):
    result = {}
    for indicator in indicators:
        result[indicator.numerator_id] = indicator.numerator
        if indicator.denominator_id:
            result[indicator.denominator_id] = indicator.denominator
    return list(result.values())


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


# --- public functions --------------------------------------------------------------------


def evaluate(
    programme: Programme, unit: Unit, period: Period, *, user: User | AnonymousUser | None
) -> Evaluation:
    """Each indicator of the programme for a unit (with its subtree) and a period.

    Three queries besides the access check: indicators, targets, values (one GROUP BY).
    """
    return evaluate_many(programme, [unit], [period], user=user)[(unit.code, period.code)]


def evaluate_many(
    programme: Programme,
    units: Iterable[Unit],
    periods: Iterable[Period],
    *,
    user: User | AnonymousUser | None,
) -> dict[tuple[str, str], Evaluation]:
    """`evaluate` for many units and periods: {(unit code, period code): Evaluation}.

    One value query per layer of non-overlapping units (e.g. all communes of a province
    in one query), whatever the number of periods.
    """
    units, periods = list(units), list(periods)
    for unit in units:
        _check_access(user, programme, unit)
    indicators = programme_indicators(programme)
    elements = _elements(indicators)
    targets = _targets(programme, indicators, units, {p.year for p in periods})
    values: dict = {}
    for layer in _layers(units):
        values.update(rollup(elements, {u.pk: u for u in layer}, periods))
    result = {}
    for unit in units:
        for period in periods:
            unit_values = {e.pk: values.get((unit.pk, period.code, e.pk)) for e in elements}
            rows = [
                _result(
                    programme,
                    indicator,
                    unit_values,
                    _target_for(programme, indicator, period.year, unit, targets),
                )
                for indicator in indicators
            ]
            result[(unit.code, period.code)] = Evaluation(
                programme, unit, period, _summary(programme, rows), rows
            )
    return result


def _indicator_in(programme: Programme, indicator: Indicator | str) -> Indicator:
    code = indicator if isinstance(indicator, str) else indicator.code
    for item in programme_indicators(programme):
        if item.code == code:
            return item
    raise NotFound(
        _("Chỉ tiêu “%(code)s” không thuộc chương trình.") % {"code": code},
        [ErrorDetail("indicator", _("Không thuộc chương trình."))],
    )


def trend(
    programme: Programme,
    unit: Unit,
    indicator: Indicator | str,
    periods: Iterable[Period],
    *,
    user: User | AnonymousUser | None,
) -> list[TrendPoint]:
    """The indicator's actual, target and status for each period, in one value query."""
    _check_access(user, programme, unit)
    indicator = _indicator_in(programme, indicator)
    periods = list(periods)
    elements = _elements([indicator])
    values = rollup(elements, {unit.pk: unit}, periods)
    targets = _targets(programme, [indicator], [unit], {p.year for p in periods})
    points = []
    for period in periods:
        row = _result(
            programme,
            indicator,
            {e.pk: values[(unit.pk, period.code, e.pk)] for e in elements},
            _target_for(programme, indicator, period.year, unit, targets),
        )
        points.append(TrendPoint(period, row.actual, row.target, row.achievement, row.status))
    return points


def projection(
    programme: Programme,
    unit: Unit,
    indicator: Indicator | str,
    *,
    user: User | AnonymousUser | None,
    until: Period | None = None,
    period_type: str = PeriodType.YEAR,
) -> Projection:
    """Project the indicator to the programme's end year by linear least squares.

    The trend uses yearly (or quarterly, `period_type="quarter"`) actuals from the
    programme's start up to `until` (default: the end year). The projected value is the
    line at the end of the programme; `at_risk` is true when its achievement against the
    end year's target is below the first threshold. With fewer than two actuals there is
    no projection (projected None, at_risk False).
    """
    indicator = _indicator_in(programme, indicator)
    first = parse_period(str(programme.start_year))
    last = until or parse_period(str(programme.end_year))
    kind = PeriodType(period_type)
    periods = [
        p
        for year in range(programme.start_year, min(last.end.year, programme.end_year) + 1)
        for p in parse_period(str(year)).sub_periods(kind)
        if p.start >= first.start and p.end <= last.end
    ]
    points = trend(programme, unit, indicator, periods, user=user)
    known = [(_x(p.period), p.actual) for p in points if p.actual is not None]
    targets = _targets(programme, [indicator], [unit], {programme.end_year})
    final_target = _target_for(programme, indicator, programme.end_year, unit, targets)
    slope = projected = achievement = None
    if len(known) >= 2:
        n = Decimal(len(known))
        mean_x = sum((x for x, _y in known), Decimal(0)) / n
        mean_y = sum((y for _x, y in known), Decimal(0)) / n
        sxx = sum(((x - mean_x) ** 2 for x, _y in known), Decimal(0))
        sxy = sum(((x - mean_x) * (y - mean_y) for x, y in known), Decimal(0))
        slope = sxy / sxx if sxx else Decimal(0)
        end_x = Decimal(programme.end_year) + (Decimal("0.875") if kind != PeriodType.YEAR else 0)
        projected = mean_y + slope * (end_x - mean_x)
        if final_target is not None:
            achievement = achievement_of(
                max(projected, Decimal(0)), final_target, indicator.direction
            )
    at_risk = achievement is not None and status_for(programme, achievement) != MET
    return Projection(
        indicator=indicator,
        points=points,
        end_year=programme.end_year,
        slope=slope,
        projected=projected,
        final_target=final_target,
        projected_achievement=achievement,
        at_risk=at_risk,
    )


def _x(period: Period) -> Decimal:
    """A period's position on the time axis in years (a quarter sits at its middle)."""
    if period.type == PeriodType.YEAR:
        return Decimal(period.year)
    months = Decimal(period.start.month - 1) + Decimal(period.type.months) / 2
    return Decimal(period.year) + months / 12


def rank_children(
    programme: Programme,
    unit: Unit,
    period: Period,
    indicator: Indicator | str,
    *,
    user: User | AnonymousUser | None,
) -> list[RankedUnit]:
    """The unit's in-force children ranked on one indicator (best first; no data last).

    One grouped value query for all children. "Best" follows the indicator's direction.
    """
    _check_access(user, programme, unit)
    indicator = _indicator_in(programme, indicator)
    children = list(unit.children.filter(valid_to__isnull=True))
    elements = _elements([indicator])
    values = rollup(elements, {c.pk: c for c in children}, [period])
    targets = _targets(programme, [indicator], children, {period.year})
    rows = []
    for child in children:
        row = _result(
            programme,
            indicator,
            {e.pk: values[(child.pk, period.code, e.pk)] for e in elements},
            _target_for(programme, indicator, period.year, child, targets),
        )
        rows.append(RankedUnit(None, child, row.actual, row.target, row.achievement, row.status))
    with_data = [r for r in rows if r.actual is not None]
    with_data.sort(key=lambda r: r.actual if indicator.direction == Direction.DOWN else -r.actual)
    for position, row in enumerate(with_data, start=1):
        row.rank = position
    without = sorted((r for r in rows if r.actual is None), key=lambda r: r.unit.sort_key)
    return with_data + without
