"""A code means the unit in force at the date of the figure (issue 17, point 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from dxboard.errors import InvalidInput, NotFound
from dxboard.periods import parse_period
from dxboard.testing import make_unit
from dxboard.units.models import SuccessionKind, UnitKind
from dxboard.units.resolve import day_of, parse_as_of, unit_as_of, unit_at, units_at
from dxboard.units.services import record_succession

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def reform(db):
    """Long An (80) and Tây Ninh (72) became Tây Ninh (80); commune 27094 continued."""
    nation = make_unit("Việt Nam", code="VN", kind=UnitKind.NATION)
    closed = {"valid_to": REFORM - dt.timedelta(days=1)}
    long_an = make_unit("Tỉnh Long An", code="80", kind=UnitKind.PROVINCE, parent=nation, **closed)
    old_tay_ninh = make_unit("Tỉnh Tây Ninh", code="72", kind=UnitKind.PROVINCE, parent=nation)
    tay_ninh = make_unit(
        "Tỉnh Tây Ninh", code="80", kind=UnitKind.PROVINCE, parent=nation, valid_from=REFORM
    )
    record_succession([long_an, old_tay_ninh], tay_ninh, SuccessionKind.MERGE, REFORM)
    old_commune = make_unit("Xã Mỹ Yên", code="27094", parent=long_an, **closed)
    new_commune = make_unit("Xã Bến Lức", code="27094", parent=tay_ninh, valid_from=REFORM)
    record_succession([old_commune], new_commune, SuccessionKind.MERGE, REFORM)
    fresh = make_unit("Xã Mới Lập", code="27999", parent=tay_ninh, valid_from=REFORM)
    long_an.refresh_from_db()
    old_commune.refresh_from_db()
    return {
        "long_an": long_an,
        "tay_ninh": tay_ninh,
        "old_commune": old_commune,
        "new_commune": new_commune,
        "fresh": fresh,
    }


def test_code_80_in_2024_is_long_an_and_in_2025q3_is_tay_ninh(reform):
    assert unit_at("80", day_of(parse_period("2024Q4"))) == reform["long_an"]
    assert unit_at("80", day_of(parse_period("2025Q3"))) == reform["tay_ninh"]
    # a year that straddles the reform is reported by the unit in force at its end
    assert unit_at("80", day_of(parse_period("2025"))) == reform["tay_ninh"]
    assert unit_at("80", day_of(parse_period("2025S1"))) == reform["long_an"]


def test_a_commune_code_that_continued_names_the_former_commune_before_the_reform(reform):
    assert unit_at("27094", dt.date(2024, 3, 31)) == reform["old_commune"]
    assert unit_at("27094", dt.date(2025, 9, 30)) == reform["new_commune"]


def test_a_code_with_no_unit_at_that_date_is_an_error_naming_the_row(reform):
    with pytest.raises(InvalidInput) as caught:
        unit_at("27999", day_of(parse_period("2024Q1")), path="dataValues[3].orgUnit")
    assert caught.value.details[0].path == "dataValues[3].orgUnit"
    assert "“27999” không ứng với đơn vị nào có hiệu lực ngày 31/03/2024" in str(caught.value)


def test_a_code_naming_two_units_on_a_day_is_an_error(reform):
    make_unit("Xã Trùng Mã", code="27094", parent=reform["long_an"], valid_to=dt.date(2025, 6, 30))
    units, errors = units_at(["27094", "80"], dt.date(2024, 1, 1))
    assert set(units) == {"80"}
    assert "ứng với nhiều đơn vị" in errors["27094"] and "Xã Trùng Mã" in errors["27094"]


def test_looking_at_a_code_takes_todays_unit_or_a_former_one_with_as_of(reform):
    assert unit_as_of("80", None) == reform["tay_ninh"]
    assert unit_as_of("80", parse_as_of("2024-12-31")) == reform["long_an"]
    assert unit_as_of("80", parse_as_of("31/12/2024")) == reform["long_an"]
    with pytest.raises(NotFound):
        unit_as_of("27999", dt.date(2024, 12, 31))


def test_a_malformed_as_of_date_is_a_clear_error():
    with pytest.raises(InvalidInput, match="Ngày “2024-13-01” không hợp lệ"):
        parse_as_of("2024-13-01")
