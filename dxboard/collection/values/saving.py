"""`save_values`: check the rows, decide per row what changes, and write the changes.

The decision (create, update, delete or ignore; stale versions) is made here in Python,
from the stored rows read as plain tuples; `writing.write_changes` then applies all
changes with a few set-based statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue, ValueSource
from dxboard.errors import Conflict, ErrorDetail, InvalidInput

from .checks import Clean, Triple, validate
from .rows import ImportConflict, ImportSummary, ValueRow
from .writing import CREATE, DELETE, UPDATE, Change, Stored, write_changes

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

T = TypeVar("T")


class Strategy(StrEnum):
    """DHIS2's `importStrategy` values."""

    CREATE_AND_UPDATE = "CREATE_AND_UPDATE"
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"


def save_values(
    user: User | AnonymousUser | None,
    rows: Iterable[ValueRow | Mapping[str, Any]],
    source: str,
    *,
    dry_run: bool = False,
    atomic: bool = True,
    machine_format: bool = False,
    strategy: Strategy = Strategy.CREATE_AND_UPDATE,
) -> ImportSummary:
    """Validate and save data values; return the import summary.

    `user` needs the reporter, province officer or unit administrator role on each row's
    unit (superusers may write anywhere). `user=None` is allowed only with
    `source="computed"` (figures computed by the system from its registers).
    With `atomic` (the default) one bad row means nothing is saved and every row is
    counted as ignored; with `atomic=False` good rows are saved and bad rows reported.
    With `dry_run` everything is checked and counted, nothing is written.
    With `machine_format` (the API, dataValueSets files, the CLI) numbers are read in the
    machine format only ("0.125" is one eighth, "1.234,5" is refused); without it, as
    people type them in web forms and Excel. `strategy` is DHIS2's `importStrategy`
    (see `plan_changes`); with DELETE every row deletes its value, whatever it holds.
    """
    if source not in ValueSource.values:
        raise InvalidInput(_("Nguồn số liệu không hợp lệ: %(source)s") % {"source": source})
    if user is None and source != ValueSource.COMPUTED:
        raise InvalidInput(_("Cần người dùng để nhập số liệu."))
    items = [
        row if isinstance(row, ValueRow) else ValueRow.from_mapping(row, f"dataValues[{i}]")
        for i, row in enumerate(rows)
    ]
    for i, row in enumerate(items):
        if not row.path:
            row.path = f"dataValues[{i}]"
        if strategy == Strategy.DELETE:
            row.deleted = True
    summary = ImportSummary(dry_run=dry_run)
    cleaned = validate(
        user,
        items,
        summary,
        machine_format=machine_format,
        codes_today=source == ValueSource.COMPUTED,
    )
    if summary.conflicts and atomic:
        summary.ignored = len(items)
        return summary
    summary.ignored += len(items) - len(cleaned)
    with transaction.atomic():
        author_name = user.get_username() if user is not None and user.is_authenticated else ""
        stored = stored_values(cleaned, lock=not dry_run)
        changes = plan_changes(cleaned, summary, stored, strategy, author_name)
        if summary.conflicts and atomic:
            summary.imported = summary.updated = summary.deleted = 0
            summary.ignored = len(items)
            return summary
        if not dry_run:
            author = user if user is not None and user.is_authenticated else None
            _write(author.pk if author is not None else None, changes, source)
    return summary


def _write(user_id: int | None, changes: list[Change], source: str) -> None:
    """Write the changes; a value created meanwhile by another import is a Conflict.

    Rows that do not exist yet cannot be locked: two imports creating the same value at
    the same moment both plan an insert, and PostgreSQL lets the second one wait for the
    first and then fail on `data_value_unique`. The first wins; the second is told so
    (409) and writes nothing, instead of a 500.
    """
    try:
        with transaction.atomic():
            write_changes(user_id, changes, source)
    except IntegrityError as error:
        # PostgreSQL names the constraint; SQLite names the table and its columns.
        text = str(error)
        sqlite_text = f"UNIQUE constraint failed: {DataValue._meta.db_table}."
        if "data_value_unique" not in text and sqlite_text not in text:
            raise
        raise Conflict(
            _("Số liệu vừa được người khác nhập cùng lúc; chưa lưu dòng nào, hãy gửi lại."),
            [ErrorDetail(".", _("Đã có số liệu cho phần tử, đơn vị và kỳ này."))],
        ) from None


def stored_values(cleaned: list[Clean], *, lock: bool) -> dict[Triple, Stored]:
    """The stored values of the rows, locked for update when about to write (PostgreSQL).

    Plain tuples, not model instances: a re-import of a province file reads tens of
    thousands of rows here.
    """
    if not cleaned:
        return {}
    query = DataValue.objects.filter(
        data_element_id__in={c.key[0] for c in cleaned},
        unit_id__in={c.key[1] for c in cleaned},
        period__in={c.key[2] for c in cleaned},
    ).values_list(
        "data_element_id",
        "unit_id",
        "period",
        "pk",
        "value",
        "text_value",
        "comment",
        "version",
        "stored_by",
        "followup",
    )
    if lock:
        query = query.select_for_update()
    return {(e, u, p): Stored(*rest) for e, u, p, *rest in query}


def _keep(sent: T | None, stored: T) -> T:
    """What a row sent, or what is stored when the row does not name the field."""
    return stored if sent is None else sent


def plan_changes(
    cleaned: list[Clean],
    summary: ImportSummary,
    stored: dict[Triple, Stored],
    strategy: Strategy = Strategy.CREATE_AND_UPDATE,
    author_name: str = "",
) -> list[Change]:
    """Decide per row: create, update, delete or ignore; check versions; update counts.

    `strategy` is DHIS2's import strategy: CREATE ignores rows whose value exists, UPDATE
    rows whose value does not; DELETE is applied before (every row is a deletion).
    """
    changes: list[Change] = []
    for item in cleaned:
        current = stored.get(item.key)
        version = item.row.version
        if current is not None and version is not None and int(version) != current.version:
            summary.conflicts.append(
                ImportConflict(
                    item.row.data_element,
                    item.row.path,
                    _("Số liệu đã được người khác sửa; hãy tải lại trang rồi nhập lại."),
                )
            )
            summary.ignored += 1
            continue
        row = item.row
        item.comment = _keep(row.comment, current.comment if current else "")
        item.followup = _keep(row.followup, current.followup if current else False)
        # DHIS2's storedBy: as sent; else the user saving a new or changed figure (as DHIS2
        # does). A row that does not send it never makes an unchanged figure an update.
        item.stored_by = _keep(row.stored_by, current.stored_by if current else author_name)
        if item.delete:
            action = DELETE if current is not None else None
        elif current is None:
            action = None if strategy == Strategy.UPDATE else CREATE
        elif strategy == Strategy.CREATE or (
            current.value == item.number
            and current.text_value == item.text
            and current.comment == item.comment
            and current.stored_by == item.stored_by
            and current.followup == item.followup
        ):
            action = None
        else:
            action = UPDATE
            if row.stored_by is None and author_name:
                item.stored_by = author_name
        if action is None:
            summary.ignored += 1
            continue
        if action == CREATE:
            summary.imported += 1
        elif action == UPDATE:
            summary.updated += 1
        else:
            summary.deleted += 1
        changes.append(Change(action, item, current))
    return changes
