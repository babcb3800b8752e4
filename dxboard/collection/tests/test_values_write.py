"""The set-based write of `save_values`: values and audit rows as the model-based write had them.

These run on both backends (SQLite by default, PostgreSQL with DATABASE_URL): the rows
go through COPY on PostgreSQL and executemany on SQLite.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxboard import revision
from dxboard.collection.models import DataValue, DataValueAudit
from dxboard.collection.values import ValueRow, save_values
from dxboard.collection.values import saving as saving_module
from dxboard.errors import Conflict
from dxboard.evaluation.tests.factories import element
from dxboard.indicators.models import DataElement
from dxboard.indicators.services import import_metadata

pytestmark = pytest.mark.django_db

UNITS = ("99", "99001", "99002", "99001-AP1", "99002-KP2")


@pytest.fixture
def elements(world):
    import_metadata(
        None,
        {
            "dataElements": [
                element("SO", value_type="number"),
                element("NGUYEN", value_type="integer"),
                element("GHICHU", value_type="text"),
            ]
        },
    )


def _months(first_year: int, years: int) -> list[str]:
    return [
        f"{year}{month:02d}"
        for year in range(first_year, first_year + years)
        for month in range(1, 13)
    ]


def _stored(code: str, unit: str, period: str) -> DataValue:
    return DataValue.objects.get(data_element__code=code, unit__code=unit, period=period)


def test_a_big_import_writes_every_value_and_one_audit_row_each(world, elements):
    # 1,200 rows: more than one batch of the former bulk_create (500).
    rows = [
        ValueRow(code, period, unit, f"{n}.5" if code == "SO" else n)
        for n, (code, unit, period) in enumerate(
            (code, unit, period)
            for code in ("SO", "NGUYEN")
            for unit in UNITS
            for period in _months(2015, 10)
        )
    ]
    summary = save_values(world.province_officer, rows, "api")
    assert (summary.imported, summary.updated, summary.ignored, summary.deleted) == (1200, 0, 0, 0)
    assert DataValue.objects.count() == 1200

    values = {v.pk: v for v in DataValue.objects.select_related("data_element", "unit")}
    audits = list(DataValueAudit.objects.order_by("pk"))
    assert len(audits) == 1200
    first = values[audits[0].data_value_id]
    for audit in audits:
        value = values[audit.data_value_id]
        assert (audit.data_element_id, audit.unit_id, audit.period) == (
            value.data_element_id,
            value.unit_id,
            value.period,
        )
        assert (audit.action, audit.old_value, audit.new_value) == (
            "create",
            "",
            value.display_value,
        )
        assert (audit.user, audit.source, audit.at) == (
            world.province_officer,
            "api",
            first.created_at,
        )
        assert value.created_by == value.updated_by == world.province_officer
        assert value.created_at == value.updated_at == audit.at
        assert (value.version, value.source, value.comment) == (1, "api", "")
    # Audit rows and values follow the order of the rows sent.
    created = [values[a.data_value_id] for a in audits]
    assert [(v.data_element.code, v.unit.code, v.period) for v in created] == [
        (r.data_element, r.org_unit, r.period) for r in rows
    ]
    assert [v.pk for v in created] == sorted(v.pk for v in created)
    march = _stored("NGUYEN", "99002", "201503")
    assert (march.period_type, str(march.period_start), str(march.period_end)) == (
        "month",
        "2015-03-01",
        "2015-03-31",
    )
    assert _stored("SO", "99", "201501").value == Decimal("0.5")


def test_one_import_can_create_update_leave_alone_and_delete(world, elements):
    first = [
        ValueRow("SO", "2024", "99001", "1"),
        ValueRow("SO", "2024", "99002", "2"),
        ValueRow("SO", "2024", "99001-AP1", "3"),
        ValueRow("SO", "2024", "99002-KP2", "4", comment="cũ"),
    ]
    assert save_values(world.officer_a, first[:1] + first[2:3], "web").ok
    assert save_values(world.province_officer, first[1:2] + first[3:], "web").ok
    before = {v.unit.code: v for v in DataValue.objects.select_related("unit")}

    summary = save_values(
        world.admin,
        [
            ValueRow("SO", "2024", "99001", "5"),  # update
            ValueRow("SO", "2024", "99002", "2,0"),  # same number: left alone
            ValueRow("SO", "2024", "99001-AP1", ""),  # delete
            ValueRow("SO", "2024", "99", "7"),  # create
            ValueRow("SO", "2023", "99", None),  # delete of nothing: ignored
            ValueRow("SO", "2024", "99002-KP2", "4", comment="mới"),  # comment only: update
        ],
        "excel",
    )
    assert (summary.imported, summary.updated, summary.ignored, summary.deleted) == (1, 2, 2, 1)

    updated = _stored("SO", "99001", "2024")
    assert (updated.value, updated.version, updated.source) == (5, 2, "excel")
    assert (updated.created_by, updated.updated_by) == (world.officer_a, world.admin)
    assert updated.created_at == before["99001"].created_at < updated.updated_at
    untouched = _stored("SO", "99002", "2024")
    assert (untouched.version, untouched.source, untouched.updated_by) == (
        1,
        "web",
        world.province_officer,
    )
    assert untouched.updated_at == before["99002"].updated_at
    commented = _stored("SO", "99002-KP2", "2024")
    assert (commented.comment, commented.version) == ("mới", 2)
    created = _stored("SO", "99", "2024")
    assert (created.version, created.created_by, created.source) == (1, world.admin, "excel")
    assert not DataValue.objects.filter(unit__code="99001-AP1").exists()

    audits = list(
        DataValueAudit.objects.filter(user=world.admin).select_related("unit").order_by("pk")
    )
    # Changes to stored values first, then new values: the order the old write used.
    assert [(a.unit.code, a.action, a.old_value, a.new_value) for a in audits] == [
        ("99001", "update", "1", "5"),
        ("99001-AP1", "delete", "3", ""),
        ("99002-KP2", "update", "4", "4"),
        ("99", "create", "", "7"),
    ]
    assert [a.data_value_id for a in audits] == [updated.pk, None, commented.pk, created.pk]
    assert {(a.source, a.at) for a in audits} == {("excel", updated.updated_at)}
    # The deleted value's earlier history keeps its triple and loses only the link.
    history = DataValueAudit.objects.get(unit__code="99001-AP1", action="create")
    assert (history.data_value_id, history.period, history.new_value) == (None, "2024", "3")


def test_text_with_tabs_backslashes_and_new_lines_is_stored_as_sent(world, elements):
    text = "Đã ban hành\tQĐ 12\\2024\nvà “kế hoạch” \\N"
    comment = "ghi\tchú\r\n\\"
    assert save_values(
        world.officer_a, [ValueRow("GHICHU", "2024", "99001", text, comment)], "web"
    ).ok
    value = _stored("GHICHU", "99001", "2024")
    assert (value.value, value.text_value, value.comment) == (None, text, comment)
    assert DataValueAudit.objects.get().new_value == text


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("0,000001", Decimal("0.000001")),
        ("12.316", Decimal("12.316")),
        ("-4", Decimal(-4)),
        ("99.999.999,5", Decimal("99999999.5")),
        ("1.234,5", Decimal("1234.5")),
    ],
)
def test_numbers_are_stored_exactly(world, elements, raw, number):
    # A negative figure needs an element that declares a negative minimum (issue 18).
    DataElement.objects.filter(code="SO").update(min_value=Decimal(-1000))
    save_values(world.officer_a, [ValueRow("SO", "2024", "99001", raw)], "web")
    assert _stored("SO", "99001", "2024").value == number
    assert DataValueAudit.objects.get().new_value == f"{number.normalize():f}"


def test_a_failed_write_leaves_nothing_behind_and_the_next_save_works(world, elements, monkeypatch):
    save_values(world.officer_a, [ValueRow("SO", "2024", "99001", "1")], "web")
    # Pretend the stored value was not seen (as if created meanwhile by someone else):
    # the INSERT then hits the unique constraint, which is told as a Conflict (409).
    monkeypatch.setattr(saving_module, "stored_values", lambda cleaned, lock: {})
    with pytest.raises(Conflict):
        save_values(
            world.officer_a,
            [ValueRow("SO", "2024", "99001-AP1", "3"), ValueRow("SO", "2024", "99001", "2")],
            "web",
        )
    monkeypatch.undo()
    assert list(DataValue.objects.values_list("unit__code", "value")) == [("99001", 1)]
    assert DataValueAudit.objects.count() == 1
    # The staging table went with the rolled-back work: the next save can create it again.
    again = save_values(world.officer_a, [ValueRow("SO", "2024", "99001-AP1", "3")], "web")
    assert again.imported == 1


def test_a_dry_run_with_changes_writes_nothing(world, elements):
    save_values(world.officer_a, [ValueRow("SO", "2024", "99001", "1")], "web")
    rows = [
        ValueRow("SO", "2024", "99001", "2"),
        ValueRow("SO", "2024", "99002", "3"),
        ValueRow("SO", "2023", "99001", ""),
    ]
    summary = save_values(world.admin, rows, "api", dry_run=True)
    assert (summary.imported, summary.updated, summary.ignored) == (1, 1, 1)
    assert list(DataValue.objects.values_list("value", "version")) == [(1, 1)]
    assert DataValueAudit.objects.count() == 1


def test_computed_values_are_audited_without_a_user(world, elements):
    assert save_values(None, [ValueRow("SO", "2024", "99001", "1")], "computed").ok
    value = _stored("SO", "99001", "2024")
    audit = DataValueAudit.objects.get()
    assert (value.created_by, value.source, audit.user, audit.source) == (
        None,
        "computed",
        None,
        "computed",
    )


def test_without_atomic_a_stale_row_is_skipped_and_the_others_are_saved(world, elements):
    save_values(world.officer_a, [ValueRow("SO", "2024", "99001", "1")], "web")
    save_values(world.officer_a, [ValueRow("SO", "2024", "99001", "2", version=1)], "web")
    summary = save_values(
        world.officer_a,
        [
            ValueRow("SO", "2024", "99001", "3", version=1),
            ValueRow("SO", "2024", "99001-AP1", "4", version=None),
        ],
        "web",
        atomic=False,
    )
    assert (summary.imported, summary.updated, summary.ignored, len(summary.conflicts)) == (
        1,
        0,
        1,
        1,
    )
    assert _stored("SO", "99001", "2024").value == 2
    assert _stored("SO", "99001-AP1", "2024").value == 4


def test_the_number_of_queries_does_not_grow_with_the_rows(world, elements):
    def queries_for(first_year: int, years: int) -> int:
        months = _months(first_year, years)
        save_values(world.admin, [ValueRow("SO", m, "99001", "1") for m in months], "api")
        # Then one import that updates, deletes and creates.
        rows = [ValueRow("SO", m, "99001", "2") for m in months[::2]]
        rows += [ValueRow("SO", m, "99001", "") for m in months[1::2]]
        rows += [ValueRow("SO", m, "99002", "3") for m in months]
        with CaptureQueriesContext(connection) as context:
            summary = save_values(world.admin, rows, "api")
        assert summary.updated == summary.deleted == len(months) // 2
        return len(context.captured_queries)

    assert queries_for(2001, 1) == queries_for(2010, 10)


def test_a_saved_change_bumps_the_data_revision_once_and_no_change_leaves_it(
    world, elements, monkeypatch
):
    # A spy rather than the stored number: the fixtures' own writes already left a bump
    # pending in the test's transaction, which never commits, and `changed` adds one per
    # transaction.
    calls: list[str] = []
    monkeypatch.setattr(revision, "changed", lambda using="default": calls.append(using))

    def bumps(rows: list[ValueRow], **options) -> int:
        calls.clear()
        save_values(world.officer_a, rows, "web", **options)
        return len(calls)

    created = [ValueRow("SO", "2024", "99001", "1"), ValueRow("SO", "2024Q1", "99001", "2")]
    assert bumps(created) == 1
    assert bumps([ValueRow("SO", "2024", "99001", "5")]) == 1
    assert bumps([ValueRow("SO", "2024Q1", "99001", "")]) == 1
    assert bumps([ValueRow("SO", "2024", "99001", "5")]) == 0
    assert bumps([ValueRow("SO", "2023", "99001", "5")], dry_run=True) == 0
