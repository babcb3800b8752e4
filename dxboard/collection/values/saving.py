"""`save_values`: check the rows, decide per row what changes, and write the changes.

The decision (create, update, delete or ignore; stale versions) is made here in Python,
from the stored rows read as plain tuples; `writing.write_changes` then applies all
changes with a few set-based statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

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


def save_values(
    user: User | AnonymousUser | None,
    rows: Iterable[ValueRow | Mapping[str, Any]],
    source: str,
    *,
    dry_run: bool = False,
    atomic: bool = True,
) -> ImportSummary:
    """Validate and save data values; return the import summary.

    `user` needs the reporter, province officer or unit administrator role on each row's
    unit (superusers may write anywhere). `user=None` is allowed only with
    `source="computed"` (figures computed by the system from its registers).
    With `atomic` (the default) one bad row means nothing is saved and every row is
    counted as ignored; with `atomic=False` good rows are saved and bad rows reported.
    With `dry_run` everything is checked and counted, nothing is written.
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
    summary = ImportSummary(dry_run=dry_run)
    cleaned = validate(user, items, summary)
    if summary.conflicts and atomic:
        summary.ignored = len(items)
        return summary
    summary.ignored += len(items) - len(cleaned)
    with transaction.atomic():
        changes = plan_changes(cleaned, summary, stored_values(cleaned, lock=not dry_run))
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
        "data_element_id", "unit_id", "period", "pk", "value", "text_value", "comment", "version"
    )
    if lock:
        query = query.select_for_update()
    return {(e, u, p): Stored(*rest) for e, u, p, *rest in query}


def plan_changes(
    cleaned: list[Clean], summary: ImportSummary, stored: dict[Triple, Stored]
) -> list[Change]:
    """Decide per row: create, update, delete or ignore; check versions; update counts."""
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
        if item.delete:
            action = DELETE if current is not None else None
        elif current is None:
            action = CREATE
        elif (
            current.value == item.number
            and current.text_value == item.text
            and current.comment == item.row.comment
        ):
            action = None
        else:
            action = UPDATE
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
