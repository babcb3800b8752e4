"""The figures the seed reports quote, computed from raw inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dxboard.evaluation.services import evaluate
from dxboard.evaluation.tests.factories import make_programme, put, single
from dxboard.indicators.models import Programme, ProgrammeIndicator
from dxboard.indicators.services import load_catalogue
from dxboard.periods import parse_period

pytestmark = pytest.mark.django_db


def _catalogue_programme(world, codes, targets):
    load_catalogue()
    from dxboard.indicators.models import Indicator

    programme = Programme.objects.create(
        code="SEED",
        name="Chương trình thử",
        start_year=2021,
        end_year=2025,
        owner_unit=world.province,
    )
    for order, code in enumerate(codes):
        ProgrammeIndicator.objects.create(
            programme=programme, indicator=Indicator.objects.get(code=code), order=order
        )
    for code, value in targets.items():
        programme.targets.create(
            indicator=Indicator.objects.get(code=code), year=2024, unit=world.province, value=value
        )
    return programme


def test_seed_003_online_dossiers_are_96_4_percent(world):
    programme = _catalogue_programme(world, ["CQ-03"], {"CQ-03": 50})
    # Split over two communes and two quarters: the ratio of the sums.
    put(
        ("CQ-03-TU", "99001", "2024Q1", "6.000"),
        ("CQ-03-MAU", "99001", "2024Q1", "6.100"),
        ("CQ-03-TU", "99002", "2024Q2", "6.316"),
        ("CQ-03-MAU", "99002", "2024Q2", "6.675"),
    )
    row = evaluate(programme, world.province, parse_period("2024"), user=None).indicators[0]
    assert (row.numerator, row.denominator) == (12316, 12775)
    assert round(row.actual, 1) == Decimal("96.4")
    assert row.as_dict()["actual"] == 96.4


def test_seed_000_citizen_reports_resolved_are_97_5_percent(world):
    programme = _catalogue_programme(world, ["CQ-11"], {"CQ-11": 95})
    put(("CQ-11-DAXL", "99", "2024", 199), ("CQ-11-TIEPNHAN", "99", "2024", 204))
    row = evaluate(programme, world.province, parse_period("2024"), user=None).indicators[0]
    assert row.as_dict()["actual"] == 97.5 and row.status == "met"


def test_seed_004_procedures_on_the_national_portal_are_70_68_percent(world):
    programme = _catalogue_programme(world, ["CQ-14"], {"CQ-14": 100})
    put(("CQ-14-TU", "99", "2024", 1307), ("CQ-14-MAU", "99", "2024", 1849))
    row = evaluate(programme, world.province, parse_period("2024"), user=None).indicators[0]
    assert Decimal("70.68") <= row.actual < Decimal("70.69")
    assert row.status == "ge70"


def test_seed_000_eleven_of_fifteen_met_is_73_3_percent(world):
    parts = [single(f"S{i:02d}") for i in range(15)]
    programme = make_programme("99", parts, [(f"S{i:02d}", 2024, 100) for i in range(15)])
    put(*[(f"S{i:02d}", "99", "2024", 100 if i < 11 else 60) for i in range(15)])
    result = evaluate(programme, world.province, parse_period("2024"), user=None)
    assert result.summary.met == 11 and result.summary.total == 15
    assert result.summary.as_dict()["metRate"] == 73.3


def test_seed_001_twenty_four_targets_in_four_buckets(world):
    # 7 met, 9 at 70–100 %, 6 at 50–70 %, 2 below 50 %.
    actuals = [100] * 7 + [70, 75, 80, 85, 90, 95, 99, 71, 72] + [50, 55, 60, 65, 69, 51] + [49, 10]
    parts = [single(f"S{i:02d}") for i in range(24)]
    programme = make_programme("99", parts, [(f"S{i:02d}", 2024, 100) for i in range(24)])
    put(*[(f"S{i:02d}", "99", "2024", actual) for i, actual in enumerate(actuals)])
    summary = evaluate(programme, world.province, parse_period("2024"), user=None).summary
    assert summary.as_dict() == {
        "total": 24,
        "withTarget": 24,
        "met": 7,
        "ge70": 9,
        "ge50": 6,
        "lt50": 2,
        "noData": 0,
        "noTarget": 0,
        "metRate": 29.2,
    }
