"""`dxboard load-units`: the official list, idempotent and set-based."""

import io
import time

import pytest
from django.core.management import call_command

from dxboard.units.models import Unit, UnitKind
from dxboard.units.official import province_name


def _load(**options) -> str:
    out = io.StringIO()
    call_command("load_units", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_one_province_loads_with_its_102_communes_and_the_nation_root():
    output = _load(province="91")
    assert "1 quốc gia, 1 tỉnh/thành phố, 102 xã/phường/đặc khu" in output
    province = Unit.objects.get(code="91")
    assert province.name == "Tỉnh An Giang"
    assert (province.kind, province.division_type, province.official) == (
        UnitKind.PROVINCE,
        "tỉnh",
        True,
    )
    assert province.parent.code == "VN" and province.parent.name == "Việt Nam"
    assert str(province.valid_from) == "2025-07-01"
    communes = Unit.objects.filter(parent=province)
    assert communes.count() == 102
    commune = Unit.objects.get(code="30313")
    assert commune.name == "Xã Mỹ Hòa Hưng"
    assert commune.division_type == "xã"
    assert commune.path == f"{province.path}{commune.pk}/" and commune.depth == 2
    assert commune.search_name == "xa my hoa hung 30313"
    assert Unit.objects.get(code="31078").name == "Đặc khu Phú Quốc"
    assert not Unit.objects.filter(path="").exists()


@pytest.mark.django_db
def test_a_second_run_creates_nothing_and_restores_changed_names():
    _load(province="91")
    count = Unit.objects.count()
    Unit.objects.filter(code="30313").update(name="Tên sai")
    output = _load(province="91")
    assert "tạo mới 0 quốc gia, 0 tỉnh/thành phố, 0 xã/phường/đặc khu; cập nhật 1" in output
    assert Unit.objects.count() == count
    commune = Unit.objects.get(code="30313")
    assert commune.name == "Xã Mỹ Hòa Hưng" and commune.search_name == "xa my hoa hung 30313"


@pytest.mark.django_db
def test_a_city_keeps_its_name_and_a_province_gets_its_prefix():
    _load(province="1")
    assert Unit.objects.get(code="01").name == "Thành phố Hà Nội"
    assert Unit.objects.get(code="01").division_type == "thành phố"
    assert Unit.objects.filter(parent__code="01").count() == 126


@pytest.mark.django_db
def test_an_unknown_province_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _load(province="89")
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_the_whole_country_loads_in_seconds():
    started = time.monotonic()
    _load()
    elapsed = time.monotonic() - started
    assert Unit.objects.filter(kind=UnitKind.PROVINCE).count() == 34
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 3321
    kinds = Unit.objects.filter(kind=UnitKind.COMMUNE).values_list("division_type", flat=True)
    assert sorted(set(kinds)) == ["phường", "xã", "đặc khu"]
    assert list(kinds).count("đặc khu") == 13
    assert not Unit.objects.filter(path="").exists()
    assert elapsed < 30, elapsed
    started = time.monotonic()
    assert "không đổi 3355" in _load()
    assert time.monotonic() - started < 15


def test_province_names_take_their_prefix():
    from vietnam_provinces import Province

    names = {int(p.code): province_name(p) for p in Province.iter_all()}
    assert names[91] == "Tỉnh An Giang"
    assert names[79] == "Thành phố Hồ Chí Minh"
    assert names[46] == "Thành phố Huế"
