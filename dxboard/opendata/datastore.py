"""`datastore_search` over a dataset's table: filters, full text, fields, sort, paging.

The table is in memory (`tables.table_for`), so a query is a scan of tuples; paging is
stable because every order ends with `_id`, the row's position in the table, which only
changes when the figures do.
"""

from __future__ import annotations

import csv
import io
from array import array
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from dxboard.opendata.ckan import params
from dxboard.opendata.ckan.errors import validation
from dxboard.opendata.tables import ColumnIndex, Field, Table, Value
from dxboard.text import fold

DEFAULT_LIMIT = 100
MAX_LIMIT = 32_000
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
MATCHES_KEPT = 32
ID_FIELD = Field("_id", "int", "Số thứ tự", "Row id")


def _fields_by_id(table: Table) -> dict[str, tuple[int, Field]]:
    return {f.id: (i, f) for i, f in enumerate(table.fields)}


def _normaliser(field: Field, name: str) -> Callable[[Any], Any]:
    if field.type == "text":
        return lambda v: None if v is None else str(v)

    def as_number(value: Any) -> float | None:
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise validation(name, _("“%(field)s” là cột số.") % {"field": field.id}) from None

    return as_number


def _index(table: Table, column: int, normalise: Callable[[Any], Any]) -> ColumnIndex:
    index = table.indexes.get(column)
    if index is None:
        rows: dict[Any, list[int]] = {}
        ids: dict[Any, int] = {}
        codes = array("I", bytes(4 * len(table.rows)))
        for i, row in enumerate(table.rows):
            value = normalise(row[column])
            found = rows.get(value)
            if found is None:
                ids[value] = len(ids)
                found = rows[value] = []
            found.append(i)
            codes[i] = ids[value]
        index = ColumnIndex(rows, ids, codes)
        table.indexes[column] = index  # built twice at worst, by two first readers
    return index


# A condition on one column: how many rows satisfy it, those rows (lists from the index,
# each ascending), the column's value codes, and the codes of the values that satisfy it
# (to check a row found through another condition).
Condition = tuple[int, list[list[int]], "array[int]", set[int]]


def _rows_of(lists: list[list[int]]) -> list[int]:
    return lists[0] if len(lists) == 1 else sorted(i for ids in lists for i in ids)


def _intersect(conditions: list[Condition]) -> list[int]:
    """Rows satisfying every condition: the smallest condition's rows, each checked
    against the others' value codes (no set of the larger lists is built)."""
    conditions.sort(key=lambda c: c[0])
    found = _rows_of(conditions[0][1])
    checks = [(codes, wanted) for _size, _lists, codes, wanted in conditions[1:]]
    if len(checks) == 1:
        codes, wanted = checks[0]
        if len(wanted) == 1:
            (only,) = wanted
            return [i for i in found if codes[i] == only]
        return [i for i in found if codes[i] in wanted]
    return [i for i in found if all(codes[i] in wanted for codes, wanted in checks)]


def _filter_conditions(table: Table, filters: dict[str, Any]) -> list[Condition]:
    known = _fields_by_id(table)
    conditions = []
    for name, wanted in filters.items():
        if name not in known:
            raise validation("filters", _("Không có cột “%(field)s”.") % {"field": name[:100]})
        column, field = known[name]
        normalise = _normaliser(field, "filters")
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values or any(isinstance(v, dict | list) for v in values):
            raise validation(
                "filters", _("Giá trị lọc của “%(field)s” không hợp lệ.") % {"field": name}
            )
        index = _index(table, column, normalise)
        keys = {normalise(v) for v in values}
        lists = [index.rows[k] for k in keys if k in index.rows] or [[]]
        codes = {index.ids[k] for k in keys if k in index.ids}
        conditions.append((sum(len(ids) for ids in lists), lists, index.codes, codes))
    return conditions


def _folded(table: Table, value: Any) -> str:
    text = table.folded.get(value)
    if text is None:
        text = table.folded[value] = fold(str(value))
    return text


