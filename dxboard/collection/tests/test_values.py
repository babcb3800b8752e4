"""The one write path for figures: validation, permissions, upsert, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dxboard.collection.models import DataValue, DataValueAudit
from dxboard.collection.values import ValueRow, save_values
from dxboard.errors import InvalidInput
from dxboard.evaluation.tests.factories import element, ratio
from dxboard.indicators.services import import_metadata
from dxboard.numbers import parse_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def elements(world):
    part = ratio("CQ-03")
    import_metadata(
        None,
        {
            "dataElements": [
                *part["dataElements"],
                element("TYLE", value_type="percentage"),
                element("CO", value_type="boolean"),
                element("GHICHU", value_type="text"),
                element("SO", value_type="number"),
            ],
            "indicators": part["indicators"],
        },
    )


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234.5", Decimal("1234.5")),
        ("97,5", Decimal("97.5")),
        ("1.234.567", Decimal("1234567")),
        ("1,234.5", Decimal("1234.5")),
        (" 12 316 ", Decimal("12316")),
        (12, Decimal(12)),
    ],
)
def test_it_reads_vietnamese_and_english_numbers(text, number):
    assert parse_number(text) == number


def test_a_lone_dot_with_three_digits_is_a_thousands_separator_for_integers():
    assert parse_number("12.316", integer_hint=True) == 12316
    assert parse_number("12.316") == Decimal("12.316")


def test_it_creates_updates_ignores_and_deletes_with_an_audit_row_each(world, elements):
    user = world.officer_a
    first = save_values(user, [ValueRow("CQ-03-TU", "2024Q1", "99001", "12.316")], "web")
    assert (first.imported, first.updated, first.ignored) == (1, 0, 0)
    value = DataValue.objects.get()
    assert value.value == 12316 and value.created_by == user and value.period_type == "quarter"
    same = save_values(user, [ValueRow("CQ-03-TU", "2024Q1", "99001", "12316")], "web")
    assert (same.imported, same.updated, same.ignored) == (0, 0, 1)
    changed = save_values(world.admin, [ValueRow("CQ-03-TU", "2024Q1", "99001", "12400")], "api")
    assert changed.updated == 1
    value.refresh_from_db()
    assert value.version == 2 and value.updated_by == world.admin
    deleted = save_values(user, [ValueRow("CQ-03-TU", "2024Q1", "99001", "")], "web")
    assert deleted.deleted == 1 and not DataValue.objects.exists()
    audits = list(
        DataValueAudit.objects.order_by("at", "pk").values_list("action", "old_value", "new_value")
    )
    assert audits == [
        ("create", "", "12316"),
        ("update", "12316", "12400"),
        ("delete", "12400", ""),
    ]


def test_it_rejects_bad_rows_naming_each_one_and_saves_nothing(world, elements):
    rows = [
        ValueRow("CQ-03-TU", "2024Q1", "99001", "5", path="dataValues[0]"),
        ValueRow("KHONGCO", "2024Q1", "99001", "1", path="dataValues[1]"),
        ValueRow("CQ-03-TU", "2024Q5", "99001", "1", path="dataValues[2]"),
        ValueRow("CQ-03-TU", "202413", "99001", "1", path="dataValues[3]"),
        ValueRow("CQ-03-TU", "2024", "99001", "mười", path="dataValues[4]"),
        ValueRow("TYLE", "2024", "99001", "100,5", path="dataValues[5]"),
        ValueRow("CQ-03-TU", "2024", "00000", "1", path="dataValues[6]"),
        ValueRow("CQ-03-TU", "2024Q2", "99001", "1,5", path="dataValues[7]"),
    ]
    summary = save_values(world.admin, rows, "api")
    paths = [c.path for c in summary.conflicts]
    assert paths == [f"dataValues[{i}]" for i in range(1, 8)]
    messages = " ".join(c.message for c in summary.conflicts)
    assert "KHONGCO" in messages and "2024Q5" in messages and "202413" in messages
    assert "mười" in messages and "0–100" in messages and "00000" in messages
    assert summary.status == "ERROR" and summary.ignored == 8
    assert not DataValue.objects.exists()


def test_it_rejects_a_numerator_above_its_denominator(world, elements):
    save_values(world.officer_a, [ValueRow("CQ-03-MAU", "2024", "99001", "100")], "web")
    summary = save_values(
        world.officer_a, [ValueRow("CQ-03-TU", "2024", "99001", "101", path="Dòng 2")], "excel"
    )
    assert [c.path for c in summary.conflicts] == ["Dòng 2"]
    assert "CQ-03" in summary.conflicts[0].message
    both = save_values(
        world.officer_a,
        [
            ValueRow("CQ-03-TU", "2024Q1", "99001", "9"),
            ValueRow("CQ-03-MAU", "2024Q1", "99001", "8"),
        ],
        "web",
    )
    assert len(both.conflicts) == 1 and both.conflicts[0].path == "dataValues[0]"


def test_without_atomic_good_rows_are_saved_and_bad_rows_reported(world, elements):
    rows = [ValueRow("CQ-03-TU", "2024", "99001", "5"), ValueRow("CQ-03-TU", "2024", "99001x", "5")]
    summary = save_values(world.admin, rows, "api", atomic=False)
    assert (summary.imported, summary.ignored, summary.status) == (1, 1, "WARNING")


def test_a_dry_run_counts_but_writes_nothing(world, elements):
    summary = save_values(world.admin, [ValueRow("SO", "2024", "99", "1,5")], "api", dry_run=True)
    assert summary.imported == 1 and not DataValue.objects.exists()


def test_a_reporter_cannot_write_for_another_unit_and_a_viewer_cannot_write(world, elements):
    other = save_values(world.officer_b, [ValueRow("SO", "2024", "99001", "1")], "web")
    assert "99001" in other.conflicts[0].message
    viewer = save_values(world.viewer, [ValueRow("SO", "2024", "99001", "1")], "web")
    assert "quyền" in viewer.conflicts[0].message
    below = save_values(world.officer_a, [ValueRow("SO", "2024", "99001-AP1", "1")], "web")
    assert below.ok


def test_booleans_and_text_are_stored(world, elements):
    rows = [
        ValueRow("CO", "2024", "99001", "có"),
        ValueRow("GHICHU", "2024", "99001", "Đã ban hành"),
    ]
    assert save_values(world.officer_a, rows, "web").ok
    assert DataValue.objects.get(data_element__code="CO").value == 1
    assert DataValue.objects.get(data_element__code="GHICHU").text_value == "Đã ban hành"


def test_a_stale_version_is_a_conflict(world, elements):
    save_values(world.officer_a, [ValueRow("SO", "2024", "99001", "1")], "web")
    save_values(world.officer_a, [ValueRow("SO", "2024", "99001", "2", version=1)], "web")
    stale = save_values(world.officer_a, [ValueRow("SO", "2024", "99001", "3", version=1)], "web")
    assert "người khác" in stale.conflicts[0].message
    assert DataValue.objects.get().value == 2


def test_only_computed_values_may_be_saved_without_a_user(world, elements):
    with pytest.raises(InvalidInput):
        save_values(None, [ValueRow("SO", "2024", "99001", "1")], "web")
    assert save_values(None, [ValueRow("SO", "2024", "99001", "1")], "computed").ok


def test_saving_many_values_takes_a_fixed_number_of_queries(
    world, elements, django_assert_max_num_queries
):
    rows = [
        ValueRow("SO", f"2024{m:02d}", code, m) for m in range(1, 13) for code in ("99001", "99002")
    ]
    # 6 to check the rows, 1 to read the stored values, 5 to write (staging table, its
    # rows, values, audit rows, drop), the savepoint pair, and the savepoint pair around
    # the write that turns a simultaneous creation into a Conflict; the same for any number
    # of rows (see test_values_write.py).
    with django_assert_max_num_queries(16):
        summary = save_values(world.province_officer, rows, "api")
    assert summary.imported == 24
    assert DataValueAudit.objects.count() == 24
