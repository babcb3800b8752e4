"""A scorecard set as an Excel sheet in the layout of the provinces' decisions.

    STT | Chỉ số | Điểm tối đa | Cách xác định và tính điểm | Tài liệu kiểm chứng | Nguồn |
    Đơn vị xác minh | Mã | Cách tính | Tham số | Trụ cột | Xếp hạng | Chỉ tiêu | Tử số | Mẫu số

The first seven columns are the decisions' own; the others let the sheet come back in
unchanged. Above the header, lines "Mã bộ chỉ số", "Năm", "Loại đơn vị", "Tổng điểm tối
đa", "Văn bản", "Chương trình", "Mở ngày", "Hạn nộp" hold the set's own fields.

A row whose STT has no dot ("1", "I") is a group (chỉ số chính); "1.2" is a criterion of
group "1". Parameters are written the way the decisions word them:
steps "4: 20; 3: 15; 2: 10; 1: 5" (a leading "≤" when lower is better), tiers
"chu_tich = 1 (Chủ tịch); pho = 0,5 (Phó Chủ tịch)", "thấp hơn tốt hơn" for a ratio or
a best-unit rule where lower is better.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.indicators.models import Pillar
from dxboard.spreadsheets import (
    DECIMAL_2,
    INTEGER,
    Column,
    append_row,
    cell_date,
    cell_text,
    data_rows,
    find_header,
    is_blank,
    map_columns,
    read_first_sheet,
    titled_sheet,
    titled_table,
    workbook_bytes,
)
from dxboard.text import fold
from dxboard.units.models import UnitKind

from .models import RuleType, Scorecard, Status
from .rules import Rule, parse_rule
from .sets import scorecard_tree

MAX_ROWS = 400
COLUMNS: dict[str, tuple[str, ...]] = {
    "stt": ("STT",),
    "name": ("Chỉ số", "Chỉ số/Chỉ số thành phần", "Tên chỉ số"),
    "maxPoints": ("Điểm tối đa",),
    "method": ("Cách xác định và tính điểm", "Cách xác định"),
    "evidence": ("Tài liệu kiểm chứng",),
    "source": ("Nguồn", "Nguồn thu thập dữ liệu"),
    "verifier": ("Đơn vị xác minh", "Đơn vị phối hợp xác minh"),
    "code": ("Mã",),
    "rule": ("Cách tính",),
    "params": ("Tham số",),
    "pillar": ("Trụ cột",),
    "ranked": ("Xếp hạng",),
    "indicator": ("Chỉ tiêu",),
    "numerator": ("Tử số",),
    "denominator": ("Mẫu số",),
}
TITLES = {field: titles[0] for field, titles in COLUMNS.items()}
META = {
    "name": "Tên bộ chỉ số",
    "code": "Mã bộ chỉ số",
    "year": "Năm",
    "unitKind": "Loại đơn vị",
    "maxPoints": "Tổng điểm tối đa",
    "legalReference": "Văn bản",
    "programme": "Chương trình",
    "ownerUnit": "Đơn vị ban hành",
    "opensOn": "Mở ngày",
    "closesOn": "Hạn nộp",
    "tiers": "Nhóm xếp hạng",
}
LOWER = "thấp hơn tốt hơn"
YES, NO = "Có", "Không"
_STEP = re.compile(r"^\s*(≤|<=|≥|>=)?\s*([0-9.,]+)\s*:\s*([0-9.,]+)\s*$")
_TIER = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*([0-9.,]+)\s*(?:\((.*)\))?\s*$")


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def rule_params_text(rule: Rule) -> str:
    if rule.type == RuleType.STEPS:
        sign = "≤ " if rule.lower_is_better else ""
        return "; ".join(f"{sign}{_num(t)}: {_num(p)}" for t, p in rule.steps)
    if rule.type == RuleType.TIERS:
        return "; ".join(f"{t.code} = {_num(t.share)} ({t.name})" for t in rule.tiers)
    return LOWER if rule.lower_is_better else ""


def export_scorecard(scorecard: Scorecard) -> bytes:
    groups = scorecard_tree(scorecard)
    workbook, sheet = titled_sheet(
        _("Bộ chỉ số"),
        scorecard.name,
        scorecard.legal_reference,
        [TITLES[f] for f in COLUMNS],
        [8, 48, 10, 48, 36, 20, 20, 14, 12, 30, 16, 10, 12, 12, 12],
    )
    # The set's fields go below the header's data, above nothing: the header stays on
    # row 3 (where the provinces' sheets have it) and the fields follow the table.
    for group in groups:
        append_row(
            sheet,
            [
                group.stt,
                group.name,
                float(group.max_points),
                "",
                "",
                "",
                "",
                group.code,
                "",
                "",
                group.pillar,
                YES if group.ranked else NO,
            ],
        )
        for criterion in group.criteria.all():
            rule = parse_rule(criterion.rule_type, criterion.rule, criterion.max_points)
            append_row(
                sheet,
                [
                    criterion.stt,
                    criterion.name,
                    float(criterion.max_points),
                    criterion.method or rule.describe(),
                    criterion.evidence,
                    criterion.source,
                    criterion.verifier,
                    criterion.code,
                    criterion.rule_type,
                    rule_params_text(rule),
                    "",
                    YES if criterion.ranked else NO,
                    criterion.indicator.code if criterion.indicator else "",
                    criterion.numerator.code if criterion.numerator else "",
                    criterion.denominator.code if criterion.denominator else "",
                ],
            )
    append_row(sheet, [])
    meta = {
        "name": scorecard.name,
        "code": scorecard.code,
        "year": scorecard.year,
        "unitKind": scorecard.unit_kind,
        "maxPoints": float(scorecard.max_points),
        "legalReference": scorecard.legal_reference,
        "programme": scorecard.programme.code if scorecard.programme else "",
        "ownerUnit": scorecard.owner_unit.code,
        "opensOn": scorecard.opens_on.strftime("%d/%m/%Y"),
        "closesOn": scorecard.closes_on.strftime("%d/%m/%Y"),
        "tiers": "; ".join(f"{t.name} = {_num(t.min_index)}" for t in scorecard.tiers.all()),
    }
    for key, label in META.items():
        append_row(sheet, [label, meta[key]])
    return workbook_bytes(workbook)


def _where_factory(lines: dict[tuple[int | None, int | None], tuple[int, str]]) -> Any:
    titles = {"maxPoints": TITLES["maxPoints"], "name": TITLES["name"], "code": TITLES["code"]}
    titles.update({"rule": TITLES["params"], "stt": "STT", "pillar": TITLES["pillar"]})
    titles.update({"ranked": TITLES["ranked"], "indicator": TITLES["indicator"]})
    titles.update({"numerator": TITLES["numerator"], "denominator": TITLES["denominator"]})

    def where(group: int | None, criterion: int | None, field: str) -> str:
        if group is None:
            return _("Thông tin bộ chỉ số, “%(f)s”") % {"f": META.get(field, field)}
        line, stt = lines.get((group, criterion), (0, ""))
        return _("Dòng %(line)s (STT %(stt)s), cột “%(col)s”") % {
            "line": line,
            "stt": stt,
            "col": titles.get(field, field),
        }

    return where


def _rule(kind: str, params: str, label: str, errors: list[ErrorDetail]) -> dict[str, Any]:
    kinds = {fold(k): k for k in RuleType.values} | {
        fold(str(label)): v for v, label in RuleType.choices
    }
    rule_type = kinds.get(fold(kind), kind or RuleType.MANUAL)
    rule: dict[str, Any] = {"type": rule_type}
    text = params.strip()
    if fold(text) == fold(LOWER):
        rule["lowerIsBetter"] = True
        return rule
    if rule_type == RuleType.STEPS:
        steps = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            match = _STEP.match(part)
            if not match:
                errors.append(
                    ErrorDetail(label, _("Ngưỡng “%(p)s” phải dạng “4: 20”.") % {"p": part})
                )
                continue
            if match.group(1) in ("≤", "<="):
                rule["lowerIsBetter"] = True
            steps.append({"min": match.group(2), "points": match.group(3)})
        rule["steps"] = steps
    elif rule_type == RuleType.TIERS:
        tiers = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            match = _TIER.match(part)
            if not match:
                errors.append(
                    ErrorDetail(
                        label, _("Mức “%(p)s” phải dạng “pho = 0,5 (Phó Chủ tịch)”.") % {"p": part}
                    )
                )
                continue
            tiers.append(
                {"code": match.group(1), "share": match.group(2), "name": match.group(3) or ""}
            )
        rule["tiers"] = tiers
    return rule


def read_scorecard_file(file: IO[bytes]) -> tuple[dict[str, Any], Any]:
    """The set's document from the sheet, and the `where` naming its lines; InvalidInput
    naming the line, STT and column for a duplicate STT, a missing parent or a bad cell."""
    rows = read_first_sheet(file, max_rows=MAX_ROWS)
    header_index = find_header(
        rows, "STT", _("Không thấy dòng tiêu đề (STT | Chỉ số | Điểm tối đa …) trong 15 dòng đầu.")
    )
    columns = map_columns(rows[header_index], COLUMNS)
    missing = [TITLES[f] for f in ("stt", "name", "maxPoints") if f not in columns]
    if missing:
        raise InvalidInput(
            _("Thiếu cột: %(c)s.") % {"c": ", ".join(missing)},
            [ErrorDetail(_("Dòng %(n)s") % {"n": header_index + 1}, _("Thiếu cột bắt buộc."))],
        )
    document: dict[str, Any] = {"groups": []}
    # The title row above the header is the set's name, as in the decisions' annexes.
    if header_index > 0 and rows[0]:
        document["name"] = cell_text(rows[0][0])
    errors: list[ErrorDetail] = []
    lines: dict[tuple[int | None, int | None], tuple[int, str]] = {}
    groups_by_stt: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    meta_titles = {fold(label): key for key, label in META.items()}
    for line, raw in data_rows(rows, header_index):
        if is_blank(raw):
            continue
        first = cell_text(raw[0] if raw else "")
        if fold(first) in meta_titles:
            key = meta_titles[fold(first)]
            value = raw[1] if len(raw) > 1 else None
            document[key] = _meta_value(key, value, line, errors)
            continue
        cells = {f: raw[i] if i < len(raw) else None for f, i in columns.items()}
        stt = cell_text(cells["stt"]).rstrip(".")
        path = _("Dòng %(line)s, cột “STT”") % {"line": line}
        if not stt:
            errors.append(ErrorDetail(path, _("Thiếu STT.")))
            continue
        if stt in seen:
            errors.append(
                ErrorDetail(
                    path, _("STT “%(s)s” trùng với dòng %(l)s.") % {"s": stt, "l": seen[stt]}
                )
            )
            continue
        seen[stt] = line
        text = {f: cell_text(v) for f, v in cells.items()}
        max_points = cells["maxPoints"]
        node: dict[str, Any] = {
            "stt": stt,
            "name": text["name"],
            "maxPoints": max_points if not isinstance(max_points, str) else max_points.strip(),
            "code": text.get("code") or "CS" + re.sub(r"[^A-Za-z0-9]+", "-", stt),
        }
        ranked = fold(text.get("ranked", ""))
        if ranked:
            node["ranked"] = ranked not in (fold(NO), "0", "false")
        if "." not in stt:
            pillar = text.get("pillar", "")
            pillars = {fold(str(label)): value for value, label in Pillar.choices}
            node["pillar"] = pillars.get(fold(pillar), pillar) if pillar else ""
            node["criteria"] = []
            lines[(len(document["groups"]), None)] = (line, stt)
            groups_by_stt[stt] = node
            document["groups"].append(node)
            continue
        parent = groups_by_stt.get(stt.split(".", 1)[0])
        if parent is None:
            errors.append(
                ErrorDetail(
                    path,
                    _("Chỉ số %(s)s không có chỉ số chính “%(p)s” ở dòng trên.")
                    % {"s": stt, "p": stt.split(".", 1)[0]},
                )
            )
            continue
        label = _("Dòng %(line)s (STT %(stt)s), cột “%(c)s”") % {
            "line": line,
            "stt": stt,
            "c": TITLES["params"],
        }
        node.update(
            {
                "method": text.get("method", ""),
                "evidence": text.get("evidence", ""),
                "source": text.get("source", ""),
                "verifier": text.get("verifier", ""),
                "rule": _rule(text.get("rule", ""), text.get("params", ""), label, errors),
            }
        )
        for key in ("indicator", "numerator", "denominator"):
            if text.get(key):
                node[key] = text[key]
        group_index = document["groups"].index(parent)
        lines[(group_index, len(parent["criteria"]))] = (line, stt)
        parent["criteria"].append(node)
    if errors:
        raise InvalidInput(_("Tệp có %(n)s lỗi; chưa có gì được lưu.") % {"n": len(errors)}, errors)
    if not document["groups"]:
        raise InvalidInput(_("Tệp không có dòng chỉ số nào."))
    return document, _where_factory(lines)


def _meta_value(key: str, value: Any, line: int, errors: list[ErrorDetail]) -> Any:
    path = _("Dòng %(line)s, “%(f)s”") % {"line": line, "f": META[key]}
    if key == "year":
        try:
            return int(float(cell_text(value)))
        except ValueError:
            errors.append(ErrorDetail(path, _("Năm phải là số nguyên.")))
            return None
    if key in ("opensOn", "closesOn"):
        try:
            day = cell_date(value)
        except ValueError as error:
            errors.append(ErrorDetail(path, str(error)))
            return None
        return day.isoformat() if isinstance(day, date) else None
    if key == "unitKind":
        text = cell_text(value)
        kinds = {fold(str(label)): v for v, label in UnitKind.choices}
        return kinds.get(fold(text), text)
    if key == "maxPoints":
        return value
    if key == "tiers":
        tiers = []
        for part in filter(None, (p.strip() for p in cell_text(value).split(";"))):
            name, _sep, threshold = part.rpartition("=")
            try:
                tiers.append(
                    {"name": name.strip(), "minIndex": Decimal(threshold.strip().replace(",", "."))}
                )
            except ArithmeticError:
                errors.append(
                    ErrorDetail(path, _("Nhóm “%(p)s” phải dạng “Nhóm 1 = 0,8”.") % {"p": part})
                )
        return tiers
    return cell_text(value)


def export_results(
    scorecard: Scorecard,
    results: list[Any],
    *,
    sort: str = "",
    full: bool = True,
    peers_name: str = "",
) -> bytes:
    """The ranking page's table as a workbook (issue 15, point 7): real numbers with their
    formats, the set, its issuing unit and year in the title, a frozen header and fitted
    widths (`spreadsheets.titled_table`, as the dashboard's exports). `results` are
    `results.UnitResult`s in the page's order; with `sort` "group:CODE" or "pillar:CODE"
    the points, maximum and rank are that group's or pillar's, as on the page."""
    groups = [g for g in scorecard_tree(scorecard) if g.max_points]
    kind, _sep, code = sort.partition(":")
    by = ""
    if kind == "group":
        by = next((f"{g.stt}. {g.name}" for g in groups if g.code == code), code)
    elif kind == "pillar":
        by = str(Pillar(code).label) if code in Pillar.values else code
    with_unranked = any(r.ranking_points != r.points for r in results)
    with_change = any(r.change for r in results)
    columns = [
        Column(_("Hạng"), INTEGER),
        Column(_("Mã đơn vị")),
        Column(_("Đơn vị")),
        Column(_("Điểm"), DECIMAL_2),
        Column(_("Điểm tối đa"), DECIMAL_2),
        Column(_("Chỉ số (0–1)"), "0.0000"),
    ]
    if with_unranked:
        columns.append(Column(_("Điểm tính xếp hạng"), DECIMAL_2))
    columns += [Column(f"{g.stt}. {g.name}", DECIMAL_2) for g in groups]
    columns.append(Column(_("Xếp loại")))
    if with_change:
        columns += [
            Column(_("Hạng năm trước"), INTEGER),
            Column(_("Thay đổi hạng"), "+#,##0;-#,##0;0"),
            Column(_("Thay đổi điểm"), "+#,##0.00;-#,##0.00;0"),
        ]
    columns.append(Column(_("Ghi chú"), wrap=True))
    rows = []
    for r in results:
        points, maximum, rank = r.points, r.max_points, r.rank
        before = r.change.previous_rank if r.change else None
        if kind == "group":
            group = r.group(code)
            points, maximum, rank = (
                (group.points, group.max_points, group.rank) if group else (None, None, None)
            )
            before = r.change.previous_groups.get(code) if r.change else None
        elif kind == "pillar":
            pillar = r.pillars.get(code)
            points, maximum, rank = (
                (pillar.points, pillar.max_points, pillar.rank) if pillar else (None, None, None)
            )
            before = r.change.previous_pillars.get(code) if r.change else None
        notes = []
        if not r.ranked:
            notes.append(_("Không xếp hạng: %(r)s") % {"r": r.exclusion_reason})
        if r.not_submitted:
            notes.append(_("Không nộp"))
        row: list[Any] = [
            rank,
            r.unit.code,
            r.unit.name,
            points,
            maximum,
            r.index,
        ]
        if with_unranked:
            row.append(r.ranking_points)
        by_code = {g.code: g for g in r.groups}
        row += [by_code[g.code].points if g.code in by_code else None for g in groups]
        row.append(r.tier)
        if with_change:
            moved = before - rank if before is not None and rank is not None else None
            row += [before, moved, r.change.points if r.change and not kind else None]
        row.append("; ".join(notes))
        rows.append(row)
    title = _("Kết quả xếp hạng: %(set)s – %(unit)s – năm %(year)s") % {
        "set": scorecard.name,
        "unit": scorecard.owner_unit.name,
        "year": scorecard.year,
    }
    if by:
        title += " – " + _("theo %(by)s") % {"by": by}
    parts = [str(Status(scorecard.status).label)]
    if peers_name:
        parts.append(_("so sánh trong nhóm %(g)s") % {"g": peers_name})
    if not full:
        parts.append(_("kết quả chưa công bố: chỉ đơn vị của bạn, chưa xếp hạng"))
    if scorecard.legal_reference:
        parts.append(scorecard.legal_reference)
    parts.append(_("Xuất ngày %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")})
    workbook = titled_table(_("Xếp hạng"), title, " · ".join(parts), columns, rows)
    return workbook_bytes(workbook)
