"""`dxboard bench-generate`: the benchmark data generator, at its tiny scale."""

from __future__ import annotations

import importlib.util
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from dxboard.collection.models import DataValue
from dxboard.evaluation.services import bucket_names, evaluate, evaluate_many
from dxboard.indicators.models import DataElement, Indicator, Programme, Target
from dxboard.management.commands.bench_generate import commune_series
from dxboard.periods import parse_period
from dxboard.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("bench_generate", "--scale", "tiny", *args, stdout=out)
    return out.getvalue()


def bench_values():
    return DataValue.objects.filter(data_element__code__startswith="BENCH-")


def test_it_generates_the_tiny_scale_with_real_units_and_a_programme():
    generate()
    province = Unit.objects.in_force().get(code="91")
    assert province.kind == UnitKind.PROVINCE
    assert Unit.objects.in_force().filter(parent=province, kind=UnitKind.COMMUNE).count() == 102
    assert DataElement.objects.filter(code__startswith="BENCH-").count() == 6
    assert set(DataElement.objects.values_list("code", flat=True)) >= {
        "BENCH-001-TU",
        "BENCH-001-MAU",
        "BENCH-003-MAU",
    }
    programme = Programme.objects.get(code="BENCH")
    assert programme.owner_unit.code == "VN"
    assert programme.indicators.count() == 2
    assert Indicator.objects.get(code="BENCH-CT-01").denominator.code == "BENCH-001-MAU"
    # 2 indicators × 6 years × (nation + province)
    assert Target.objects.filter(programme=programme).count() == 24
    # 3 communes × 6 elements × 8 quarters (2025Q1–2026Q4)
    assert bench_values().count() == 144
    assert bench_values().values("unit").distinct().count() == 3
    assert set(bench_values().values_list("period", flat=True)) == {
        f"{year}Q{q}" for year in (2025, 2026) for q in range(1, 5)
    }


def test_running_it_twice_changes_nothing():
    generate()
    first = sorted(
        bench_values().values_list("data_element__code", "unit__code", "period", "value")
    )
    output = generate()
    assert "nạp mới 0" in output
    again = sorted(
        bench_values().values_list("data_element__code", "unit__code", "period", "value")
    )
    assert again == first
    assert Target.objects.count() == 24


def test_the_same_seed_gives_the_same_figures_and_another_seed_others():
    generate("--seed", "7")
    first = sorted(
        bench_values().values_list("data_element__code", "unit__code", "period", "value")
    )
    generate("--seed", "7", "--reset")
    assert (
        sorted(bench_values().values_list("data_element__code", "unit__code", "period", "value"))
        == first
    )
    generate("--seed", "8", "--reset")
    other = sorted(
        bench_values().values_list("data_element__code", "unit__code", "period", "value")
    )
    assert len(other) == len(first) and other != first


def test_numerators_never_exceed_their_denominators():
    for _pair, _index, numerator, denominator in commune_series(1, "30292", 60, 24):
        assert 0 <= numerator <= denominator
    generate()
    numerators = {
        (code[:9], unit, period): value
        for code, unit, period, value in bench_values()
        .filter(data_element__code__endswith="-TU")
        .values_list("data_element__code", "unit_id", "period", "value")
    }
    denominators = {
        (code[:9], unit, period): value
        for code, unit, period, value in bench_values()
        .filter(data_element__code__endswith="-MAU")
        .values_list("data_element__code", "unit_id", "period", "value")
    }
    assert numerators.keys() == denominators.keys()
    assert all(numerators[key] <= denominators[key] for key in numerators)
    assert not bench_values().filter(period_end__lt=F("period_start")).exists()


def test_a_commune_loaded_at_another_scale_asks_for_reset():
    generate()
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench_generate", "--scale", "province", stdout=StringIO())


def test_the_evaluation_engine_reads_the_generated_figures():
    generate()
    programme = Programme.objects.get(code="BENCH")
    province = Unit.objects.in_force().get(code="91")
    result = evaluate(programme, province, parse_period("2025"), user=None)
    row = next(r for r in result.indicators if r.code == "BENCH-CT-01")
    expected = sum(
        bench_values()
        .filter(data_element__code="BENCH-001-TU", period__startswith="2025")
        .values_list("value", flat=True)
    )
    assert row.numerator == expected
    assert row.target is not None and row.status != "noData"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the reference is PostgreSQL's own SQL"
)
def test_the_postgresql_reference_of_the_evaluation_bench_counts_what_the_engine_counts():
    """bench/_postgres_eval.py must compute the engine's results, or its time means nothing."""
    generate()
    reference = _bench_module("_postgres_eval")
    programme = Programme.objects.get(code="BENCH")
    province = Unit.objects.in_force().get(code="91")
    communes = list(Unit.objects.filter(pk__in=bench_values().values("unit")))
    units = [province, *communes]
    years = [parse_period("2025"), parse_period("2026")]
    periods = years + [q for y in years for q in y.sub_periods(parse_period("2025Q1").type)]
    engine: Counter = Counter()
    for evaluation in evaluate_many(programme, units, periods, user=None).values():
        engine.update(row.status for row in evaluation.indicators)
    names = dict(zip(bucket_names(programme), ("met", "ge2", "ge3", "lt3"), strict=True))

    _seconds, counts = reference.evaluate_in_postgresql(
        programme,
        list(programme.indicators.values_list("pk", flat=True)),
        [u.pk for u in units],
        min(p.start for p in periods),
        max(p.end for p in periods),
    )

    assert sum(engine.values()) == 4 * 10 * 2  # units × (2 years + 8 quarters) × indicators
    assert counts == {names.get(status, status): n for status, n in engine.items()}


def _bench_module(name: str):
    path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
