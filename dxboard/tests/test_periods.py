from datetime import date

import pytest

from dxboard.periods import InvalidPeriod, PeriodType, parse_period, period_of, periods_between


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "Năm 2024"),
        ("2024S1", date(2024, 1, 1), date(2024, 6, 30), "6 tháng đầu năm 2024"),
        ("2024S2", date(2024, 7, 1), date(2024, 12, 31), "6 tháng cuối năm 2024"),
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31), "Quý I/2024"),
        ("2024Q4", date(2024, 10, 1), date(2024, 12, 31), "Quý IV/2024"),
        ("202402", date(2024, 2, 1), date(2024, 2, 29), "Tháng 2/2024"),
    ],
)
def test_it_parses_dhis2_period_codes(code, start, end, label):
    period = parse_period(code)
    assert (period.start, period.end, period.label, period.code) == (start, end, label, code)


@pytest.mark.parametrize("code", ["2024Q5", "202413", "202400", "2024S3", "24Q1", "", "2024-01"])
def test_it_rejects_impossible_periods(code):
    with pytest.raises(InvalidPeriod):
        parse_period(code)


def test_a_year_splits_into_quarters_and_months():
    year = parse_period("2025")
    assert [p.code for p in year.sub_periods(PeriodType.QUARTER)] == [
        "2025Q1",
        "2025Q2",
        "2025Q3",
        "2025Q4",
    ]
    assert len(year.sub_periods(PeriodType.MONTH)) == 12
    assert parse_period("2025Q1").sub_periods(PeriodType.YEAR) == []


def test_neighbours_and_ranges():
    assert parse_period("2024Q1").previous().code == "2023Q4"
    assert parse_period("202412").next().code == "202501"
    assert period_of(date(2024, 8, 15), PeriodType.HALF_YEAR).code == "2024S2"
    codes = [p.code for p in periods_between(parse_period("2021Q3"), parse_period("2022Q2"))]
    assert codes == ["2021Q3", "2021Q4", "2022Q1", "2022Q2"]
