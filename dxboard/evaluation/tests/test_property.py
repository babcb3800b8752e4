"""A province's figure is the sum of its communes' figures, whatever they report."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxboard.collection.values import ValueRow, save_values
from dxboard.evaluation.services import evaluate_many
from dxboard.evaluation.tests.factories import make_programme, ratio
from dxboard.periods import parse_period

pytestmark = pytest.mark.django_db

UNITS = ["99001", "99002", "99001-AP1", "99002-KP2"]
QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
cell = st.one_of(st.none(), st.integers(min_value=0, max_value=10**6))
figures = st.fixed_dictionaries({(u, q): st.tuples(cell, cell) for u in UNITS for q in QUARTERS})


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=figures)
def test_a_provinces_sum_is_the_sum_of_its_communes(world, data):
    programme = make_programme("99", [ratio("P", unit="lần")], [("P", 2024, 1)])
    rows = []
    for (unit, quarter), (numerator, denominator) in data.items():
        rows.append(ValueRow("P-TU", quarter, unit, numerator))
        rows.append(ValueRow("P-MAU", quarter, unit, denominator))
    assert save_values(None, rows, "computed").ok
    units = [world.province, world.commune_a, world.commune_b]
    results = evaluate_many(programme, units, [parse_period("2024")], user=None)

    def numbers(code):
        row = results[(code, "2024")].indicators[0]
        return row.numerator or 0, row.denominator or 0

    province = numbers("99")
    communes = [numbers("99001"), numbers("99002")]
    assert province[0] == communes[0][0] + communes[1][0]
    assert province[1] == communes[0][1] + communes[1][1]
    expected = sum(v[0] or 0 for v in data.values())
    assert province[0] == expected
