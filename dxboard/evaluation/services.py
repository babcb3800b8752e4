"""The evaluation engine: where does a unit stand against its programme's targets?

Public functions (plain Python, no HTTP; they check permissions and raise
`dxboard.errors.NotFound` for what the user may not see):

    resolve(user, programme_code, unit_code, period_code) -> (Programme, Unit, Period)
    evaluate(programme, unit, period, *, user) -> Evaluation
    evaluate_many(programme, units, periods, *, user) -> dict[(unit code, period code), Evaluation]
    evaluation_json_by_codes(user, programme_code, unit_code, period_code) -> bytes  # the API's
    trend(programme, unit, indicator, periods, *, user) -> list[TrendPoint]
    ranking_by_codes(user, programme_code, unit_code, period_code, indicator_code, *, basis)
    projection(programme, unit, indicator, *, user, until=None, period_type="year") -> Projection
    rank_children(programme, unit, period, indicator, *, user, kind, basis) -> list[RankedUnit]
    ranking_bases(unit, period) -> ["current"] or ["current", "former"]
    status_for(programme, achievement) -> str          # "met", "ge70", "ge50", "lt50"
    bucket_names(programme) -> list[str]                # the four names for its thresholds

Rules (the engine's contract, checked by `evaluation/tests/test_engine.py`):
- an indicator's actual rolls up the unit's subtree and the period's sub-periods by its
  data elements' rules (see `dxboard.evaluation.vectorized`, run by DuckDB); a ratio is
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
- history (the 2025 reorganisation, issue 17): a unit whose validity began after a
  period began is read from its former units for the part before its start
  (`dxboard.units.history`): merged units summed whole, a split one by its stored share,
  which marks the figure `estimated` ("ước tính"); a ratio is still the ratio of the
  allocated sums; targets set for the former units are read the same way.
All numbers are Decimal; round for display only (`as_dict` rounds for the API).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dxboard import collector, revision
from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.evaluation.rules import (
    MET,
    NO_DATA,
    NO_TARGET,
    IndicatorResult,
    Scorer,
    Summary,
    Targets,
    achievement_of,
    bucket_names,
    round_for_display,
    status_for,
)
from dxboard.evaluation.vectorized import Rolled, SourceLike, rollup
from dxboard.indicators.models import Direction, Indicator, Programme
from dxboard.indicators.services import get_programme, programme_indicators
from dxboard.periods import InvalidPeriod, Period, PeriodType, parse_period
from dxboard.units.history import Source, needs_history, sources_for_many
from dxboard.units.models import Unit, UnitKind, older_paths
from dxboard.units.resolve import unit_as_of
from dxboard.units.services import predecessor_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

# The rules and result types live in `rules`; views and the API import them from here.
__all__ = [
    "MET",
    "NO_DATA",
    "NO_TARGET",
    "Evaluation",
    "IndicatorResult",
    "Projection",
    "RankedUnit",
    "Summary",
    "TrendPoint",
    "achievement_of",
    "bounded_projection",
    "bucket_names",
    "evaluate",
    "evaluate_many",
    "projection",
    "rank_children",
    "resolve",
    "status_for",
    "trend",
]


# --- results -----------------------------------------------------------------------------


@dataclass
class Evaluation:
    programme: Programme
    unit: Unit
    period: Period
    summary: Summary
    indicators: list[IndicatorResult]

    @property
    def estimated(self) -> bool:
        """Some figure or target takes a split share of a former unit ("ước tính")."""
        return any(row.estimated for row in self.indicators)

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme": {"code": self.programme.code, "name": self.programme.name},
            "unit": {"code": self.unit.code, "name": self.unit.name},
            "period": {"code": self.period.code, "label": self.period.label},
            "thresholds": [round_for_display(t, 2) for t in self.programme.thresholds],
            "summary": self.summary.as_dict(),
            "estimated": self.estimated,
            "indicators": [row.as_dict() for row in self.indicators],
        }


@dataclass
class TrendPoint:
    period: Period
    actual: Decimal | None
    target: Decimal | None
    achievement: Decimal | None
    status: str
    estimated: bool = False  # a split share of a former unit counts (issue 17)


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
    estimated: bool = False


# --- access ------------------------------------------------------------------------------


def _check_access(user: User | AnonymousUser | None, programme: Programme, unit: Unit) -> None:
    """The unit must be visible to the user, or the programme public (then the unit must
    lie inside the programme's unit). `user=None` is the system (commands)."""
    _check_access_many(user, programme, [unit])


def _check_access_many(
    user: User | AnonymousUser | None, programme: Programme, units: list[Unit]
) -> None:
    """`_check_access` for many units (no query once the user's memberships are known);
    the first refused unit is named."""
    if user is None:
        return
    public_paths: tuple[str, ...] | None = None
    for unit in units:
        if unit.is_visible_to(user):
            continue
        if programme.is_public:
            owner_path = programme.owner_unit.path
            if unit.path.startswith(owner_path):
                continue
            if public_paths is None:
                # A public programme of a new province shows its former units too (a
                # ranking of 2024 on the former districts), read only when asked.
                public_paths = tuple(older_paths({owner_path}))
            if unit.path.startswith(public_paths):
                continue
        raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit.code})


