"""Results: points per group and pillar, index, competition ranks with ties and
exclusions, normalisation among the peers, tiers, change on last year, published rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dxboard.scorecards import services
from dxboard.scorecards.models import Scorecard, Status
from dxboard.scorecards.results import Change
from dxboard.scorecards.tests.factories import make_scorecard, set_document
from dxboard.testing import World, make_unit
from dxboard.units.models import UnitGroup


def _group(result: services.UnitResult, code: str) -> services.GroupResult:
    group = result.group(code)
    assert group is not None
    return group


def _change(result: services.UnitResult) -> Change:
    assert result.change is not None
    return result.change


def test_competition_ranks_share_a_rank_on_ties_and_skip_the_next() -> None:
    ranks = services.competition_ranks(
        [("a", Decimal(10)), ("b", Decimal(8)), ("c", Decimal(8)), ("d", Decimal(5))]
    )
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def _score(world: World, scorecard: Scorecard, unit: str, meetings: int, members: int) -> None:
    """A unit's self-assessment, varying two criteria (1.1 steps, 2.1 against the best)."""
    services.save_scores(
        world.admin,
        scorecard,
        [
            {"unit": unit, "criterion": "NT-1", "value": meetings},
            {"unit": unit, "criterion": "NT-2", "value": "chu_tich"},
            {"unit": unit, "criterion": "NT-3", "value": 1},
            {"unit": unit, "criterion": "NT-4", "numerator": 1, "denominator": 2},
            {"unit": unit, "criterion": "NT-5", "points": 10},
            {"unit": unit, "criterion": "CQ-1", "value": members},
            {"unit": unit, "criterion": "CQ-2", "value": 0},
            {"unit": unit, "criterion": "TT-1", "value": 12},
        ],
    )


def _publish(world: World, scorecard: Scorecard) -> None:
    for p in scorecard.participants.select_related("unit"):
        services.submit(world.admin, scorecard, p.unit.code)
    services.start_review(world.admin, scorecard)
    services.confirm(world.admin, scorecard, "Quyết định 1/QĐ-HĐTĐ")
    services.publish(world.admin, scorecard)


@pytest.fixture
def four_communes(world: World) -> Scorecard:
    make_unit("Xã Cần Đăng", code="99003", parent=world.province)
    make_unit("Xã Ô Long Vĩ", code="99004", parent=world.province)
    return make_scorecard(world)


@pytest.mark.django_db
def test_ties_share_a_rank_and_an_excluded_unit_takes_none(
    world: World, four_communes: Scorecard
) -> None:
    scorecard = four_communes
    _score(world, scorecard, "99001", 4, 40)  # 20 + 30 + 10 + 10 + 10 + 60 + 40 = 180
    _score(world, scorecard, "99002", 3, 40)  # 175
    _score(world, scorecard, "99003", 3, 40)  # 175
    _score(world, scorecard, "99004", 4, 20)  # 150 (20 of the best 40: 30 of 60)
    services.set_ranked(world.admin, scorecard, "99001", False, "Sáp nhập giữa năm")
    results = {r.unit.code: r for r in services.compute(scorecard)}
    assert results["99001"].points == Decimal(180)
    assert results["99001"].rank is None and not results["99001"].ranked
    assert results["99001"].exclusion_reason == "Sáp nhập giữa năm"
    # The excluded unit takes no rank: the tie is first, then third.
    assert [results[c].rank for c in ("99002", "99003", "99004")] == [1, 1, 3]
    assert _group(results["99004"], "CQ").points == Decimal(70)
    assert results["99002"].index == Decimal("0.875")
    assert results["99002"].tier == "Nhóm 1" and results["99004"].tier == "Nhóm 2"
    # A grouped rank is a rank: the excluded unit is in no group either.
    assert results["99001"].tier == ""
    assert results["99002"].pillars["chinh_quyen_so"].rank == 1
    # The 0-point group has no rank of its own.
    assert _group(results["99002"], "TT").rank is None


