"""`dxboard load-units --legacy`: the former structure and its successions (issue 17)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dxboard.units.legacy import LEGACY_END, legacy_data, name_key, split_shares
from dxboard.units.models import SuccessionKind, Unit, UnitKind, UnitSuccession


def _load(**options) -> str:
    out = io.StringIO()
    call_command("load_units", legacy=True, stdout=out, **options)
    return out.getvalue()


def test_the_package_data_holds_63_provinces_696_districts_and_10035_communes():
    data = legacy_data()
    kinds = [u.kind for u in data.units]
    assert kinds.count(UnitKind.PROVINCE) == 63
    assert kinds.count(UnitKind.DISTRICT) == 696
    # 10,040 rows: 10,035 communes and five island districts without a commune
    # (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo), which succeed as a whole.
    assert kinds.count(UnitKind.COMMUNE) == 10035
    assert data.unmatched == []
    island = [link for link in data.links if link.kind == UnitKind.DISTRICT]
    assert len({link.former_code for link in island}) == 5


def test_split_shares_follow_the_areas_and_add_up_to_exactly_one():
    shares = split_shares([10.0, 20.0, 30.0])
    assert shares == [Decimal("0.166667"), Decimal("0.333333"), Decimal("0.500000")]
    assert sum(shares) == 1
    assert split_shares([1.0, 1.0, 1.0]) == [
        Decimal("0.333334"),
        Decimal("0.333333"),
        Decimal("0.333333"),
    ]
    assert split_shares([5.0, None]) == [Decimal("0.5"), Decimal("0.5")]


def test_names_match_whatever_the_tone_mark_placement_or_apostrophe():
    assert name_key("Xã Sơn Thuỷ") == name_key("Xã Sơn Thủy")
    assert name_key("Xã Cư M’gar") == name_key("Xã  Cư M'gar")
    assert name_key("Xã An Hòa") != name_key("Xã An Hóa")


@pytest.mark.django_db
def test_an_giang_loads_its_two_former_provinces_valid_until_30_june_2025():
    output = _load(province="91")
    assert "tạo mới 2 tỉnh/thành phố, 26 quận/huyện, 298 xã/phường/thị trấn" in output
    assert "không đối chiếu được" not in output
    former = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to=LEGACY_END)
    assert {(u.code, u.name) for u in former} == {
        ("89", "Tỉnh An Giang"),
        ("91", "Tỉnh Kiên Giang"),
    }
    chau_phu = Unit.objects.get(kind=UnitKind.DISTRICT, name="Huyện Châu Phú")
    assert chau_phu.parent.code == "89" and chau_phu.valid_to == dt.date(2025, 6, 30)
    assert chau_phu.official and chau_phu.division_type == "huyện"
    assert chau_phu.children.count() > 0
    assert all(c.path.startswith(chau_phu.path) for c in chau_phu.children.all())
    new = Unit.objects.get(code="91", valid_to__isnull=True)
    assert new.name == "Tỉnh An Giang" and new.valid_from == dt.date(2025, 7, 1)
    into_new = UnitSuccession.objects.filter(successor=new)
    assert {s.predecessor.code for s in into_new} == {"89", "91"}
    assert {s.kind for s in into_new} == {SuccessionKind.MERGE}
    # every former commune goes somewhere, and every split adds up to 1
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to=LEGACY_END)
    assert communes.count() == 298
    assert not communes.filter(successions_out__isnull=True).exists()
    splits: dict[int, Decimal] = {}
    for row in UnitSuccession.objects.filter(kind=SuccessionKind.SPLIT):
        splits[row.predecessor_id] = splits.get(row.predecessor_id, Decimal(0)) + row.share
    assert splits and set(splits.values()) == {Decimal(1)}
    merged = UnitSuccession.objects.exclude(kind=SuccessionKind.SPLIT)
    assert set(merged.values_list("share", flat=True)) == {Decimal(1)}


@pytest.mark.django_db
def test_a_re_run_creates_nothing_and_keeps_an_edited_share():
    _load(province="91")
    units, successions = Unit.objects.count(), UnitSuccession.objects.count()
    split = UnitSuccession.objects.filter(kind=SuccessionKind.SPLIT).first()
    UnitSuccession.objects.filter(pk=split.pk).update(share=Decimal("0.25"))
    output = _load(province="91")
    assert "tạo mới 0 tỉnh/thành phố, 0 quận/huyện, 0 xã/phường/thị trấn" in output
    assert f"quan hệ kế thừa: tạo mới 0, giữ nguyên {successions}" in output
    assert (Unit.objects.count(), UnitSuccession.objects.count()) == (units, successions)
    split.refresh_from_db()
    assert split.share == Decimal("0.25")


@pytest.mark.django_db
def test_a_closed_former_province_code_loads_the_province_that_took_it_over():
    _load(province="89")  # former An Giang: part of today's An Giang (91)
    assert Unit.objects.filter(code="89", valid_to=LEGACY_END).exists()
    assert Unit.objects.filter(code="91", valid_to=LEGACY_END).exists()


@pytest.mark.django_db
def test_an_unknown_province_is_a_clear_error():
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố mã “98”"):
        _load(province="98")


@pytest.mark.django_db
def test_long_an_and_tay_ninh_both_become_todays_tay_ninh():
    _load(province="80")
    today = Unit.objects.get(code="80", valid_to__isnull=True)
    assert today.name == "Tỉnh Tây Ninh"
    names = set(
        UnitSuccession.objects.filter(successor=today).values_list("predecessor__name", flat=True)
    )
    assert names == {"Tỉnh Long An", "Tỉnh Tây Ninh"}
    assert Unit.objects.get(code="80", valid_to=LEGACY_END).name == "Tỉnh Long An"