def resolve(
    user: User | AnonymousUser | None,
    programme_code: str,
    unit_code: str | None,
    period_code: str,
    *,
    as_of: dt.date | None = None,
) -> tuple[Programme, Unit, Period]:
    """Programme, unit (default: the programme's unit) and period from their codes.

    The unit is today's unit with that code, or with `as_of` the one in force on that
    day (`unit=80` is Tây Ninh, `unit=80, as_of=2024-12-31` former Long An). Raises
    NotFound for a programme or unit the user may not see, InvalidInput for a bad
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
    owner = programme.owner_unit
    if as_of is not None and unit_code:
        unit = unit_as_of(unit_code, as_of)
    elif not unit_code or (unit_code == owner.code and owner.in_force):
        unit = owner
    else:
        unit = Unit.objects.in_force().filter(code=unit_code).first()
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": unit_code})
    _check_access(user, programme, unit)
    return programme, unit, period


def _elements(indicators: Iterable[Indicator]):
    result = {}
    for indicator in indicators:
        result[indicator.numerator_id] = indicator.numerator
        if indicator.denominator_id:
            result[indicator.denominator_id] = indicator.denominator
    return list(result.values())


# --- public functions --------------------------------------------------------------------


def evaluate(
    programme: Programme, unit: Unit, period: Period, *, user: User | AnonymousUser | None
) -> Evaluation:
    """Each indicator of the programme for a unit (with its subtree) and a period.

    Three queries besides the access check: indicators, targets, values (one GROUP BY).
    The result is cached under the data revision number (`dxboard.revision`), which goes
    up after every committed change an evaluation reads, so a cached result is never
    stale: a repeated read costs the access check and one primary-key lookup.
    """
    _check_access(user, programme, unit)
    return _cached(
        ("evaluation", programme.pk, unit.pk, period.code),
        lambda: _evaluate_one(programme, unit, period),
    )


def evaluation_json_by_codes(
    user: User | AnonymousUser,
    programme_code: str,
    unit_code: str | None,
    period_code: str,
    as_of: dt.date | None = None,
) -> bytes:
    """`resolve`, then `evaluate(...).as_dict()` as UTF-8 JSON: the API's answer from the
    codes in its URL, ready to send, so a repeated read skips building 40 rows.

    The access decision is cached too, per user, under the same data revision (which
    memberships, units and programmes bump), so a repeated request costs the token
    lookup and one read of the revision number.
    """
    stamp = _stamp()
    who = f"{user.pk}-{user.is_active:d}{user.is_superuser:d}" if user.is_authenticated else "-"
    programme, unit, period = _cached(
        ("access", who, programme_code, unit_code or "", period_code, as_of or ""),
        lambda: resolve(user, programme_code, unit_code, period_code, as_of=as_of),
        stamp,
    )
    return _cached(
        ("evaluation-json", programme.pk, unit.pk, period.code, get_language()),
        lambda: _evaluation_bytes(programme, unit, period),
        stamp,
    )


def _evaluation_bytes(programme: Programme, unit: Unit, period: Period) -> bytes:
    evaluation = _evaluate_one(programme, unit, period)
    return json.dumps(evaluation.as_dict(), ensure_ascii=False).encode()


def _stamp() -> tuple[int, str] | None:
    """What a cached result is valid for: the data revision and today's date ("the
    current year so far" moves with the date). None when caching is off."""
    if not settings.DXBOARD_EVALUATION_CACHE_SECONDS:
        return None
    return revision.current(), timezone.localdate().isoformat()