def _text_conditions(table: Table, columns: list[int], words: list[str]) -> list[list[Condition]]:
    """For each word, the values of each text column that hold it (each distinct value
    folded once): a word matches a row when one of the row's text values holds it."""
    per_word = []
    for word in words:
        options = []
        for column in columns:
            index = _index(table, column, _as_text)
            codes = {
                code
                for value, code in index.ids.items()
                if value is not None and word in _folded(table, value)
            }
            if codes:
                lists = [index.rows[v] for v, code in index.ids.items() if code in codes]
                options.append((sum(len(ids) for ids in lists), lists, index.codes, codes))
        per_word.append(options)
    return per_word


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _text_rows(
    table: Table,
    per_word: list[list[Condition]],
    within: list[int] | None,
) -> list[int]:
    """Rows (of `within`, or of the table) where every word matches some column."""
    if any(not options for options in per_word):
        return []
    if within is None:
        # Start from the word found in the fewest rows.
        rarest = min(per_word, key=lambda options: sum(o[0] for o in options))
        within = sorted({i for option in rarest for ids in option[1] for i in ids})
        per_word = [options for options in per_word if options is not rarest]
    found = within
    for options in per_word:
        checks = [(codes, wanted) for _size, _lists, codes, wanted in options]
        found = [i for i in found if any(codes[i] in wanted for codes, wanted in checks)]
    return found


def _matching(table: Table, filters: dict[str, Any], q: Any) -> list[int] | None:
    """Row indexes (ascending) matching `filters` and `q`; None when neither is given.
    The last few answers are kept, so paging through one costs a look-up."""
    if not filters and q in (None, ""):
        return None
    conditions = _filter_conditions(table, filters) if filters else []
    text: list[tuple[list[int], list[str]]] = []  # ([columns], words)
    if isinstance(q, str):
        if len(q) > 1000:
            raise validation("q", _("Chuỗi tìm kiếm dài quá 1.000 ký tự."))
        words = fold(q).split()
        if words:
            columns = [i for i, f in enumerate(table.fields) if f.type == "text"]
            text.append((columns, words))
    elif isinstance(q, dict):
        known = _fields_by_id(table)
        for name, value in q.items():
            if name not in known or not isinstance(value, str):
                raise validation("q", _("Không có cột “%(field)s”.") % {"field": str(name)[:100]})
            if fold(value).split():
                text.append(([known[name][0]], fold(value).split()))
    elif q not in (None, ""):
        raise validation("q", _("Cần một chuỗi hoặc một đối tượng JSON."))
    key = repr(
        (
            sorted(
                (n, sorted(map(repr, v if isinstance(v, list) else [v])))
                for n, v in filters.items()
            ),
            text,
        )
    )
    found = table.matches.get(key)
    if found is not None:
        table.matches.move_to_end(key)
        return found
    rows = _intersect(conditions) if conditions else None
    for columns, words in text:
        # Each word a condition (on one column for a `q` object: all its words in that
        # column's value; on every text column for a `q` string).
        rows = _text_rows(table, _text_conditions(table, columns, words), rows)
    found = rows if rows is not None else list(range(len(table.rows)))
    table.matches[key] = found
    while len(table.matches) > MATCHES_KEPT:
        table.matches.popitem(last=False)
    return found


def _sort_keys(table: Table, raw: str) -> list[tuple[int, bool]]:
    """[(column index or -1 for _id, descending)] from "a, b desc"."""
    known = _fields_by_id(table)
    keys: list[tuple[int, bool]] = []
    for part in raw.split(","):
        words = part.split()
        if not words:
            continue
        name = words[0].strip('"')
        direction = words[1].lower() if len(words) > 1 else "asc"
        if len(words) > 2 or direction not in ("asc", "desc"):
            raise validation("sort", _("Thứ tự “%(part)s” không hợp lệ.") % {"part": part[:100]})
        if name == "_id":
            keys.append((-1, direction == "desc"))
        elif name in known:
            keys.append((known[name][0], direction == "desc"))
        else:
            raise validation("sort", _("Không có cột “%(field)s”.") % {"field": name[:100]})
    return keys


