"""The set-based write of planned changes: stage the rows, then a few SQL statements.

Building a `DataValue` and a `DataValueAudit` instance per row for `bulk_create` was 85 %
of an import (docs/performance.md, "Import"). Here a change is one plain tuple. All
tuples go into a temporary staging table in one round trip (COPY on PostgreSQL, one
executemany on SQLite), and the database applies them with a fixed number of statements,
whatever the number of rows:

    UPDATE audit SET data_value = NULL  -- cleared values: their history keeps the triple
    DELETE FROM value                   -- cleared values
    UPDATE value … FROM staging         -- changed values, version + 1
    INSERT INTO value … SELECT          -- new values
    INSERT INTO audit … SELECT          -- one row per change, linked by (element, unit, period)

No model signals are sent; the data revision (`dxboard.revision`) is bumped instead.
Which rows are created, updated or deleted was decided before, in `saving.plan_changes`,
from the stored rows it locked; so a plain INSERT (no ON CONFLICT) is right, and a value
created by someone else meanwhile still fails on the unique constraint as it did with
`bulk_create`. Table and column names come from the models' `_meta`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection
from django.utils import timezone

from dxboard import revision
from dxboard.collection.models import AuditAction, DataValue, DataValueAudit

from .parsing import display

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.utils import CursorWrapper

    from .checks import Clean

CREATE, UPDATE, DELETE = (
    AuditAction.CREATE.value,
    AuditAction.UPDATE.value,
    AuditAction.DELETE.value,
)

# DataValue fields staged per row, in staging-table order. A new value takes all of them;
# an update takes CHANGED_FIELDS; the audit row takes the first three (the triple).
STAGED_FIELDS = (
    "data_element",
    "unit",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "value",
    "text_value",
    "comment",
    "stored_by",
    "followup",
)
CHANGED_FIELDS = ("value", "text_value", "comment", "stored_by", "followup")
TRIPLE_FIELDS = ("data_element", "unit", "period")


class Stored(NamedTuple):
    """The columns of a stored value that the decision and the audit need."""

    pk: int
    value: Decimal | None
    text_value: str
    comment: str
    version: int
    stored_by: str
    followup: bool


@dataclass(frozen=True)
class Change:
    """What happens to one row: `action` is an `AuditAction` value; `stored` is None for a
    create."""

    action: str
    item: Clean
    stored: Stored | None


def write_changes(user_id: int | None, changes: Sequence[Change], source: str) -> None:
    """Apply the changes and write one audit row each (who, when, old, new, source).

    Call inside a transaction: the staging table is created and dropped in it, so a
    failure rolls the table back with the rest.
    """
    if not changes:
        return
    sql = _Statements(connection)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    version = DataValue._meta.get_field("version").get_default()
    actions = {change.action for change in changes}
    with connection.cursor() as cursor:
        cursor.execute(sql.create_stage)
        _fill_stage(cursor, sql, _stage_rows(changes))
        if DELETE in actions:
            cursor.execute(sql.unlink_audits, [DELETE])
            cursor.execute(sql.delete_values, [DELETE])
        if UPDATE in actions:
            cursor.execute(sql.update_values, [source, user_id, now, UPDATE])
        if CREATE in actions:
            cursor.execute(sql.insert_values, [source, user_id, user_id, now, now, version, CREATE])
        cursor.execute(sql.insert_audits, [user_id, now, source])
        cursor.execute(sql.drop_stage)
    # Raw SQL sends no post_save/post_delete signals (nor did bulk_create), so tell cached
    # evaluations here that the figures changed.
    revision.changed()


def _stage_rows(changes: Sequence[Change]) -> list[tuple[Any, ...]]:
    """One tuple per change, in the order of the staging table's columns.

    Updates and deletes come first, then creates: the order in which the audit rows were
    written before, so their ids (the history's tie-break) keep the same order.
    """
    ordered = [c for c in changes if c.action != CREATE] + [
        c for c in changes if c.action == CREATE
    ]
    dates: dict[str, tuple[str, date, date]] = {}  # (type, start, end) by period code
    rows = []
    for row_no, change in enumerate(ordered):
        item, stored, period = change.item, change.stored, change.item.period
        old = "" if stored is None else display(stored.value, stored.text_value)
        new = "" if change.action == DELETE else display(item.number, item.text)
        if period.code not in dates:
            dates[period.code] = (period.type.value, period.start, period.end)
        rows.append(
            (
                row_no,
                change.action,
                None if stored is None else stored.pk,
                *item.key,
                *dates[period.code],
                item.number,
                item.text,
                item.comment,
                item.stored_by,
                item.followup,
                old,
                new,
            )
        )
    return rows


def _fill_stage(cursor: CursorWrapper, sql: _Statements, rows: list[tuple[Any, ...]]) -> None:
    # COPY is psycopg 3's; psycopg2 (not used by DXBoard, but Django allows it) and SQLite
    # take the one executemany.
    if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
        with cursor.cursor.copy(sql.copy_stage) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(sql.insert_stage, rows)


class _Statements:
    """The SQL of one write, with the names of the models' tables and columns."""

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        qn = db.ops.quote_name
        value_meta, audit_meta = DataValue._meta, DataValueAudit._meta

        def value_col(name: str) -> str:
            return qn(value_meta.get_field(name).column)

        def audit_col(name: str) -> str:
            return qn(audit_meta.get_field(name).column)

        values, audits = qn(value_meta.db_table), qn(audit_meta.db_table)
        stage = qn(f"{value_meta.db_table}_stage")
        row_no, action, value_id = qn("row_no"), audit_col("action"), qn("value_id")
        old, new = audit_col("old_value"), audit_col("new_value")
        pk = qn(value_meta.pk.column)

        # The staging columns take the types of the columns they fill, so values convert
        # exactly as the ORM's would (on SQLite, by the same column affinity).
        columns = [
            (row_no, "integer"),
            (action, audit_meta.get_field("action").db_type(db)),
            (value_id, value_meta.pk.rel_db_type(db)),
            *((value_col(name), value_meta.get_field(name).db_type(db)) for name in STAGED_FIELDS),
            (old, audit_meta.get_field("old_value").db_type(db)),
            (new, audit_meta.get_field("new_value").db_type(db)),
        ]
        names = ", ".join(name for name, _type in columns)
        staged = [value_col(name) for name in STAGED_FIELDS]
        self.create_stage = (
            f"CREATE TEMPORARY TABLE {stage} "
            f"({', '.join(f'{name} {db_type}' for name, db_type in columns)})"
        )
        self.drop_stage = f"DROP TABLE {stage}"
        self.copy_stage = f"COPY {stage} ({names}) FROM STDIN"
        self.insert_stage = (
            f"INSERT INTO {stage} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        )
        deleted = f"SELECT {value_id} FROM {stage} WHERE {action} = %s"
        self.unlink_audits = (
            f"UPDATE {audits} SET {audit_col('data_value')} = NULL "
            f"WHERE {audit_col('data_value')} IN ({deleted})"
        )
        self.delete_values = f"DELETE FROM {values} WHERE {pk} IN ({deleted})"
        changed = ", ".join(f"{value_col(name)} = s.{value_col(name)}" for name in CHANGED_FIELDS)
        version = value_col("version")
        self.update_values = (
            f"UPDATE {values} SET {changed}, {value_col('source')} = %s, "
            f"{value_col('updated_by')} = %s, {value_col('updated_at')} = %s, "
            f"{version} = {values}.{version} + 1 "
            f"FROM {stage} s WHERE {values}.{pk} = s.{value_id} AND s.{action} = %s"
        )
        stamps = ("source", "created_by", "updated_by", "created_at", "updated_at", "version")
        self.insert_values = (
            f"INSERT INTO {values} ({', '.join([*staged, *map(value_col, stamps)])}) "
            f"SELECT {', '.join(f's.{name}' for name in staged)}, %s, %s, %s, %s, %s, %s "
            f"FROM {stage} s WHERE s.{action} = %s ORDER BY s.{row_no}"
        )
        # A created or updated value is found by its triple; a deleted one is gone, so its
        # audit row gets no link, as before.
        join = " AND ".join(f"v.{value_col(name)} = s.{value_col(name)}" for name in TRIPLE_FIELDS)
        audit_columns = [
            audit_col(name)
            for name in (
                "data_value",
                *TRIPLE_FIELDS,
                "action",
                "old_value",
                "new_value",
                "user",
                "at",
                "source",
            )
        ]
        triple = ", ".join(f"s.{value_col(name)}" for name in TRIPLE_FIELDS)
        self.insert_audits = (
            f"INSERT INTO {audits} ({', '.join(audit_columns)}) "
            f"SELECT v.{pk}, {triple}, s.{action}, s.{old}, s.{new}, %s, %s, %s "
            f"FROM {stage} s LEFT JOIN {values} v ON {join} ORDER BY s.{row_no}"
        )