@pytest.mark.django_db
def test_ranking_by_a_group_or_within_a_peer_group(world: World, four_communes: Scorecard) -> None:
    scorecard = four_communes
    _score(world, scorecard, "99001", 1, 40)
    _score(world, scorecard, "99002", 4, 10)
    _score(world, scorecard, "99003", 2, 30)
    _score(world, scorecard, "99004", 3, 20)
    results, _full = services.results_for(world.province_officer, scorecard, sort="group:NT")
    assert [r.unit.code for r in results] == ["99002", "99004", "99003", "99001"]
    peers = UnitGroup.objects.create(code="THI-DIEM", name="Xã thí điểm", owner_unit=world.province)
    peers.units.set(
        scorecard.participants.filter(unit__code__in=["99002", "99004"]).values_list(
            "unit", flat=True
        )
    )
    results, _full = services.results_for(world.province_officer, scorecard, peers_code="THI-DIEM")
    assert [(r.unit.code, r.rank) for r in results] == [("99004", 1), ("99002", 2)]
    # Against the best of the peers (20 members), not of the province (40).
    assert _group(results[0], "CQ").points == Decimal(100)


@pytest.mark.django_db
def test_change_against_last_years_published_results(
    world: World, four_communes: Scorecard
) -> None:
    last_year = make_scorecard(world, code="XA-2024", year=2024)
    _score(world, last_year, "99001", 4, 40)
    _score(world, last_year, "99002", 1, 10)
    _score(world, last_year, "99003", 2, 20)
    _score(world, last_year, "99004", 3, 30)
    _publish(world, last_year)
    scorecard = four_communes
    _score(world, scorecard, "99001", 2, 40)
    _score(world, scorecard, "99002", 4, 40)
    _score(world, scorecard, "99003", 2, 20)
    _score(world, scorecard, "99004", 3, 30)
    results = {r.unit.code: r for r in services.compute(scorecard)}
    assert _change(results["99002"]).previous_rank == 4
    assert _change(results["99002"]).rank == 3  # 4th → 1st
    assert _change(results["99002"]).points == Decimal(60)  # 120 → 180
    assert _change(results["99001"]).rank == -1  # 1st → 2nd
    assert _change(results["99003"]).points == 0


@pytest.mark.django_db
def test_normalisation_with_a_best_of_zero_gives_zero_points(world: World) -> None:
    scorecard = make_scorecard(world)
    _score(world, scorecard, "99001", 4, 0)
    _score(world, scorecard, "99002", 4, 0)
    results = services.compute(scorecard)
    assert all(_group(r, "CQ").points == 40 for r in results)


@pytest.mark.django_db
def test_published_results_are_plain_rows_for_other_apps(
    world: World, four_communes: Scorecard
) -> None:
    scorecard = four_communes
    for code, meetings in (("99001", 4), ("99002", 3), ("99003", 2), ("99004", 1)):
        _score(world, scorecard, code, meetings, 40)
    assert services.published_results(world.province, 2025) == []
    _publish(world, scorecard)
    scorecard.refresh_from_db()
    assert scorecard.status == Status.PUBLISHED
    rows = services.published_results(world.province, 2025)
    assert [(r.unit_code, r.rank) for r in rows] == [
        ("99001", 1),
        ("99002", 2),
        ("99003", 3),
        ("99004", 4),
    ]
    first = rows[0]
    assert (first.unit_name, first.unit_kind, first.set_code) == (
        "Xã An Bình",
        "commune",
        "XA-2025",
    )
    assert first.points == Decimal(180) and first.max_points == Decimal(200)
    assert first.index == Decimal("0.9") and first.ranked
    assert [g.code for g in first.groups] == ["NT", "CQ", "TT"]
    assert [r.unit_code for r in services.published_results(world.commune_b, 2025)] == ["99002"]
    assert services.published_results(world.province, 2024) == []