def _cached(key: tuple, compute: Callable[[], Any], stamp: tuple | None = None) -> Any:
    seconds = settings.DXBOARD_EVALUATION_CACHE_SECONDS
    if not seconds:
        return compute()
    # Hashed: codes come from the URL, and memcached refuses spaces and long keys.
    text = "\x1f".join(str(part) for part in (*key, *(stamp or _stamp())))
    name = "evaluation:" + hashlib.sha256(text.encode()).hexdigest()
    result = cache.get(name)
    if result is not None:
        return result
    # One thread computes, the others of this process wait for its result: after a
    # revision bump every polling dashboard misses at once, and computing the same
    # evaluation in each thread would only make them all wait longer under the GIL.
    with _computing_guard:
        lock = _computing.setdefault(name, threading.Lock())
    try:
        with lock:
            result = cache.get(name)
            if result is None:
                result = compute()
                cache.set(name, result, seconds)
    finally:
        with _computing_guard:
            _computing.pop(name, None)
    return result


_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()


def _evaluate_one(programme: Programme, unit: Unit, period: Period) -> Evaluation:
    return evaluate_many(programme, [unit], [period], user=None)[(unit.code, period.code)]


def evaluate_many(
    programme: Programme,
    units: Iterable[Unit],
    periods: Iterable[Period],
    *,
    user: User | AnonymousUser | None,
    sources: Mapping[int, Sequence[SourceLike]] | None = None,
) -> dict[tuple[str, str], Evaluation]:
    """`evaluate` for many units and periods: {(unit code, period code): Evaluation}.

    A unit whose validity began after a period began (a commune of 1 July 2025, for
    2024) is read from its former units (`history`, the 2025 reorganisation): merged
    units summed, a split one by its stored share and marked estimated. `sources`
    {unit id: [Source(unit_id, share, …)]} gives that weighted set of source units
    instead; a unit not in it is read from itself.

    One DuckDB query for every unit and period (`vectorized.rollup`; units may overlap,
    e.g. a province and its communes). Targets are looked up once per (unit, year), and the rules
    are prepared once for the programme (`rules.Scorer`).
    """
    units, periods = list(units), list(periods)
    _check_access_many(user, programme, units)
    with collector.paused():  # 100,000s of acyclic results: see dxboard.collector
        return _evaluate_many(programme, units, periods, sources)


def _evaluate_many(
    programme: Programme,
    units: list[Unit],
    periods: list[Period],
    sources: Mapping[int, Sequence[SourceLike]] | None = None,
    roll: Callable[..., Rolled] = rollup,
) -> dict[tuple[str, str], Evaluation]:
    """`roll` is the roll-up (the bench passes the former one, the oracle, beside it)."""
    indicators = programme_indicators(programme)
    scorer = Scorer(programme, indicators)
    elements = _elements(indicators)
    targets = Targets(programme, indicators, units, {p.year for p in periods})
    groups = {u.pk: u for u in units}
    if sources is None:
        sources = history(units, periods)
    values = (
        roll(elements, groups, periods, sources) if sources else roll(elements, groups, periods)
    )
    estimated = _estimated_elements(values)
    result = {}
    for unit in units:
        unit_values = values[unit.pk]
        for period in periods:
            rows = scorer.results(
                unit_values[period.code],
                targets.for_unit(unit, period.year),
                estimated.get((unit.pk, period.code), frozenset()),
                targets.estimated_for(unit, period.year),
            )
            result[(unit.code, period.code)] = Evaluation(
                programme, unit, period, scorer.summary(rows), rows
            )
    return result


