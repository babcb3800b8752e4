"""The DuckDB roll-up gives the former Python roll-up's figures (issue 21, point 1).

Random hierarchies, rules over units and time, period types and values; both engines
roll up every unit for months, quarters, halves and the year.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxboard.collection.values import ValueRow, save_values
from dxboard.evaluation.tests.factories import element
from dxboard.evaluation.tests.oracle import rollup_layers
from dxboard.evaluation.vectorized import rollup
from dxboard.indicators.models import DataElement
from dxboard.indicators.services import import_metadata
from dxboard.periods import parse_period
from dxboard.testing import make_unit
from dxboard.units.models import UnitKind

pytestmark = pytest.mark.django_db

UNIT_RULES = ["sum", "average", "last", "none"]
TIME_RULES = ["sum", "average", "last"]
STORED = ["202401", "202402", "202404", "2024Q1", "2024Q2", "2024Q4", "2024S1", "2024"]
ASKED = ["2024", "2024S1", "2024S2", "2024Q1", "2024Q2", "2024Q3", "202401", "202402", "2023"]

value = st.one_of(
    st.integers(min_value=-1000, max_value=10**9),
    st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False, allow_infinity=False),
)
world = st.fixed_dictionaries(
    {
        # children per commune (hamlets), for 1–3 communes
        "hamlets": st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=3),
        "rules": st.lists(
            st.tuples(st.sampled_from(UNIT_RULES), st.sampled_from(TIME_RULES)),
            min_size=1,
            max_size=4,
        ),
        # (unit index, element index, period, value): indexes are taken modulo the sizes
        "values": st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=20),
                st.integers(min_value=0, max_value=3),
                st.sampled_from(STORED),
                value,
            ),
            max_size=40,
        ),
    }
)


def _build(data: dict) -> tuple[list, list]:
    province = make_unit(code="88", kind=UnitKind.PROVINCE)
    units = [province]
    for index, hamlets in enumerate(data["hamlets"]):
        commune = make_unit(code=f"88{index:03d}", parent=province)
        units.append(commune)
        for h in range(hamlets):
            units.append(make_unit(code=f"88{index:03d}-{h}", kind=UnitKind.HAMLET, parent=commune))
    specs = [
        # Negative figures are allowed where an element declares it (a balance, a change).
        element(f"PT{i}", value_type="number", units=u, time=t) | {"minValue": -1000}
        for i, (u, t) in enumerate(data["rules"])
    ]
    import_metadata(None, {"dataElements": specs})
    elements = list(DataElement.objects.filter(code__in=[s["code"] for s in specs]))
    rows, seen = [], set()
    for unit_index, element_index, period, figure in data["values"]:
        unit = units[unit_index % len(units)]
        code = specs[element_index % len(specs)]["code"]
        if (unit.code, code, period) in seen:
            continue
        seen.add((unit.code, code, period))
        rows.append(ValueRow(code, period, unit.code, figure))
    if rows:
        assert save_values(None, rows, "computed").ok
    for unit in units:
        unit.refresh_from_db()
    return units, elements


def _same(left: dict, right: dict) -> None:
    assert left.keys() == right.keys()
    for key in left:
        for code in left[key]:
            a, b = left[key][code], right[key][code]
            assert a.keys() == b.keys(), (key, code)
            for element_id in a:
                # Exact, but for averages: DuckDB divides in floating point (see vectorized).
                assert abs(a[element_id] - b[element_id]) <= abs(b[element_id]) * Decimal(
                    "1e-12"
                ) + Decimal("1e-11"), (key, code, element_id, a[element_id], b[element_id])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=world)
def test_the_duckdb_rollup_gives_the_former_engines_figures(data):
    # Each example in a savepoint rolled back: the next one starts from an empty tree.
    with transaction.atomic():
        units, elements = _build(data)
        periods = [parse_period(code) for code in ASKED]
        groups = {u.pk: u for u in units}
        _same(rollup(elements, groups, periods), rollup_layers(elements, groups, periods))
        transaction.set_rollback(True)