@pytest.mark.django_db
def test_the_results_take_a_fixed_number_of_queries(
    world: World, four_communes: Scorecard, django_assert_max_num_queries: Any
) -> None:
    for code in ("99001", "99002", "99003", "99004"):
        _score(world, four_communes, code, 3, 30)
    with django_assert_max_num_queries(8):
        services.compute(four_communes)


@pytest.mark.django_db
def test_a_criterion_scored_but_not_ranked_counts_in_the_points_not_in_the_rank(
    world: World,
) -> None:
    # NT-5 (20 points, manual) is scored but not ranked: commune A's 20 on it show in
    # its points and index, yet both communes rank on the rest, where they are level.
    scorecard = make_scorecard(world)
    _score(world, scorecard, "99001", 4, 40)
    _score(world, scorecard, "99002", 4, 40)
    services.save_scores(
        world.admin,
        scorecard,
        [
            {"unit": "99001", "criterion": "NT-5", "points": 20},
            {"unit": "99002", "criterion": "NT-5", "points": 0},
        ],
    )
    results = {r.unit.code: r for r in services.compute(scorecard)}
    a, b = results["99001"], results["99002"]
    assert (a.points, b.points) == (Decimal(190), Decimal(170))
    assert a.index == Decimal("0.95")
    assert (a.ranking_points, b.ranking_points) == (Decimal(170), Decimal(170))
    assert (a.rank, b.rank) == (1, 1)
    assert (_group(a, "NT").points, _group(a, "NT").ranking_points) == (Decimal(90), Decimal(70))
    assert (_group(a, "NT").rank, _group(b, "NT").rank) == (1, 1)
    assert (a.pillars["nhan_thuc"].rank, b.pillars["nhan_thuc"].rank) == (1, 1)
    ordered, _full = services.results_for(world.province_officer, scorecard)
    assert [r.unit.code for r in ordered] == ["99001", "99002"]  # then by the unit's order


@pytest.mark.django_db
def test_a_group_not_ranked_is_scored_but_left_out_of_the_overall_rank(world: World) -> None:
    # "Hoạt động kinh tế số" scored for some departments only: not ranked, so a unit
    # that scores on it does not overtake one that could not.
    document = set_document()
    document["groups"][1]["ranked"] = False
    scorecard = services.import_scorecard(world.province_officer, document)
    _score(world, scorecard, "99001", 3, 40)  # NT 75, CQ 100
    _score(world, scorecard, "99002", 4, 0)  # NT 80, CQ 40
    results = {r.unit.code: r for r in services.compute(scorecard)}
    a, b = results["99001"], results["99002"]
    assert (a.points, b.points) == (Decimal(175), Decimal(120))
    assert (a.rank, b.rank) == (2, 1)
    assert _group(a, "CQ").rank is None
    # The group's pillar is not ranked either: its only group is not.
    assert a.pillars["chinh_quyen_so"].rank is None


@pytest.mark.django_db
def test_the_change_keeps_last_years_rank_of_every_group_and_pillar(world: World) -> None:
    last_year = make_scorecard(world, code="XA-2024", year=2024)
    _score(world, last_year, "99001", 1, 40)  # NT 65, CQ 100: first overall, second in NT
    _score(world, last_year, "99002", 4, 10)  # NT 80, CQ 55
    _publish(world, last_year)
    scorecard = make_scorecard(world)
    _score(world, scorecard, "99001", 4, 40)
    _score(world, scorecard, "99002", 4, 40)
    results = {r.unit.code: r for r in services.compute(scorecard)}
    a, b = _change(results["99001"]), _change(results["99002"])
    assert (a.previous_rank, b.previous_rank) == (1, 2)
    assert (a.previous_groups["NT"], b.previous_groups["NT"]) == (2, 1)
    assert (a.previous_groups["CQ"], a.previous_groups["TT"]) == (1, None)
    assert (a.previous_pillars["nhan_thuc"], b.previous_pillars["nhan_thuc"]) == (2, 1)