def _sort(table: Table, ids: list[int], keys: list[tuple[int, bool]]) -> list[int]:
    # Python's sort is stable: sort by the last key first; ids are already in _id order.
    for column, descending in reversed(keys):
        if column == -1:
            ids = sorted(ids, reverse=descending)
            continue
        rows = table.rows
        present = [i for i in ids if rows[i][column] is not None]
        missing = [i for i in ids if rows[i][column] is None]
        present.sort(key=lambda i: rows[i][column], reverse=descending)  # type: ignore[arg-type,return-value]
        ids = present + missing  # empty cells last either way, as PostgreSQL's NULLS LAST
    return ids


def search(table: Table, resource_id: str, request: dict[str, Any]) -> dict[str, Any]:
    limit = params.integer(request, "limit", DEFAULT_LIMIT, high=MAX_LIMIT)
    offset = params.integer(request, "offset", 0)
    include_total = params.boolean(request, "include_total", True)
    records_format = params.text(request, "records_format", "objects")
    if records_format not in RECORDS_FORMATS:
        raise validation(
            "records_format", _("Cần một trong: %(v)s.") % {"v": ", ".join(RECORDS_FORMATS)}
        )
    filters = params.json_object(request, "filters") or {}
    q = request.get("q")
    if isinstance(q, str) and q.strip().startswith("{"):
        q = params.json_object(request, "q")
    known = _fields_by_id(table)
    wanted = params.string_list(request, "fields")
    for name in wanted:
        if name != "_id" and name not in known:
            raise validation("fields", _("Không có cột “%(field)s”.") % {"field": name[:100]})
    sort_text = params.text(request, "sort", "", max_length=1000)
    keys = _sort_keys(table, sort_text)
    distinct = params.boolean(request, "distinct", False)

    matching = _matching(table, filters, q)
    if matching is not None:
        ids = matching
    elif not keys and not distinct:
        # The whole table in _id order: the page is a slice, nothing to scan.
        ids = range(len(table.rows))  # type: ignore[assignment]
    else:
        ids = list(range(len(table.rows)))
    if keys:
        ids = _sort(table, list(ids), keys)

    out_fields = (
        [ID_FIELD, *table.fields]
        if not wanted
        else [ID_FIELD if n == "_id" else known[n][1] for n in wanted]
    )
    columns = [-1 if f.id == "_id" else known[f.id][0] for f in out_fields]

    def values(i: int) -> tuple[Value, ...]:
        row = table.rows[i]
        return tuple(i + 1 if c == -1 else row[c] for c in columns)

    if distinct:
        seen: set[tuple[Value, ...]] = set()
        unique: list[int] = []
        for i in ids:
            key = values(i)
            if key not in seen:
                seen.add(key)
                unique.append(i)
        ids = unique
    page = [values(i) for i in ids[offset : offset + limit]]
    names = [f.id for f in out_fields]
    records: Any
    if records_format == "objects":
        records = [dict(zip(names, row, strict=True)) for row in page]
    elif records_format == "lists":
        records = [list(row) for row in page]
    else:
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, delimiter="," if records_format == "csv" else "\t", lineterminator="\n"
        )
        writer.writerows(page)
        records = buffer.getvalue()
    result: dict[str, Any] = {
        "include_total": include_total,
        "resource_id": resource_id,
        "fields": [{"id": f.id, "type": f.type, "info": {"label": f.label}} for f in out_fields],
        "records_format": records_format,
        "records": records,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": f"/api/3/action/datastore_search?resource_id={resource_id}&limit={limit}",
            "next": (
                f"/api/3/action/datastore_search?resource_id={resource_id}"
                f"&limit={limit}&offset={offset + limit}"
            ),
        },
    }
    if filters:
        result["filters"] = filters
    if q not in (None, ""):
        result["q"] = q
    if sort_text:
        result["sort"] = sort_text
    if include_total:
        result["total"] = len(ids)
        result["total_was_estimated"] = False
    return result