def history(units: Iterable[Unit], periods: Iterable[Period]) -> dict[int, list[Source]] | None:
    """{unit id: its sources} for the units whose validity began after the earliest
    period began and that have former units; None when there is none (then the roll-up
    reads every unit from itself, without the weighting step). No query when every unit
    began before the periods (the usual case)."""
    periods = list(periods)
    if not periods:
        return None
    start = min(p.start for p in periods)
    late = [u for u in units if needs_history(u, start)]
    if not late:
        return None
    found = {uid: s for uid, s in sources_for_many(late, start).items() if len(s) > 1}
    return found or None


def _estimated_elements(values: Rolled) -> dict[tuple[Any, str], frozenset[int]]:
    """{(group key, period code): the elements whose figure is an estimate}."""
    found: dict[tuple[Any, str], set[int]] = {}
    for key, code, element in getattr(values, "estimated", ()):
        found.setdefault((key, code), set()).add(element)
    return {k: frozenset(v) for k, v in found.items()}


def _roll(elements, units: list[Unit], periods: list[Period]) -> Rolled:
    """The roll-up of units keyed by id, former units read for the part before a unit's
    start."""
    sources = history(units, periods)
    groups = {u.pk: u for u in units}
    return (
        rollup(elements, groups, periods, sources) if sources else rollup(elements, groups, periods)
    )


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
    scorer = Scorer(programme, [indicator])
    rolled = _roll(_elements([indicator]), [unit], periods)
    values = rolled[unit.pk]
    estimated = _estimated_elements(rolled)
    targets = Targets(programme, [indicator], [unit], {p.year for p in periods})
    spec = scorer.specs[0]
    points = []
    for period in periods:
        (target,) = targets.for_unit(unit, period.year)
        (target_estimated,) = targets.estimated_for(unit, period.year)
        flag = target_estimated or scorer.is_estimated(
            spec, estimated.get((unit.pk, period.code), frozenset())
        )
        row = scorer.result(spec, values[period.code], target, flag)
        points.append(TrendPoint(period, row.actual, row.target, row.achievement, row.status, flag))
    return points


def bounded_projection(projection: Projection) -> tuple[Decimal | None, Decimal | None]:
    """The projected value and its achievement, the value kept at or above 0, and at or
    below 100 for a percentage (a trend line does not know those limits). The dashboard
    and the work page flag targets at risk by it, so both flag the same indicators."""
    projected = projection.projected
    if projected is None:
        return None, projection.projected_achievement
    projected = max(projected, Decimal(0))
    if projection.indicator.unit_of_measure == "%":
        projected = min(projected, Decimal(100))
    if projection.final_target is None:
        return projected, None
    achievement = achievement_of(projected, projection.final_target, projection.indicator.direction)
    return projected, achievement


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
    kind = PeriodType(period_type)
    periods = _projection_periods(programme, until, kind)
    points = trend(programme, unit, indicator, periods, user=user)
    targets = Targets(programme, [indicator], [unit], {programme.end_year})
    (final_target,) = targets.for_unit(unit, programme.end_year)
    return _fit(programme, indicator, points, final_target, kind)


def projections(
    programme: Programme,
    unit: Unit,
    *,
    user: User | AnonymousUser | None,
    until: Period | None = None,
    period_type: str = PeriodType.YEAR,
) -> dict[str, Projection]:
    """`projection` of every indicator of the programme, {indicator code: Projection}:
    one evaluation of all periods at once, so the dashboard can flag each indicator at
    risk of missing its final target."""
    kind = PeriodType(period_type)
    periods = _projection_periods(programme, until, kind)
    evaluations = evaluate_many(programme, [unit], periods, user=user)
    indicators = programme_indicators(programme)
    finals = Targets(programme, indicators, [unit], {programme.end_year}).for_unit(
        unit, programme.end_year
    )
    rows = {
        (period.code, row.code): row
        for period in periods
        for row in evaluations[(unit.code, period.code)].indicators
    }
    result = {}
    for indicator, final_target in zip(indicators, finals, strict=True):
        points = []
        for period in periods:
            row = rows[(period.code, indicator.code)]
            points.append(
                TrendPoint(
                    period, row.actual, row.target, row.achievement, row.status, row.estimated
                )
            )
        result[indicator.code] = _fit(programme, indicator, points, final_target, kind)
    return result


