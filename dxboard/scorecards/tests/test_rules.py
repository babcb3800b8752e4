"""Every scoring rule, with values on and around each step."""

from __future__ import annotations

from decimal import Decimal
from decimal import Decimal as D

import pytest

from dxboard.scorecards.rules import (
    RuleError,
    best_points,
    manual_points,
    parse_rule,
    ratio_points,
    step_points,
    tier_points,
    yes_no_points,
)

STEPS = [(D(4), D(20)), (D(3), D(15)), (D(2), D(10)), (D(1), D(5))]


@pytest.mark.parametrize(
    ("a", "b", "points"),
    [(D(3), D(4), D("15.00")), (D(0), D(4), D(0)), (D(4), D(4), D(20)), (D(1), D(3), D("6.67"))],
)
def test_ratio_gives_a_over_b_times_the_maximum(a: Decimal, b: Decimal, points: Decimal) -> None:
    assert ratio_points(a, b, D(20)) == points


def test_ratio_is_capped_at_the_maximum_and_zero_without_a_denominator() -> None:
    assert ratio_points(D(5), D(4), D(20)) == D(20)
    assert ratio_points(D(5), D(0), D(20)) == 0
    assert ratio_points(None, D(4), D(20)) == 0


def test_ratio_where_lower_is_better_scores_the_remaining_share() -> None:
    # 1 overdue dossier of 4: 3/4 of the points.
    assert ratio_points(D(1), D(4), D(20), lower_is_better=True) == D(15)
    assert ratio_points(D(0), D(4), D(20), lower_is_better=True) == D(20)


@pytest.mark.parametrize(
    ("meetings", "points"),
    [
        (D(5), D(20)),
        (D(4), D(20)),
        (D("3.99"), D(15)),
        (D(3), D(15)),
        (D("2.5"), D(10)),
        (D(2), D(10)),
        (D(1), D(5)),
        (D("0.99"), D(0)),
        (D(0), D(0)),
        (None, D(0)),
    ],
)
def test_steps_give_the_points_of_the_highest_step_reached(
    meetings: Decimal | None, points: Decimal
) -> None:
    assert step_points(meetings, STEPS) == points


@pytest.mark.parametrize(
    ("overdue", "points"), [(D(0), D(40)), (D("0.5"), D(20)), (D(5), D(20)), (D(6), D(0))]
)
def test_steps_where_lower_is_better_count_values_at_or_below_the_threshold(
    overdue: Decimal, points: Decimal
) -> None:
    assert step_points(overdue, [(D(0), D(40)), (D(5), D(20))], lower_is_better=True) == points


def test_tiers_give_a_share_of_the_maximum() -> None:
    tiers = {"chu_tich": D(1), "pho": D("0.5"), "khong": D(0)}
    assert tier_points("chu_tich", tiers, D(30)) == D(30)
    assert tier_points("pho", tiers, D(30)) == D(15)
    assert tier_points("khong", tiers, D(30)) == 0
    assert tier_points("", tiers, D(30)) == 0


def test_yes_no() -> None:
    assert yes_no_points(D(1), D(10)) == D(10)
    assert yes_no_points(D(0), D(10)) == 0
    assert yes_no_points(None, D(10)) == 0


def test_normalised_against_the_best_unit() -> None:
    assert best_points(D(30), D(60), D(60)) == D(30)
    assert best_points(D(60), D(60), D(60)) == D(60)
    assert best_points(D(0), D(60), D(60)) == 0


def test_normalised_with_a_best_of_zero_gives_everyone_zero_not_an_error() -> None:
    assert best_points(D(0), D(0), D(60)) == 0


def test_normalised_where_lower_is_better_divides_the_best_by_the_value() -> None:
    assert best_points(D(4), D(2), D(10), lower_is_better=True) == D(5)
    assert best_points(D(2), D(2), D(10), lower_is_better=True) == D(10)
    # The best possible: nothing overdue.
    assert best_points(D(0), D(0), D(10), lower_is_better=True) == D(10)
    assert best_points(D(3), D(0), D(10), lower_is_better=True) == 0


def test_a_manual_score_must_lie_within_zero_and_the_maximum() -> None:
    assert manual_points(D(12), D(20)) == D(12)
    assert manual_points(D(20), D(20)) == D(20)
    assert manual_points(D(0), D(20)) == 0
    with pytest.raises(RuleError):
        manual_points(D("20.01"), D(20))
    with pytest.raises(RuleError):
        manual_points(D(-1), D(20))


def test_parse_rule_refuses_step_points_above_the_maximum() -> None:
    with pytest.raises(RuleError, match=r"steps\[0\]\.points"):
        parse_rule("steps", {"steps": [{"min": 4, "points": 25}]}, D(20))


def test_parse_rule_refuses_text_in_a_threshold_and_an_unknown_type() -> None:
    with pytest.raises(RuleError, match=r"steps\[0\]\.min"):
        parse_rule("steps", {"steps": [{"min": "bốn", "points": 20}]}, D(20))
    with pytest.raises(RuleError, match="weighted"):
        parse_rule("weighted", {}, D(20))


def test_parse_rule_refuses_a_tier_share_above_one() -> None:
    with pytest.raises(RuleError, match=r"tiers\[0\]\.share"):
        parse_rule("tiers", {"tiers": [{"code": "a", "share": 2}]}, D(20))


def test_a_parsed_rule_describes_itself_in_vietnamese() -> None:
    rule = parse_rule(
        "steps", {"steps": [{"min": 4, "points": 20}, {"min": 3, "points": 15}]}, D(20)
    )
    assert rule.describe() == "≥ 4: 20; ≥ 3: 15; còn lại: 0"
    assert rule.points(value=D(3)) == D(15)
