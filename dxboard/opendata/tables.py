"""A dataset's table, computed from its source and kept while the data stays the same.

A table is never stored: `table_for(dataset)` asks the dataset's source for a stamp (the
data revision, the last change and the row count of what it reads: one cheap query) and
recomputes the table only when the stamp differs from the one it was built under. So a
download, a DataStore answer and a preview always show the current figures, and
`metadata_modified` is the time of the data's last change.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import translation

if TYPE_CHECKING:
    from dxboard.opendata.models import Dataset

Value = str | int | float | None


@dataclass(frozen=True)
class Field:
    """One column: its DataStore id and type ("text", "int", "numeric"), its titles."""

    id: str
    type: str
    label: str
    label_en: str


@dataclass
class ColumnIndex:
    """One column's values: the rows holding each (ascending), and each row's value as a
    small number (`codes[row]`), so a second filter is a look-up per row, not a set."""

    rows: dict[Any, list[int]]
    ids: dict[Any, int]
    codes: array[int]


@dataclass
class Table:
    fields: list[Field]
    rows: list[tuple[Value, ...]]
    last_change: datetime | None = None
    # {column index: ColumnIndex}, built on the first filter or full-text query on that
    # column (`datastore.search`), so a filtered page need not scan every row.
    indexes: dict[int, ColumnIndex] = field(default_factory=dict, repr=False)
    # Folded text (diacritics and case removed) of each distinct text value.
    folded: dict[str, str] = field(default_factory=dict, repr=False)
    # The rows of the last few filter and full-text queries: paging through one reads it
    # again instead of intersecting afresh.
    matches: OrderedDict[str, list[int]] = field(default_factory=OrderedDict, repr=False)

    @property
    def field_ids(self) -> list[str]:
        return [f.id for f in self.fields]

    def records(self, limit: int | None = None) -> list[dict[str, Value]]:
        ids = self.field_ids
        rows = self.rows if limit is None else self.rows[:limit]
        return [dict(zip(ids, row, strict=True)) for row in rows]


def number(value: Decimal | float | int | None) -> float | int | None:
    """A figure as JSON and CSV want it: int when whole, else float."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Per process: a few tables of the most recently read datasets. A national results table
# (every commune × quarter × indicator, 3.2 M rows) is GBs as Python tuples (3.5 GB peak
# while built, bench/opendata_bench.py), so keep few.
MAX_TABLES = 8
_tables: OrderedDict[int, tuple[tuple[Any, ...], Table]] = OrderedDict()
_lock = threading.Lock()
_building: dict[int, threading.Lock] = {}


def table_for(dataset: Dataset) -> Table:
    from dxboard.opendata.sources import source_for

    source = source_for(dataset)
    stamp = (dataset.updated_at, *source.stamp(dataset))
    with _lock:
        cached = _tables.get(dataset.pk)
        if cached is not None and cached[0] == stamp:
            _tables.move_to_end(dataset.pk)
            return cached[1]
        building = _building.setdefault(dataset.pk, threading.Lock())
    # One thread builds a dataset's table, the others wait for it (see evaluation._cached).
    with building:
        with _lock:
            cached = _tables.get(dataset.pk)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        # Labels ("Quý I/2024") in Vietnamese, whatever the language of the first reader.
        with translation.override("vi"):
            table = source.build(dataset)
        table.last_change = source.last_change(dataset)
        with _lock:
            _tables[dataset.pk] = (stamp, table)
            _tables.move_to_end(dataset.pk)
            while len(_tables) > MAX_TABLES:
                _tables.popitem(last=False)
    return table


def forget_tables() -> None:
    """Drop every cached table (tests)."""
    with _lock:
        _tables.clear()