def _projection_periods(programme: Programme, until: Period | None, kind: PeriodType):
    first = parse_period(str(programme.start_year))
    last = until or parse_period(str(programme.end_year))
    return [
        p
        for year in range(programme.start_year, min(last.end.year, programme.end_year) + 1)
        for p in parse_period(str(year)).sub_periods(kind)
        if p.start >= first.start and p.end <= last.end
    ]


def _fit(
    programme: Programme,
    indicator: Indicator,
    points: list[TrendPoint],
    final_target: Decimal | None,
    kind: PeriodType,
) -> Projection:
    """Linear least squares through the known actuals, read at the programme's end."""
    known = [(_x(p.period), p.actual) for p in points if p.actual is not None]
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


CURRENT, FORMER = "current", "former"
BASES = (CURRENT, FORMER)


def ranked_units(unit: Unit, period: Period | None = None, basis: str = CURRENT) -> list[Unit]:
    """The units a ranking under `unit` compares.

    `current`: the unit's children in force today (for a year before the reform, read
    from their former units, as the DTI 2024 on 34 provinces). `former`: the units that
    were its children on the period's last day, under it or under its former units (the
    63 provinces of 2024 under the nation, the former districts under a new province).
    A former unit has only former children. One query, and one per generation of
    reorganisations for a unit that began after the period began."""
    return _pick(
        unit, period, basis, list(Unit.objects.filter(parent_id__in=_parents(unit, period, basis)))
    )


def _parents(unit: Unit, period: Period | None, basis: str) -> set[int]:
    parents = {unit.pk}
    if basis == FORMER and period is not None and needs_history(unit, period.start):
        parents |= predecessor_ids(unit)
    return parents


def _pick(unit: Unit, period: Period | None, basis: str, children: list[Unit]) -> list[Unit]:
    """Among the children of `_parents`, those `ranked_units` takes."""
    if basis == FORMER and period is not None:
        day = period.end
    elif unit.valid_to is not None and period is not None:
        day = min(period.end, unit.valid_to)
    else:
        return [u for u in children if u.valid_to is None and u.parent_id == unit.pk]
    return [
        u
        for u in children
        if (u.valid_from is None or u.valid_from <= day)
        and (u.valid_to is None or u.valid_to >= day)
    ]


def ranking_bases(unit: Unit, period: Period) -> list[str]:
    """The bases a ranking for the period can be shown on: both when the units of the
    period's last day differ from today's (a year before the reform), else `current`.
    No query for a period not yet over, else one (and one per generation of
    reorganisations for a unit that began after the period began)."""
    if unit.valid_to is not None or period.end >= timezone.localdate():
        return [CURRENT]
    children = list(Unit.objects.filter(parent_id__in=_parents(unit, period, FORMER)))
    former = {u.pk for u in _pick(unit, period, FORMER, children)}
    current = {u.pk for u in _pick(unit, period, CURRENT, children)}
    return [CURRENT, FORMER] if former and former != current else [CURRENT]


def ranking_kinds(
    unit: Unit, period: Period | None = None, basis: str = CURRENT
) -> list[tuple[str, str, int]]:
    """The kinds of the units ranked under `unit` (`ranked_units`), with their labels and
    counts, most numerous first: a ranking compares like with like (departments apart
    from communes)."""
    counts = Counter(u.kind for u in ranked_units(unit, period, basis))
    labels = dict(UnitKind.choices)
    order = sorted(counts, key=lambda kind: (-counts[kind], kind != UnitKind.COMMUNE, kind))
    return [(kind, str(labels.get(kind, kind)), counts[kind]) for kind in order]


