"""History under the new units: whose figures count, with which share (issue 17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxboard.errors import InvalidInput
from dxboard.testing import make_unit, make_user
from dxboard.units import successions
from dxboard.units.history import Source, allocate, sources_for
from dxboard.units.models import SuccessionKind, UnitKind, UnitSuccession
from dxboard.units.services import record_succession, update_unit

REFORM = dt.date(2025, 7, 1)
YEAR_2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture
def merged_and_split(db):
    """A and B merge into N; S is split 0.3 / 0.7 between N and M."""
    province = make_unit("Tỉnh Thử", code="98", kind=UnitKind.PROVINCE)
    a, b, s = (make_unit(f"Xã cũ {c}", code=f"9800{c}", parent=province) for c in "123")
    n = make_unit("Xã Mới N", code="98101", parent=province, valid_from=REFORM)
    m = make_unit("Xã Mới M", code="98102", parent=province, valid_from=REFORM)
    record_succession([a, b], n, SuccessionKind.MERGE, REFORM)
    admin = make_user(is_superuser=True)
    successions.record_split(admin, s, [(n, "0.3"), (m, "0.7")], REFORM)
    return {"a": a, "b": b, "s": s, "n": n, "m": m, "admin": admin}


def test_a_merged_unit_reads_its_predecessors_whole_and_a_split_by_its_share(merged_and_split):
    w = merged_and_split
    sources = sources_for(w["n"], *YEAR_2024)
    # Its former units count up to the day before N took over.
    before = REFORM - dt.timedelta(days=1)
    assert sources == [
        Source(w["n"].pk, Decimal(1), False),
        Source(w["a"].pk, Decimal(1), False, until=before),
        Source(w["b"].pk, Decimal(1), False, until=before),
        Source(w["s"].pk, Decimal("0.3"), True, until=before),
    ]
    # 2024 dossiers: A 120, B 80, S 1,000 → N = 120 + 80 + 0.3 × 1,000 = 500 (estimated)
    values = {w["a"].pk: Decimal(120), w["b"].pk: Decimal(80), w["s"].pk: Decimal(1000)}
    assert allocate(sources, values) == (Decimal(500), True)
    assert allocate(sources_for(w["m"], *YEAR_2024), values) == (Decimal(700), True)


def test_a_ratio_is_the_ratio_of_the_allocated_sums(merged_and_split):
    w = merged_and_split
    online = {w["a"].pk: Decimal(90), w["b"].pk: Decimal(40), w["s"].pk: Decimal(500)}
    total = {w["a"].pk: Decimal(100), w["b"].pk: Decimal(100), w["s"].pk: Decimal(1000)}
    sources = sources_for(w["n"], *YEAR_2024)
    numerator, _ = allocate(sources, online)  # 90 + 40 + 150 = 280
    denominator, _ = allocate(sources, total)  # 100 + 100 + 300 = 500
    assert numerator / denominator == Decimal("0.56")


def test_a_period_after_the_reform_reads_only_the_unit_itself(merged_and_split):
    w = merged_and_split
    assert sources_for(w["n"], dt.date(2025, 7, 1), dt.date(2025, 9, 30)) == [
        Source(w["n"].pk, Decimal(1), False)
    ]


def test_predecessors_are_followed_through_earlier_reorganisations(merged_and_split):
    w = merged_and_split
    older = make_unit("Xã rất cũ", code="97001", parent=w["a"].parent)
    w["a"].valid_from = dt.date(2009, 1, 1)
    w["a"].save()
    record_succession([older], w["a"], SuccessionKind.MERGE, dt.date(2009, 1, 1))
    ids = [s.unit_id for s in sources_for(w["n"], dt.date(2008, 1, 1), dt.date(2008, 12, 31))]
    assert older.pk in ids
    assert older.pk not in [s.unit_id for s in sources_for(w["n"], *YEAR_2024)]


def test_split_shares_that_do_not_add_up_to_one_are_refused_and_nothing_is_written(db):
    admin = make_user(is_superuser=True)
    old = make_unit("Xã Chia Đôi", code="96001")
    n, m = (make_unit(f"Xã Nhận {c}", code=f"9610{c}", valid_from=REFORM) for c in "12")
    with pytest.raises(InvalidInput) as caught:
        successions.record_split(admin, old, [(n, "0.4"), (m, "0.5")], REFORM)
    assert "Các tỷ lệ chia tách của “Xã Chia Đôi” cộng lại bằng 0,9, phải bằng 1" in str(
        caught.value
    )
    assert not UnitSuccession.objects.exists()
    old.refresh_from_db()
    assert old.valid_to is None


def test_editing_split_shares_keeps_them_adding_up_to_one(merged_and_split):
    w = merged_and_split
    successions.set_split_shares(w["admin"], w["s"], {"98101": "0,45", "98102": "0.55"})
    assert allocate(sources_for(w["n"], *YEAR_2024), {w["s"].pk: Decimal(100)})[0] == 45
    with pytest.raises(InvalidInput, match="cộng lại bằng 1,1"):
        successions.set_split_shares(w["admin"], w["s"], {"98101": "0.5", "98102": "0.6"})
    with pytest.raises(InvalidInput, match="Danh sách đơn vị mới không khớp"):
        successions.set_split_shares(w["admin"], w["s"], {"98101": "1"})
    shares = set(UnitSuccession.objects.filter(predecessor=w["s"]).values_list("share", flat=True))
    assert shares == {Decimal("0.45"), Decimal("0.55")}


def test_a_province_officer_elsewhere_may_not_edit_shares(merged_and_split):
    other = make_unit("Tỉnh Khác", code="95", kind=UnitKind.PROVINCE)
    outsider = make_user(unit=other, role="province_officer")
    from dxboard.errors import NotFound

    with pytest.raises(NotFound):
        successions.set_split_shares(outsider, merged_and_split["s"], {"98101": "1"})


def test_a_succession_that_would_make_a_cycle_is_refused(merged_and_split):
    w = merged_and_split
    with pytest.raises(InvalidInput) as caught:
        record_succession([w["n"]], w["a"], SuccessionKind.MERGE, dt.date(2026, 1, 1))
    assert "“Xã cũ 1” đã là đơn vị cũ của “Xã Mới N”" in str(caught.value)
    assert not UnitSuccession.objects.filter(predecessor=w["n"]).exists()


def test_a_former_unit_edited_to_overlap_its_successor_is_refused(merged_and_split):
    w = merged_and_split
    with pytest.raises(InvalidInput) as caught:
        update_unit(w["admin"], w["a"], valid_to=dt.date(2025, 12, 31))
    assert "“Xã cũ 1” phải hết hiệu lực trước ngày 01/07/2025, ngày “Xã Mới N” kế thừa nó" in str(
        caught.value
    )
    assert caught.value.details[0].path == "valid_to"
    w["a"].refresh_from_db()
    assert w["a"].valid_to == dt.date(2025, 6, 30)
    with pytest.raises(InvalidInput, match="không thể có hiệu lực trước ngày 01/07/2025"):
        update_unit(w["admin"], w["n"], valid_from=dt.date(2025, 1, 1))


# --- property: re-basing preserves totals ------------------------------------------------


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    layout=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3),
    values=st.lists(st.integers(min_value=0, max_value=10**6), min_size=12, max_size=12),
    weights=st.lists(st.integers(min_value=1, max_value=9), min_size=12, max_size=12),
    split_every=st.integers(min_value=1, max_value=3),
)
@pytest.mark.django_db
def test_re_basing_preserves_the_national_and_provincial_totals_of_summed_elements(
    layout, values, weights, split_every
):
    """Former communes merge whole or split into the new communes of their new
    province; the re-based figures of the new units add up to the former totals."""
    with transaction.atomic():  # each example starts from an empty table
        _check_totals(layout, values, weights, split_every)
        transaction.set_rollback(True)


def _check_totals(layout: list[int], values: list[int], weights: list[int], every: int) -> None:
    admin = make_user(is_superuser=True)
    nation = make_unit("Quốc gia thử", code="HVN", kind=UnitKind.NATION)
    stored: dict[int, Decimal] = {}
    national = rebased_national = Decimal(0)
    index = 0
    for p, count in enumerate(layout):
        new_province = make_unit(
            f"Tỉnh mới {p}", code=f"HP{p}", kind=UnitKind.PROVINCE, parent=nation, valid_from=REFORM
        )
        old_province = make_unit(f"Tỉnh cũ {p}", code=f"HO{p}", kind=UnitKind.PROVINCE)
        record_succession([old_province], new_province, SuccessionKind.MERGE, REFORM)
        new_communes = [
            make_unit(f"Xã mới {p}.{i}", code=f"HN{p}x{i}", parent=new_province, valid_from=REFORM)
            for i in range(count)
        ]
        provincial = Decimal(0)
        for j in range(count + 1):  # one more former commune than new ones
            old = make_unit(f"Xã cũ {p}.{j}", code=f"HC{p}x{j}", parent=old_province)
            value = Decimal(values[index % 12])
            first = Decimal(weights[index % 12]) / Decimal(10)
            index += 1
            stored[old.pk] = value
            provincial += value
            if count > 1 and j % every == 0:
                parts = [
                    (new_communes[j % count], first),
                    (new_communes[(j + 1) % count], 1 - first),
                ]
                successions.record_split(admin, old, parts, REFORM)
            else:
                record_succession([old], new_communes[j % count], SuccessionKind.MERGE, REFORM)
        stored[old_province.pk] = provincial  # the former province's own total
        national += provincial
        rebased = sum(
            (allocate(sources_for(c, *YEAR_2024), stored)[0] for c in new_communes), Decimal(0)
        )
        assert rebased == provincial
        assert allocate(sources_for(new_province, *YEAR_2024), stored)[0] == provincial
        rebased_national += rebased
    assert rebased_national == national
