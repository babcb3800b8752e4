"""`datastore_search` over a dataset's table: filters, full text, fields, sort, paging.

The table is in memory (`tables.table_for`), so a query is a scan of tuples; paging is
stable because every order ends with `_id`, the row's position in the table, which only
changes when the figures do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from dxboard.opendata.ckan import params
from dxboard.opendata.ckan.errors import validation
from dxboard.opendata.tables import Field, Table, Value
from dxboard.text import fold

DEFAULT_LIMIT = 100
MAX_LIMIT = 32_000
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
TEXT_MATCHES_KEPT = 32
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


def _index(table: Table, column: int, normalise: Callable[[Any], Any]) -> dict[Any, list[int]]:
    index = table.indexes.get(column)
    if index is None:
        index = {}
        for i, row in enumerate(table.rows):
            index.setdefault(normalise(row[column]), []).append(i)
        table.indexes[column] = index
    return index


def _filtered_ids(table: Table, filters: dict[str, Any]) -> list[int]:
    """Row indexes matching every filter (ascending), through the column indexes."""
    known = _fields_by_id(table)
    candidates: list[list[int]] = []
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
        lists = [index.get(normalise(v), []) for v in set(values)]
        candidates.append(lists[0] if len(lists) == 1 else sorted(i for ids in lists for i in ids))
    candidates.sort(key=len)
    result = candidates[0]
    for other in candidates[1:]:
        members = set(other)
        result = [i for i in result if i in members]
    return result


def _search_text(table: Table) -> list[str]:
    if table.search_text is None:
        text_columns = [i for i, f in enumerate(table.fields) if f.type == "text"]
        table.search_text = [
            fold(" ".join(str(row[i]) for i in text_columns if row[i] is not None))
            for row in table.rows
        ]
    return table.search_text


def _matching_ids(table: Table, q: Any) -> list[int] | None:
    """Row indexes that match `q` (None: no full-text condition)."""
    if q in (None, ""):
        return None
    if isinstance(q, str):
        if len(q) > 1000:
            raise validation("q", _("Chuỗi tìm kiếm dài quá 1.000 ký tự."))
        words = fold(q).split()
        key = " ".join(words)
        found = table.text_matches.get(key)
        if found is None:
            texts = _search_text(table)
            found = [i for i, t in enumerate(texts) if all(w in t for w in words)]
            table.text_matches[key] = found
            while len(table.text_matches) > TEXT_MATCHES_KEPT:
                table.text_matches.popitem(last=False)
        return found
    if isinstance(q, dict):
        known = _fields_by_id(table)
        conditions: list[tuple[int, list[str]]] = []
        for name, value in q.items():
            if name not in known or not isinstance(value, str):
                raise validation("q", _("Không có cột “%(field)s”.") % {"field": str(name)[:100]})
            conditions.append((known[name][0], fold(value).split()))
        return [
            i
            for i, row in enumerate(table.rows)
            if all(all(w in fold(str(row[c] or "")) for w in ws) for c, ws in conditions)
        ]
    raise validation("q", _("Cần một chuỗi hoặc một đối tượng JSON."))


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

    matching = _matching_ids(table, q)
    if filters:
        ids = _filtered_ids(table, filters)
        if matching is not None:
            members = set(matching)
            ids = [i for i in ids if i in members]
    elif matching is not None:
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