def rank_children(
    programme: Programme,
    unit: Unit,
    period: Period,
    indicator: Indicator | str,
    *,
    user: User | AnonymousUser | None,
    kind: str | None = None,
    basis: str = CURRENT,
) -> list[RankedUnit]:
    """The units under `unit` of one kind ranked on one indicator (best first).

    `basis` chooses the units (`ranked_units`): today's children (`current`, read from
    their former units for a period before their start, estimated where a split share
    counts) or the children of the period's last day (`former`). Only units of the same
    kind are compared: `kind`, or by default the most numerous kind among them
    (communes, rather than the province's departments). Ties share a rank and the next
    rank skips (standard competition ranking: 1, 2, 2, 4); units without a figure come
    last, unranked. One grouped value query for all of them; "best" follows the
    indicator's direction.
    """
    _check_access(user, programme, unit)
    indicator = _indicator_in(programme, indicator)
    if basis not in BASES:
        message = _("Cơ sở xếp hạng “%(basis)s” không hợp lệ: dùng current hoặc former.") % {
            "basis": basis
        }
        raise InvalidInput(message, [ErrorDetail("basis", message)])
    candidates = ranked_units(unit, period, basis)
    counts = Counter(u.kind for u in candidates)
    if not counts:
        return []
    default = sorted(counts, key=lambda k: (-counts[k], k != UnitKind.COMMUNE, k))[0]
    kind = kind if kind in counts else default
    children = [u for u in candidates if u.kind == kind]
    scorer = Scorer(programme, [indicator])
    spec = scorer.specs[0]
    rolled = _roll(_elements([indicator]), children, [period])
    estimated = _estimated_elements(rolled)
    targets = Targets(programme, [indicator], children, {period.year})
    rows = []
    for child in children:
        (target,) = targets.for_unit(child, period.year)
        (target_estimated,) = targets.estimated_for(child, period.year)
        flag = target_estimated or scorer.is_estimated(
            spec, estimated.get((child.pk, period.code), frozenset())
        )
        row = scorer.result(spec, rolled[child.pk][period.code], target, flag)
        rows.append(
            RankedUnit(None, child, row.actual, row.target, row.achievement, row.status, flag)
        )
    with_data = [r for r in rows if r.actual is not None]

    def badness(r: RankedUnit) -> Decimal:
        assert r.actual is not None
        return r.actual if indicator.direction == Direction.DOWN else -r.actual

    with_data.sort(key=lambda r: (badness(r), r.unit.sort_key))
    for position, row in enumerate(with_data, start=1):
        previous = with_data[position - 2] if position > 1 else None
        tied = previous is not None and previous.actual == row.actual
        row.rank = previous.rank if tied and previous is not None else position
    without = sorted((r for r in rows if r.actual is None), key=lambda r: r.unit.sort_key)
    return with_data + without


def ranking_by_codes(
    user: User | AnonymousUser | None,
    programme_code: str,
    unit_code: str | None,
    period_code: str,
    indicator_code: str | None,
    *,
    basis: str = CURRENT,
    kind: str | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """The API's ranking: `resolve`, then `rank_children` on the basis asked, as a dict
    (numbers rounded for display, each unit with its validity)."""
    programme, unit, period = resolve(user, programme_code, unit_code, period_code, as_of=as_of)
    if not indicator_code:
        indicators = programme_indicators(programme)
        if not indicators:
            message = _("Chương trình chưa có chỉ tiêu.")
            raise InvalidInput(message, [ErrorDetail("indicator", message)])
        indicator_code = indicators[0].code
    indicator = _indicator_in(programme, indicator_code)
    rows = rank_children(programme, unit, period, indicator, user=user, kind=kind, basis=basis)
    decimals = indicator.decimals
    return {
        "programme": {"code": programme.code, "name": programme.name},
        "unit": {"code": unit.code, "name": unit.name},
        "period": {"code": period.code, "label": period.label},
        "indicator": {"code": indicator.code, "name": indicator.name},
        "basis": basis,
        "bases": ranking_bases(unit, period),
        "kind": rows[0].unit.kind if rows else None,
        "units": [
            {
                "rank": r.rank,
                "code": r.unit.code,
                "name": r.unit.name,
                "validFrom": r.unit.valid_from,
                "validTo": r.unit.valid_to,
                "actual": round_for_display(r.actual, decimals),
                "target": round_for_display(r.target, 6),
                "achievement": round_for_display(r.achievement, 1),
                "status": r.status,
                "estimated": r.estimated,
            }
            for r in rows
        ],
    }
