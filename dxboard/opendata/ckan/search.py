"""`package_search`: CKAN's Solr query syntax, the part of it portals and harvesters send.

`q` is free text (every word must appear in the title, description, keywords, name or
publisher, diacritics ignored) and may hold `field:value` terms; `fq` (and each entry of
`fq_list`) holds `field:value` or `field:"a value"` terms, optionally prefixed by `+`, and
`-field:value` to exclude. Fields: name, id, organization, tags, groups, res_format,
license_id. `*:*` matches everything.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dxboard.opendata.catalog import group_name, organization_name
from dxboard.opendata.ckan import params
from dxboard.opendata.ckan.errors import search_query, validation
from dxboard.opendata.models import Dataset
from dxboard.opendata.resources import FORMATS
from dxboard.text import fold

FIELDS = ("name", "id", "organization", "tags", "groups", "res_format", "license_id")
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
SORT_FIELDS = ("score", "metadata_modified", "metadata_created", "name", "title_string", "title")
DEFAULT_SORT = "score desc, metadata_modified desc"
ROWS_MAX = 1000
Q_MAX = 1000
_TERM = re.compile(r'\s*([+-]?)(?:([A-Za-z_.]+):)?(?:"([^"]*)"|([^\s"]+))')


@dataclass(frozen=True)
class Term:
    field: str  # "" for free text
    value: str
    negate: bool = False


def parse(query: str, parameter: str) -> list[Term]:
    if query.count('"') % 2:
        raise search_query(_("“%(p)s”: dấu ngoặc kép chưa đóng.") % {"p": parameter})
    terms: list[Term] = []
    position = 0
    query = query.strip()
    while position < len(query):
        match = _TERM.match(query, position)
        if match is None or match.end() == position:
            raise search_query(_("“%(p)s” không đọc được.") % {"p": parameter})
        position = match.end()
        sign, field, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        if field is None and value in ("*:*", "*"):
            continue
        if field == "*" or (field and value == "*"):
            continue
        if field and field not in FIELDS and field != "text":
            raise search_query(
                _("Không tìm được theo “%(f)s”; dùng: %(all)s.")
                % {"f": field, "all": ", ".join(FIELDS)}
            )
        terms.append(Term(field if field and field != "text" else "", value, sign == "-"))
    return terms


def facet_values(dataset: Dataset, field: str) -> list[str]:
    if field == "organization":
        return [organization_name(dataset.publisher)]
    if field == "groups":
        return [group_name(dataset.theme)]
    if field == "tags":
        return list(dataset.keywords)
    if field == "res_format":
        return [f.label for f in FORMATS]
    if field == "license_id":
        return [dataset.licence]
    if field == "name":
        return [dataset.name]
    if field == "id":
        return [str(dataset.uuid)]
    return []


def _haystack(dataset: Dataset) -> str:
    parts = [
        dataset.name,
        dataset.title,
        dataset.title_en,
        dataset.description,
        dataset.description_en,
        dataset.publisher.name,
        dataset.coverage.name,
        *dataset.keywords,
    ]
    return fold(" ".join(parts))


def _matches(dataset: Dataset, term: Term) -> bool:
    if term.field:
        wanted = fold(term.value)
        found = any(fold(v) == wanted for v in facet_values(dataset, term.field))
    else:
        haystack = _haystack(dataset)
        found = all(word in haystack for word in fold(term.value).split())
    return found != term.negate


def _sorter(raw: str) -> list[tuple[str, bool]]:
    keys: list[tuple[str, bool]] = []
    for part in raw.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) != 2 or words[0] not in SORT_FIELDS or words[1] not in ("asc", "desc"):
            raise validation(
                "sort",
                _("Thứ tự “%(part)s” không hợp lệ; dùng: %(all)s kèm asc hoặc desc.")
                % {"part": part.strip()[:100], "all": ", ".join(SORT_FIELDS)},
            )
        keys.append((words[0], words[1] == "desc"))
    return keys


def search(
    datasets: list[Dataset],
    request: dict[str, Any],
    modified: Callable[[Dataset], Any],
    render: Callable[[Dataset], dict[str, Any]],
) -> dict[str, Any]:
    q = params.text(request, "q", "", max_length=Q_MAX)
    fq = params.text(request, "fq", "", max_length=Q_MAX)
    fq_list = params.string_list(request, "fq_list", json_allowed=True)
    rows = params.integer(request, "rows", 10, high=ROWS_MAX)
    start = params.integer(request, "start", 0)
    sort = params.text(request, "sort", DEFAULT_SORT, max_length=200) or DEFAULT_SORT
    want_facets = params.boolean(request, "facet", True)
    facet_fields = params.string_list(request, "facet.field")
    for field in facet_fields:
        if field not in FACET_FIELDS:
            raise validation(
                "facet.field",
                _("Không có nhóm “%(f)s”; dùng: %(all)s.")
                % {"f": field[:100], "all": ", ".join(FACET_FIELDS)},
            )
    facet_limit = params.integer(request, "facet.limit", 50, low=-1)
    facet_mincount = params.integer(request, "facet.mincount", 1)
    keys = _sorter(sort)

    terms = parse(q, "q") + parse(fq, "fq")
    for entry in fq_list:
        if len(entry) > Q_MAX:
            raise validation("fq_list", _("Dài quá 1.000 ký tự."))
        terms += parse(entry, "fq_list")
    found = [d for d in datasets if all(_matches(d, t) for t in terms)]
    for field, descending in reversed(keys):
        if field == "score":
            continue  # every match scores the same
        if field in ("name",):
            found.sort(key=lambda d: d.name, reverse=descending)
        elif field in ("title_string", "title"):
            found.sort(key=lambda d: fold(d.title), reverse=descending)
        elif field == "metadata_created":
            found.sort(key=lambda d: d.created_at, reverse=descending)
        else:
            found.sort(key=modified, reverse=descending)

    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    if want_facets:
        for field in facet_fields:
            counts = Counter(v for d in found for v in set(facet_values(d, field)))
            items = [(n, c) for n, c in counts.most_common() if c >= facet_mincount]
            items.sort(key=lambda item: (-item[1], item[0]))
            if facet_limit >= 0:
                items = items[:facet_limit]
            facets[field] = dict(items)
            search_facets[field] = {
                "title": field,
                "items": [
                    {"name": n, "display_name": _display(found, field, n), "count": c}
                    for n, c in items
                ],
            }
    return {
        "count": len(found),
        "sort": sort,
        "results": [render(d) for d in found[start : start + rows]],
        "facets": facets,
        "search_facets": search_facets,
    }


def _display(datasets: list[Dataset], field: str, name: str) -> str:
    for dataset in datasets:
        if field == "organization" and organization_name(dataset.publisher) == name:
            return dataset.publisher.name
        if field == "groups" and group_name(dataset.theme) == name:
            return str(dataset.get_theme_display())
    return name
