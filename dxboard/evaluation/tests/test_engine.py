"""The evaluation rules of `dxboard.evaluation.services`, checked through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dxboard.errors import NotFound
from dxboard.evaluation.services import (
    bucket_names,
    evaluate,
    evaluate_many,
    projection,
    rank_children,
    trend,
)
from dxboard.evaluation.tests.factories import make_programme, put, ratio, single
from dxboard.periods import parse_period

pytestmark = pytest.mark.django_db


def _row(result, code):
    return next(r for r in result.indicators if r.code == code)


def _eval(programme, unit, period, user=None):
    return evaluate(programme, unit, parse_period(period), user=user)


def test_a_ratio_is_the_ratio_of_sums_not_the_average_of_ratios(world):
    programme = make_programme("99", [ratio("R")], [("R", 2024, 90)])
    # Commune A: 90/100 = 90 %, commune B: 1/10 = 10 %. Average of ratios: 50 %.
    put(
        ("R-TU", "99001", "2024", 90),
        ("R-MAU", "99001", "2024", 100),
        ("R-TU", "99002", "2024", 1),
        ("R-MAU", "99002", "2024", 10),
    )
    row = _row(_eval(programme, world.province, "2024"), "R")
    assert row.numerator == 91 and row.denominator == 110
    assert round(row.actual, 4) == Decimal("82.7273")
    assert row.status == "ge70"  # 82.7/90 = 91.9 %; the average (50 %) would be < 70 %


@pytest.mark.parametrize(
    ("actual", "status"),
    [(100, "met"), (70, "ge70"), (50, "ge50"), (Decimal("69.99"), "ge50"), (49, "lt50")],
)
def test_a_value_exactly_on_a_threshold_is_in_the_higher_bucket(world, actual, status):
    programme = make_programme("99", [single("S", value_type="number")], [("S", 2024, 100)])
    put(("S", "99", "2024", actual))
    assert _row(_eval(programme, world.province, "2024"), "S").status == status


def test_a_lower_is_better_indicator_compares_target_over_actual(world):
    programme = make_programme("99", [ratio("TRE", direction="down")], [("TRE", 2024, 5)])
    put(("TRE-TU", "99001", "2024", 10), ("TRE-MAU", "99001", "2024", 100))
    row = _row(_eval(programme, world.province, "2024"), "TRE")
    assert row.actual == 10 and row.achievement == 50 and row.status == "ge50"


def test_an_actual_of_zero_meets_a_lower_is_better_indicator(world):
    programme = make_programme("99", [ratio("TRE", direction="down")], [("TRE", 2024, 5)])
    put(("TRE-TU", "99001", "2024", 0), ("TRE-MAU", "99001", "2024", 100))
    row = _row(_eval(programme, world.province, "2024"), "TRE")
    assert row.actual == 0 and row.status == "met"


def test_a_zero_or_missing_denominator_gives_no_data(world):
    programme = make_programme("99", [ratio("A"), ratio("B")], [("A", 2024, 50), ("B", 2024, 50)])
    put(("A-TU", "99001", "2024", 0), ("A-MAU", "99001", "2024", 0), ("B-TU", "99001", "2024", 5))
    result = _eval(programme, world.province, "2024")
    assert _row(result, "A").status == "noData"
    assert _row(result, "B").status == "noData"
    assert result.summary.no_data == 2


def test_missing_data_and_missing_targets_are_their_own_statuses(world):
    programme = make_programme("99", [single("S"), single("T")], [("S", 2024, 10)])
    put(("T", "99", "2024", 4))
    result = _eval(programme, world.province, "2024")
    assert _row(result, "S").status == "noData"
    assert _row(result, "T").status == "noTarget"
    assert result.summary.as_dict() == {
        "total": 2,
        "withTarget": 1,
        "met": 0,
        "ge70": 0,
        "ge50": 0,
        "lt50": 0,
        "noData": 1,
        "noTarget": 1,
        "metRate": 0.0,
    }


def test_quarters_add_up_to_the_year_for_flows_and_take_the_last_for_stocks(world):
    programme = make_programme(
        "99",
        [single("FLOW"), single("STOCK", time="last"), single("AVG", time="average")],
        [("FLOW", 2024, 100), ("STOCK", 2024, 100), ("AVG", 2024, 100)],
    )
    put(
        *[("FLOW", "99001", f"2024Q{q}", 10 * q) for q in (1, 2, 3)],
        *[("STOCK", "99001", f"2024Q{q}", 10 * q) for q in (1, 2, 3)],
        *[("AVG", "99001", f"2024Q{q}", 10 * q) for q in (1, 2, 3)],
    )
    result = _eval(programme, world.province, "2024")
    assert _row(result, "FLOW").actual == 60
    assert _row(result, "STOCK").actual == 30  # latest quarter present: Q3
    assert _row(result, "AVG").actual == 20


def test_months_roll_up_to_their_quarter_only(world):
    programme = make_programme("99", [single("M")], [("M", 2024, 10)])
    put(("M", "99001", "202401", 1), ("M", "99001", "202403", 2), ("M", "99001", "202404", 50))
    assert _row(_eval(programme, world.province, "2024Q1"), "M").actual == 3


def test_units_are_aggregated_per_period_before_time(world):
    # Households (a stock, "last" over time) in communes reporting different quarters:
    # per quarter sum over units, then the latest quarter.
    programme = make_programme("99", [ratio("HH", time=("last", "last"))], [("HH", 2024, 80)])
    put(
        ("HH-TU", "99001", "2024Q1", 10),
        ("HH-MAU", "99001", "2024Q1", 100),
        ("HH-TU", "99002", "2024Q1", 30),
        ("HH-MAU", "99002", "2024Q1", 100),
        ("HH-TU", "99001", "2024Q2", 20),
        ("HH-TU", "99002", "2024Q2", 40),
    )
    row = _row(_eval(programme, world.province, "2024"), "HH")
    assert row.numerator == 60  # Q2: 20 + 40
    assert row.denominator == 200  # Q1 is the latest quarter with a denominator


def test_average_over_units_and_the_units_own_value(world):
    programme = make_programme(
        "99",
        [single("SPEED", units="average", time="average"), single("OWN", units="none")],
        [("SPEED", 2024, 50), ("OWN", 2024, 1)],
    )
    put(
        ("SPEED", "99001", "2024", 40),
        ("SPEED", "99002", "2024", 60),
        ("SPEED", "99001-AP1", "2024", 20),
        ("OWN", "99001", "2024", 7),
    )
    result = _eval(programme, world.province, "2024")
    assert _row(result, "SPEED").actual == 40
    assert _row(result, "OWN").status == "noData"
    assert _row(_eval(programme, world.commune_a, "2024"), "OWN").actual == 7


def test_a_yearly_figure_is_not_added_to_its_quarters(world):
    programme = make_programme("99", [single("S")], [("S", 2024, 10)])
    put(("S", "99001", "2024Q1", 3), ("S", "99001", "2024", 12))
    assert _row(_eval(programme, world.province, "2024"), "S").actual == 12


def test_a_commune_uses_its_own_target_then_the_programmes_for_ratios(world):
    programme = make_programme(
        "99",
        [ratio("R"), single("C")],
        [("R", 2024, 80), ("C", 2024, 100), ("R", 2024, 50, "99002")],
    )
    put(("R-TU", "99001", "2024", 8), ("R-MAU", "99001", "2024", 10))
    put(("R-TU", "99002", "2024", 5), ("R-MAU", "99002", "2024", 10), ("C", "99002", "2024", 3))
    a = _eval(programme, world.commune_a, "2024")
    b = _eval(programme, world.commune_b, "2024")
    assert _row(a, "R").target == 80 and _row(a, "R").status == "met"
    assert _row(b, "R").target == 50 and _row(b, "R").status == "met"
    assert _row(b, "C").status == "noTarget"  # counts do not inherit the province's target


def test_bucket_names_follow_the_programmes_thresholds(world):
    programme = make_programme("99", [single("S")], [("S", 2024, 100)], thresholds=[100, 80, 60])
    put(("S", "99", "2024", 79))
    result = _eval(programme, world.province, "2024")
    assert bucket_names(programme) == ["met", "ge80", "ge60", "lt60"]
    assert _row(result, "S").status == "ge60"
    assert result.summary.as_dict()["ge60"] == 1


def test_evaluation_is_a_few_queries_whatever_the_number_of_indicators(
    world, django_assert_max_num_queries
):
    parts = [ratio(f"R{i}") for i in range(20)]
    programme = make_programme("99", parts, [(f"R{i}", 2024, 50) for i in range(20)])
    put(*[(f"R{i}-TU", "99001", "2024Q1", i) for i in range(20)])
    put(*[(f"R{i}-MAU", "99001", "2024Q1", 20) for i in range(20)])
    with django_assert_max_num_queries(5):
        result = evaluate(programme, world.province, parse_period("2024"), user=None)
    assert result.summary.total == 20


def test_evaluate_many_answers_every_unit_and_period_in_few_queries(
    world, django_assert_max_num_queries
):
    programme = make_programme("99", [ratio("R")], [("R", 2024, 50)])
    put(("R-TU", "99001", "2024Q1", 1), ("R-MAU", "99001", "2024Q1", 2))
    put(("R-TU", "99002", "2024Q2", 3), ("R-MAU", "99002", "2024Q2", 4))
    units = [world.province, world.commune_a, world.commune_b]
    periods = [parse_period(p) for p in ("2024Q1", "2024Q2", "2024")]
    with django_assert_max_num_queries(6):
        results = evaluate_many(programme, units, periods, user=None)
    assert _row(results[("99", "2024")], "R").actual == Decimal(400) / 6
    assert _row(results[("99002", "2024Q1")], "R").status == "noData"
    assert _row(results[("99001", "2024Q1")], "R").actual == 50


def test_children_are_ranked_in_one_query(world, django_assert_max_num_queries):
    programme = make_programme("99", [ratio("R")], [("R", 2024, 50)])
    put(("R-TU", "99001", "2024", 1), ("R-MAU", "99001", "2024", 4))
    put(("R-TU", "99002", "2024", 3), ("R-MAU", "99002", "2024", 4))
    with django_assert_max_num_queries(6):
        ranking = rank_children(programme, world.province, parse_period("2024"), "R", user=None)
    # Communes are ranked among communes: the department (SKHCN) is not in their list.
    assert [(r.rank, r.unit.code) for r in ranking] == [(1, "99002"), (2, "99001")]


def test_a_ranking_compares_like_with_like_shares_ties_and_puts_units_without_data_last(world):
    from dxboard.evaluation.services import ranking_kinds
    from dxboard.testing import make_unit
    from dxboard.units.models import UnitKind

    for code in ("99003", "99004", "99005"):
        make_unit(f"Xã {code}", code=code, parent=world.province, official=True)
    make_unit("Sở Tài chính", code="STC", kind=UnitKind.DEPARTMENT, parent=world.province)
    programme = make_programme("99", [single("S")], [("S", 2024, 10)])
    put(
        ("S", "99001", "2024", 8), ("S", "99002", "2024", 9), ("S", "99003", "2024", 8),
        ("S", "99004", "2024", 5), ("S", "SKHCN", "2024", 20), ("S", "STC", "2024", 3),
    )  # fmt: skip
    assert [(k, n) for k, _label, n in ranking_kinds(world.province)] == [
        ("commune", 5), ("department", 2),
    ]  # fmt: skip
    period = parse_period("2024")
    communes = rank_children(programme, world.province, period, "S", user=None)
    # Standard competition ranking: 1, 2, 2, 4 (a tie in name order); 99005 has no figure:
    # last, unranked.
    assert [(r.rank, r.unit.code) for r in communes] == [
        (1, "99002"), (2, "99003"), (2, "99001"), (4, "99004"), (None, "99005"),
    ]  # fmt: skip
    departments = rank_children(
        programme, world.province, period, "S", user=None, kind=UnitKind.DEPARTMENT
    )
    assert [(r.rank, r.unit.code) for r in departments] == [(1, "SKHCN"), (2, "STC")]


def test_trend_and_projection_flag_an_indicator_at_risk(world):
    programme = make_programme(
        "99", [ratio("R")], [("R", 2025, 90), ("R", 2021, 30)], start=2021, end=2025
    )
    for year, share in ((2021, 30), (2022, 40), (2023, 50)):
        put(("R-TU", "99", str(year), share), ("R-MAU", "99", str(year), 100))
    points = trend(
        programme, world.province, "R", [parse_period(str(y)) for y in range(2021, 2024)], user=None
    )
    assert [p.actual for p in points] == [30, 40, 50]
    assert points[0].status == "met"
    result = projection(programme, world.province, "R", user=None)
    assert result.slope == 10 and result.projected == 70
    assert result.final_target == 90 and result.at_risk
    on_track = make_programme("99", [ratio("R")], [("R", 2025, 70)], code="CT-2")
    assert not projection(on_track, world.province, "R", user=None).at_risk


def test_a_unit_outside_the_users_scope_is_not_found_unless_the_programme_is_public(world):
    programme = make_programme("99001", [single("S")], [("S", 2024, 1)])
    with pytest.raises(NotFound):
        evaluate(programme, world.commune_a, parse_period("2024"), user=world.officer_b)
    programme.is_public = True
    programme.save()
    result = evaluate(programme, world.commune_a, parse_period("2024"), user=world.officer_b)
    assert result.summary.total == 1
    with pytest.raises(NotFound):  # public, but the province is not inside commune A
        evaluate(programme, world.province, parse_period("2024"), user=world.officer_b)
