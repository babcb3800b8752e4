"""Results of a campaign: points per group and pillar, index, ranks, change on last year.

    compute(scorecard, *, peers=None, with_change=True) -> list[UnitResult]
    competition_ranks(values) -> {key: rank}          # 1, 2, 2, 4
    results_for(user, scorecard, *, peers_code="", sort="") -> list[UnitResult]
    peer_groups(user, scorecard) -> [UnitGroup]      # the groups a ranking may be among
    published_results(unit, year) -> list[ResultRow]  # public, no user needed

Rules (issue 14, point 5):
- a criterion's points are the reviewer's when set, else the rule's from the unit's
  figure (the automatic figure for bound criteria); a rule "against the best" compares
  with the best value among the peers;
- a unit that did not submit scores 0 on every criterion once submissions are closed
  ("không nộp");
- index = points / the set's maximum (0–1, as the national DTI);
- ranks are standard competition ranks (1, 2, 2, 4) among the ranked units of the same
  set (or of a chosen peer group); an excluded unit is listed as "không xếp hạng" and
  takes no rank; groups marked not ranked get no rank of their own;
- a criterion or a group marked not ranked is scored (its points are in the unit's
  points and index, as the scorecard shows them) but left out of the points that ranks
  compare (`ranking_points`): e.g. "hoạt động kinh tế số", which only the economic
  departments can score, must not lift them above the others;
- change: against the published set of the year before for the same issuing unit and
  kind of unit, matched by unit code (points, index, and rank: positive = moved up);
- grouped ranks: the set's tiers by index ("Nhóm 1" from 0.8), for ranked units only.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.units.models import Unit, UnitGroup

from .models import Criterion, Group, Participant, RuleType, Score, Scorecard, Status
from .rules import Rule, parse_rule
from .sets import scorecard_tree

ZERO = Decimal(0)
INDEX_PLACES = Decimal("0.0001")


@dataclass
class GroupResult:
    code: str
    stt: str
    name: str
    pillar: str
    points: Decimal
    max_points: Decimal
    ranked: bool
    rank: int | None = None
    # The points of its ranked criteria: what the group's rank compares.
    ranking_points: Decimal = ZERO


@dataclass
class PillarResult:
    pillar: str
    points: Decimal
    max_points: Decimal
    rank: int | None = None
    # The points of its ranked groups' ranked criteria.
    ranking_points: Decimal = ZERO


@dataclass
class Change:
    points: Decimal
    index: Decimal
    rank: int | None  # previous rank − rank: positive when the unit moved up
    previous_rank: int | None
    previous_points: Decimal
    # Last year's rank in each group and pillar (by code), for a ranking by group/pillar.
    previous_groups: dict[str, int | None] = field(default_factory=dict)
    previous_pillars: dict[str, int | None] = field(default_factory=dict)


@dataclass
class UnitResult:
    unit: Unit
    points: Decimal
    max_points: Decimal
    index: Decimal
    ranked: bool
    exclusion_reason: str
    submitted: bool
    not_submitted: bool  # closed without a submission: 0 points, "không nộp"
    groups: list[GroupResult]
    pillars: dict[str, PillarResult]
    rank: int | None = None
    tier: str = ""
    change: Change | None = None
    criteria: dict[str, Decimal] = field(default_factory=dict)
    # The points of the ranked criteria of the ranked groups: what the rank compares.
    ranking_points: Decimal = ZERO

    def group(self, code: str) -> GroupResult | None:
        return next((g for g in self.groups if g.code == code), None)


@dataclass(frozen=True)
class ResultRow:
    """A published result, for the committee report and open data (no user needed)."""

    unit_code: str
    unit_name: str
    unit_kind: str
    set_code: str
    points: Decimal
    max_points: Decimal
    index: Decimal
    rank: int | None
    ranked: bool
    groups: list[GroupResult]


def competition_ranks(values: Iterable[tuple[Hashable, Decimal]]) -> dict[Hashable, int]:
    """Standard competition ranking, highest first: 10, 8, 8, 5 → 1, 2, 2, 4."""
    items = list(values)
    ordered = sorted((v for _k, v in items), reverse=True)
    first_at: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_at.setdefault(value, position)
    return {key: first_at[value] for key, value in items}


def criterion_points(
    rule: Rule, criterion: Criterion, score: Score | None, best: Decimal | None
) -> Decimal:
    if score is None:
        return ZERO
    if score.reviewed_points is not None:
        return score.reviewed_points
    if rule.type == RuleType.MANUAL:
        return score.self_points or ZERO
    return rule.points(
        value=score.value,
        numerator=score.numerator,
        denominator=score.denominator,
        choice=score.choice,
        best=best,
    )


def _best(rule: Rule, values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return min(values) if rule.lower_is_better else max(values)


def compute(
    scorecard: Scorecard,
    *,
    peers: set[int] | None = None,
    with_change: bool = True,
    groups: list[Group] | None = None,
) -> list[UnitResult]:
    """Every participant's result (of the peers only, when `peers` holds unit pks).

    Five queries whatever the number of units, plus as many for last year's set.
    """
    groups = scorecard_tree(scorecard) if groups is None else groups
    criteria = [c for g in groups for c in g.criteria.all()]
    rules = {c.pk: parse_rule(c.rule_type, c.rule, c.max_points) for c in criteria}
    participants = list(
        Participant.objects.filter(scorecard=scorecard)
        .select_related("unit")
        .order_by("unit__sort_key", "unit__code")
    )
    if peers is not None:
        participants = [p for p in participants if p.unit_id in peers]
    closed = scorecard.status != Status.OPEN
    counted = [p for p in participants if not (closed and p.submitted_at is None)]
    scores = {
        (s.participant_id, s.criterion_id): s
        for s in Score.objects.filter(participant__in=[p.pk for p in counted])
    }
    best: dict[int, Decimal | None] = {}
    for criterion in criteria:
        rule = rules[criterion.pk]
        if rule.needs_peers:
            values = [
                s.value
                for p in counted
                if (s := scores.get((p.pk, criterion.pk))) is not None and s.value is not None
            ]
            best[criterion.pk] = _best(rule, values)
    counted_ids = {p.pk for p in counted}
    results: list[UnitResult] = []
    for participant in participants:
        group_results: list[GroupResult] = []
        by_criterion: dict[str, Decimal] = {}
        for group in groups:
            points = ZERO
            ranking_points = ZERO
            for criterion in group.criteria.all():
                value = ZERO
                if participant.pk in counted_ids:
                    value = criterion_points(
                        rules[criterion.pk],
                        criterion,
                        scores.get((participant.pk, criterion.pk)),
                        best.get(criterion.pk),
                    )
                by_criterion[criterion.code] = value
                points += value
                if criterion.ranked:
                    ranking_points += value
            group_results.append(
                GroupResult(
                    group.code,
                    group.stt,
                    group.name,
                    group.pillar,
                    points,
                    group.max_points,
                    group.ranked,
                    ranking_points=ranking_points,
                )
            )
        total = sum((g.points for g in group_results), ZERO)
        pillars: dict[str, PillarResult] = {}
        for g in group_results:
            if g.pillar:
                pillar = pillars.setdefault(g.pillar, PillarResult(g.pillar, ZERO, ZERO))
                pillar.points += g.points
                pillar.max_points += g.max_points
                if g.ranked:
                    pillar.ranking_points += g.ranking_points
        index = (
            (total / scorecard.max_points).quantize(INDEX_PLACES, rounding=ROUND_HALF_UP)
            if scorecard.max_points
            else ZERO
        )
        results.append(
            UnitResult(
                unit=participant.unit,
                points=total,
                max_points=scorecard.max_points,
                index=index,
                ranked=participant.ranked,
                exclusion_reason=participant.exclusion_reason,
                submitted=participant.submitted_at is not None,
                not_submitted=closed and participant.submitted_at is None,
                groups=group_results,
                pillars=pillars,
                criteria=by_criterion,
                ranking_points=sum((g.ranking_points for g in group_results if g.ranked), ZERO),
            )
        )
    _rank(results, groups)
    tiers = list(scorecard.tiers.all())
    for result in results:
        # A grouped rank ("nhóm 1/2/3") is a rank: a unit not ranked is in no group.
        if result.ranked:
            result.tier = next((t.name for t in tiers if result.index >= t.min_index), "")
    if with_change:
        _changes(scorecard, results, peers)
    return results


def _rank(results: list[UnitResult], groups: list[Group]) -> None:
    ranked = [r for r in results if r.ranked]
    ranks = competition_ranks((r.unit.pk, r.ranking_points) for r in ranked)
    for r in ranked:
        r.rank = ranks[r.unit.pk]
    for position, group in enumerate(groups):
        if not group.ranked or not group.max_points:
            continue
        ranks = competition_ranks((r.unit.pk, r.groups[position].ranking_points) for r in ranked)
        for r in ranked:
            r.groups[position].rank = ranks[r.unit.pk]
    # A pillar is ranked on its ranked groups; one with none of them has no rank.
    pillars = {g.pillar for g in groups if g.pillar and g.ranked and g.max_points}
    for pillar in pillars:
        ranks = competition_ranks(
            (r.unit.pk, r.pillars[pillar].ranking_points) for r in ranked if pillar in r.pillars
        )
        for r in ranked:
            if pillar in r.pillars:
                r.pillars[pillar].rank = ranks[r.unit.pk]


def previous_scorecard(scorecard: Scorecard) -> Scorecard | None:
    return (
        Scorecard.objects.filter(
            owner_unit=scorecard.owner_unit,
            unit_kind=scorecard.unit_kind,
            year=scorecard.year - 1,
            status=Status.PUBLISHED,
        )
        .order_by("code")
        .first()
    )


def _changes(scorecard: Scorecard, results: list[UnitResult], peers: set[int] | None) -> None:
    previous = previous_scorecard(scorecard)
    if previous is None:
        return
    before = {r.unit.code: r for r in compute(previous, peers=peers, with_change=False)}
    for result in results:
        old = before.get(result.unit.code)
        if old is None:
            continue
        moved = old.rank - result.rank if old.rank is not None and result.rank is not None else None
        result.change = Change(
            points=result.points - old.points,
            index=result.index - old.index,
            rank=moved,
            previous_rank=old.rank,
            previous_points=old.points,
            previous_groups={g.code: g.rank for g in old.groups},
            previous_pillars={code: p.rank for code, p in old.pillars.items()},
        )


def sort_results(results: list[UnitResult], sort: str = "") -> list[UnitResult]:
    """By rank overall, or by a group's (`group:CODE`) or pillar's (`pillar:CODE`) points;
    units not ranked come last."""

    def points_of(result: UnitResult) -> tuple[Decimal, Decimal]:
        # What the rank compares first, then the points shown (for a group not ranked).
        kind, _sep, code = sort.partition(":")
        if kind == "group":
            group = result.group(code)
            return (group.ranking_points, group.points) if group else (ZERO, ZERO)
        if kind == "pillar":
            pillar = result.pillars.get(code)
            return (pillar.ranking_points, pillar.points) if pillar else (ZERO, ZERO)
        return result.ranking_points, result.points

    def key(result: UnitResult) -> tuple[bool, Decimal, Decimal, str]:
        ranking, shown = points_of(result)
        return (not result.ranked, -ranking, -shown, result.unit.sort_key)

    return sorted(results, key=key)


def peer_groups(user: Any, scorecard: Scorecard) -> list[UnitGroup]:
    """The unit groups a ranking may be limited to: those holding an assessed unit,
    issued by the set's own unit or visible to the user (a group is seen by whoever
    sees the unit that keeps it)."""
    queryset = UnitGroup.objects.filter(
        units__in=Participant.objects.filter(scorecard=scorecard).values("unit")
    )
    if user is not None and not user.is_superuser:
        queryset = queryset.filter(
            Q(owner_unit=scorecard.owner_unit)
            | Q(pk__in=UnitGroup.objects.visible_to(user).values("pk"))
        )
    return list(queryset.distinct().order_by("name", "code"))


def peer_units(user: Any, scorecard: Scorecard, code: str) -> set[int]:
    group = next((g for g in peer_groups(user, scorecard) if g.code == code), None)
    if group is None:
        message = _("Không tìm thấy nhóm đơn vị “%(c)s”.") % {"c": code}
        raise InvalidInput(message, [ErrorDetail("peers", message)])
    return set(group.units.values_list("pk", flat=True))


def results_for(
    user: Any, scorecard: Scorecard, *, peers_code: str = "", sort: str = ""
) -> tuple[list[UnitResult], bool]:
    """The results the user may see, and whether they are the full ranking.

    Published results are public. Before that, the province's officers see every unit;
    anyone else sees only the units they belong to (their own scores), without ranks.
    """
    peers = peer_units(user, scorecard, peers_code) if peers_code else None
    results = compute(scorecard, peers=peers)
    full = scorecard.is_published or (
        user is None or permissions.can(user, "scorecards.manage", scorecard.owner_unit)
    )
    if not full:
        results = [r for r in results if r.unit.is_visible_to(user)]
        for r in results:
            r.rank = None
            r.change = None
            for g in r.groups:
                g.rank = None
            for p in r.pillars.values():
                p.rank = None
    return sort_results(results, sort), full


def published_results(unit: Unit, year: int) -> list[ResultRow]:
    """The published results of `year` for the units at or under `unit`.

    For the committee report and open data: published results are public, so no user
    or request is needed. Rows are ordered by set, then rank (units not ranked last).
    """
    scorecards = (
        Scorecard.objects.filter(year=year, status=Status.PUBLISHED)
        .filter(
            Q(owner_unit__path__startswith=unit.path)
            | Q(owner_unit__in=unit.ancestors() if unit.pk else [])
        )
        .select_related("owner_unit")
        .order_by("code")
    )
    rows: list[ResultRow] = []
    for scorecard in scorecards:
        for result in sort_results(compute(scorecard, with_change=False)):
            if not result.unit.path.startswith(unit.path):
                continue
            rows.append(
                ResultRow(
                    unit_code=result.unit.code,
                    unit_name=result.unit.name,
                    unit_kind=result.unit.kind,
                    set_code=scorecard.code,
                    points=result.points,
                    max_points=result.max_points,
                    index=result.index,
                    rank=result.rank,
                    ranked=result.ranked,
                    groups=result.groups,
                )
            )
    return rows


def peer_summary(results: list[UnitResult]) -> list[dict[str, Any]]:
    """Per group: the average and the best points among the counted units (for the chart)."""
    if not results:
        return []
    counted = [r for r in results if not r.not_submitted] or results
    summary = []
    for position, group in enumerate(results[0].groups):
        values = [r.groups[position].points for r in counted]
        summary.append(
            {
                "code": group.code,
                "name": group.name,
                "max": group.max_points,
                "average": (sum(values, ZERO) / len(values)).quantize(Decimal("0.01")),
                "best": max(values),
            }
        )
    return summary
