"""Property: re-basing 2024 on the units of 1 July 2025 through the DuckDB engine keeps the
national and provincial totals of a summed element (issue 17, point 7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxboard.evaluation import services
from dxboard.evaluation.tests.factories import make_programme, single
from dxboard.evaluation.tests.test_reform import _put
from dxboard.periods import parse_period
from dxboard.testing import make_unit, make_user
from dxboard.units import successions
from dxboard.units.models import SuccessionKind, UnitKind
from dxboard.units.services import record_succession

REFORM = dt.date(2025, 7, 1)
Y2024 = parse_period("2024")


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    layout=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3),
    values=st.lists(st.integers(min_value=0, max_value=10**7), min_size=12, max_size=12),
    firsts=st.lists(st.integers(min_value=1, max_value=999_999), min_size=12, max_size=12),
    split_every=st.integers(min_value=1, max_value=3),
)
@pytest.mark.django_db
def test_the_engine_keeps_the_totals_when_2024_is_read_on_the_new_units(
    layout, values, firsts, split_every
):
    with transaction.atomic():  # each example starts from empty tables
        _check(layout, values, firsts, split_every)
        transaction.set_rollback(True)


def _check(layout: list[int], values: list[int], firsts: list[int], every: int) -> None:
    admin = make_user(is_superuser=True)
    nation = make_unit("Quốc gia thử", code="PVN", kind=UnitKind.NATION)
    programme = make_programme("PVN", [single("TONG")], code="CT-TONG", start=2021, end=2030)
    rows, new_communes, new_provinces = [], [], []
    national = Decimal(0)
    index = 0
    for p, count in enumerate(layout):
        old_province = make_unit(
            f"Tỉnh cũ {p}", code=f"PO{p}", kind=UnitKind.PROVINCE, parent=nation
        )
        new_province = make_unit(
            f"Tỉnh mới {p}", code=f"PN{p}", kind=UnitKind.PROVINCE, parent=nation, valid_from=REFORM
        )
        communes = [
            make_unit(f"Xã mới {p}.{i}", code=f"PN{p}x{i}", parent=new_province, valid_from=REFORM)
            for i in range(count)
        ]
        record_succession([old_province], new_province, SuccessionKind.MERGE, REFORM)
        for j in range(count + 1):  # one more former commune than new ones
            old = make_unit(f"Xã cũ {p}.{j}", code=f"PO{p}x{j}", parent=old_province)
            value = values[index % 12]
            # a share with up to six decimals, as stored
            first = Decimal(firsts[index % 12]) / Decimal(10**6)
            index += 1
            rows.append(("TONG", old.code, "2024", value))
            national += value
            if count > 1 and j % every == 0:
                parts = [(communes[j % count], first), (communes[(j + 1) % count], 1 - first)]
                successions.record_split(admin, old, parts, REFORM)
            else:
                record_succession([old], communes[j % count], SuccessionKind.MERGE, REFORM)
        new_communes.append(communes)
        new_provinces.append(new_province)
    _put(admin, *rows)
    units = [nation, *new_provinces, *(c for communes in new_communes for c in communes)]
    result = services.evaluate_many(programme, units, [Y2024], user=None)

    def total(unit) -> Decimal:
        return result[(unit.code, "2024")].indicators[0].actual or Decimal(0)

    assert total(nation) == national
    for province, communes in zip(new_provinces, new_communes, strict=True):
        assert sum((total(c) for c in communes), Decimal(0)) == total(province)
    assert sum((total(p) for p in new_provinces), Decimal(0)) == national
    # the ranking of the provinces on either basis adds up to the same
    for basis in ("current", "former"):
        ranked = services.rank_children(programme, nation, Y2024, "TONG", user=None, basis=basis)
        assert sum((r.actual or Decimal(0) for r in ranked), Decimal(0)) == national
