"""The report as a sequence of blocks, written once for both the Word and the PDF file.

`build(report, figures, issued_on)` turns the stored report fields and the figures of
`figures.collect` into a `Document`: the Decree 30 header, numbered sections whose
sentences follow the committees' own reports (seeds 000–004: "24 chỉ tiêu: 7 đạt và
vượt, …", "đạt 97 %/95 %", "17/20 biểu mẫu có đủ số liệu"), the recipients and the
signature, and the appendix table of all indicators.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from dxboard.indicators.views import vn_number
from dxboard.periods import ROMAN, Period, PeriodType, parse_period

NO_DATA_TEXT = "chưa có số liệu"
# Forms still being updated that a sentence names; the form page lists them all.
FORMS_NAMED = 5
# Characters a Word file or a PDF cannot hold: C0 controls but tab and newline, DEL, C1,
# the non-characters U+FFFE/U+FFFF and lone surrogates (not XML; a surrogate cannot even
# be stored as UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Narrative text without control characters, with Windows line ends made plain."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def period_phrase(period: Period) -> str:
    """The period inside a sentence: "quý I năm 2026", "6 tháng đầu năm 2026", "năm 2026"."""
    year = period.year
    if period.type == PeriodType.QUARTER:
        quarter = ROMAN[(period.start.month - 1) // 3 + 1]
        return _("quý %(quarter)s năm %(year)s") % {"quarter": quarter, "year": year}
    if period.type == PeriodType.HALF_YEAR:
        if period.start.month == 1:
            return _("6 tháng đầu năm %(year)s") % {"year": year}
        return _("6 tháng cuối năm %(year)s") % {"year": year}
    if period.type == PeriodType.MONTH:
        return _("tháng %(month)s năm %(year)s") % {"month": period.start.month, "year": year}
    return _("năm %(year)s") % {"year": year}


def default_subject(period: Period) -> str:
    """ "Kết quả thực hiện chuyển đổi số quý I năm 2026, phương hướng, nhiệm vụ quý II năm 2026"."""
    with translation.override("vi"):
        return _subject(period)


def _subject(period: Period) -> str:
    return _("Kết quả thực hiện chuyển đổi số %(period)s, phương hướng, nhiệm vụ %(next)s") % {
        "period": period_phrase(period),
        "next": period_phrase(period.next()),
    }


def place_and_date(place: str, day: dt.date) -> str:
    """ "An Giang, ngày 05 tháng 01 năm 2026": days below 10 and months 1–2 padded."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def number(value: Any, places: int | None = None) -> str:
    """A stored decimal string in Vietnamese format (1.234,5); "—" for None."""
    if value is None:
        return "—"
    return vn_number(Decimal(str(value)), places)


def _measured(value: Any, unit: str, places: int | None) -> str:
    text = number(value, places)
    if not unit:
        return text
    return f"{text} {unit}" if unit != "%" else f"{text}\u00a0%"


def _percent(part: int, whole: int) -> str:
    return vn_number(Decimal(part) * 100 / Decimal(whole), 1) + "\u00a0%"


def _billions(value: int) -> str:
    """Budgets as the reports write them: "56,8 tỷ đồng" (exact đồng below one billion)."""
    if abs(value) >= 1_000_000_000:
        billions = (Decimal(value) / Decimal(1_000_000_000)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        return _("%(amount)s tỷ đồng") % {"amount": vn_number(billions)}
    return _("%(amount)s đồng") % {"amount": vn_number(Decimal(value), 0)}


# --- the document --------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "heading1" (I.), "heading2" (1.), "heading3" (a)), "paragraph", "note"
    text: str


@dataclass
class AppendixRow:
    number: int
    name: str
    unit: str
    actual: str
    target: str
    achievement: str
    status: str


@dataclass
class Document:
    parent_name: str
    body_name: str
    number_text: str
    place_date: str
    kind_title: str
    subject: str
    blocks: list[Block]
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    appendix_title: str
    appendix_reference: str
    appendix_rows: list[AppendixRow]
    draft: bool
    meta: dict[str, str] = field(default_factory=dict)


def status_labels(thresholds: list[str]) -> list[str]:
    t1, t2, t3 = (number(t) for t in thresholds)
    return [
        _("Đạt, vượt"),
        _("Từ %(t2)s đến dưới %(t1)s\u00a0%%") % {"t1": t1, "t2": t2},
        _("Từ %(t3)s đến dưới %(t2)s\u00a0%%") % {"t2": t2, "t3": t3},
        _("Dưới %(t3)s\u00a0%%") % {"t3": t3},
    ]


def _status_text(status: int | str, labels: list[str]) -> str:
    if status == "noData":
        return _("Chưa có số liệu")
    if status == "noTarget":
        return _("Chưa có chỉ tiêu")
    return labels[int(status)]


def _paragraphs(text: str) -> list[Block]:
    lines = [line.strip() for line in clean_text(text).split("\n")]
    return [Block("paragraph", line) for line in lines if line]


def _indicator_sentences(figures: dict[str, Any], phrase: str) -> list[Block]:
    summary = figures["summary"]
    total = summary["total"]
    if total == 0:
        return [Block("paragraph", _("Chương trình chưa có chỉ tiêu nào được giao."))]
    t1, t2, t3 = (number(t) for t in figures["thresholds"])
    met, ge2, ge3, below = summary["buckets"]
    scored = met + ge2 + ge3 + below
    if scored == 0:
        sentence = _(
            "%(period)s, chương trình có %(total)s chỉ tiêu; kỳ này chưa có số liệu để đánh giá."
        ) % {"period": phrase[:1].upper() + phrase[1:], "total": total}
        return [Block("paragraph", sentence)]
    parts = [
        _("%(n)s chỉ tiêu đạt và vượt kế hoạch") % {"n": met},
        _("%(n)s chỉ tiêu đạt từ %(t2)s\u00a0%% đến dưới %(t1)s\u00a0%%")
        % {"n": ge2, "t1": t1, "t2": t2},
        _("%(n)s chỉ tiêu đạt từ %(t3)s\u00a0%% đến dưới %(t2)s\u00a0%%")
        % {"n": ge3, "t2": t2, "t3": t3},
        _("%(n)s chỉ tiêu đạt dưới %(t3)s\u00a0%%") % {"n": below, "t3": t3},
    ]
    if summary["noData"]:
        parts.append(_("%(n)s chỉ tiêu chưa có số liệu") % {"n": summary["noData"]})
    if summary["noTarget"]:
        parts.append(_("%(n)s chỉ tiêu chưa được giao chỉ tiêu") % {"n": summary["noTarget"]})
    sentence = _("%(period)s, chương trình có %(total)s chỉ tiêu: %(parts)s.") % {
        "period": phrase[:1].upper() + phrase[1:],
        "total": total,
        "parts": "; ".join(parts),
    }
    # Points a), b) under "1." as Decree 30 numbers them: the summary, then the highlights.
    blocks = [Block("heading3", _("a) Kết quả chung")), Block("paragraph", sentence)]
    blocks.append(
        Block(
            "paragraph",
            _("Tỷ lệ chỉ tiêu đạt và vượt: %(met)s/%(total)s (%(rate)s).")
            % {"met": met, "total": total, "rate": _percent(met, total)},
        )
    )
    blocks.append(Block("heading3", _("b) Các chỉ tiêu nổi bật")))
    highlights = sorted(
        (row for row in figures["indicators"] if row["status"] == 0),
        key=lambda row: -Decimal(row["achievement"]),
    )[:5]
    if highlights:
        items = [
            _("%(name)s đạt %(actual)s/%(target)s")
            % {
                "name": row["name"],
                # The indicator's own decimals: a computed ratio has dozens.
                "actual": _measured(row["actual"], row["unit"], row["decimals"]),
                "target": _measured(row["target"], row["unit"], None),
            }
            for row in highlights
        ]
        blocks.append(
            Block(
                "paragraph", _("Một số chỉ tiêu nổi bật: %(items)s.") % {"items": "; ".join(items)}
            )
        )
    else:
        blocks.append(Block("paragraph", _("Kỳ này chưa có chỉ tiêu nào đạt kế hoạch.")))
    return blocks


def _lagging_sentences(figures: dict[str, Any]) -> list[Block]:
    rows = figures["lagging"]
    if not rows:
        return [Block("paragraph", _("Các đơn vị trực thuộc: %(text)s.") % {"text": NO_DATA_TEXT})]
    items = [
        _("%(name)s (%(met)s/%(scored)s chỉ tiêu đạt, %(rate)s)")
        % {
            "name": row["name"],
            "met": row["met"],
            "scored": row["scored"],
            "rate": number(row["rate"], 1) + "\u00a0%",
        }
        for row in rows
    ]
    return [
        Block(
            "paragraph",
            _("Các đơn vị có tỷ lệ chỉ tiêu đạt thấp nhất: %(items)s.")
            % {"items": "; ".join(items)},
        )
    ]


def _completeness_sentences(figures: dict[str, Any]) -> list[Block]:
    data = figures["completeness"]
    if not data["forms"]:
        return [Block("paragraph", _("Biểu mẫu báo cáo: %(text)s.") % {"text": NO_DATA_TEXT})]
    sentence = _("%(complete)s/%(forms)s biểu mẫu có đủ số liệu") % data
    if data["incomplete"]:
        names = data["incomplete"][:FORMS_NAMED]
        if len(data["incomplete"]) > FORMS_NAMED:
            names = [*names, "…"]
        sentence += _("; %(n)s biểu mẫu còn đang cập nhật (%(names)s)") % {
            "n": len(data["incomplete"]),
            "names": "; ".join(names),
        }
    return [Block("paragraph", sentence + ".")]


def _feedback_sentences(figures: dict[str, Any]) -> list[Block]:
    data = figures["feedback"]
    if not data["received"]:
        return [Block("paragraph", _("Phản ánh hiện trường: %(text)s.") % {"text": NO_DATA_TEXT})]
    sentence = _("Hệ thống tiếp nhận %(received)s phản ánh hiện trường, đã xử lý %(resolved)s") % {
        "received": vn_number(Decimal(data["received"])),
        "resolved": vn_number(Decimal(data["resolved"])),
    }
    if data["accepted"]:
        sentence += f" ({_percent(data['resolved'], data['accepted'])})"
    if data["resolved"]:
        sentence += _(", trong đó %(on_time)s phản ánh đúng hạn (%(rate)s)") % {
            "on_time": vn_number(Decimal(data["onTime"])),
            "rate": _percent(data["onTime"], data["resolved"]),
        }
    if data["overdue"]:
        sentence += _("; %(n)s phản ánh quá hạn chưa xử lý") % {"n": data["overdue"]}
    return [Block("paragraph", sentence + ".")]


def _community_sentences(figures: dict[str, Any]) -> list[Block]:
    data = figures["community"]
    if not data["teams"]:
        return [
            Block("paragraph", _("Tổ công nghệ số cộng đồng: %(text)s.") % {"text": NO_DATA_TEXT})
        ]
    sentence = _("Có %(teams)s Tổ công nghệ số cộng đồng với %(members)s thành viên") % {
        "teams": vn_number(Decimal(data["teams"])),
        "members": vn_number(Decimal(data["members"])),
    }
    if data["unitsTotal"]:
        sentence += _(", hoạt động tại %(with)s/%(total)s thôn, ấp, xã, phường") % {
            "with": vn_number(Decimal(data["unitsWithTeam"])),
            "total": vn_number(Decimal(data["unitsTotal"])),
        }
    return [Block("paragraph", sentence + ".")]


def _project_sentences(figures: dict[str, Any]) -> list[Block]:
    data = figures["projects"]
    if not data["count"]:
        return [Block("paragraph", _("Dự án chuyển đổi số: %(text)s.") % {"text": NO_DATA_TEXT})]
    sentence = _(
        "Có %(count)s dự án chuyển đổi số, tổng kinh phí kế hoạch %(planned)s, "
        "đã giải ngân %(disbursed)s"
    ) % {
        "count": data["count"],
        "planned": _billions(data["planned"]),
        "disbursed": _billions(data["disbursed"]),
    }
    if data["planned"]:
        sentence += f" ({_percent(data['disbursed'], data['planned'])})"
    sentence += _("; %(done)s dự án hoàn thành, %(overdue)s dự án chậm tiến độ") % data
    return [Block("paragraph", sentence + ".")]


# Ranks a sentence names per scorecard set; a province ranks 100+ communes.
RANKS_NAMED = 10


def _ranking_sentences(figures: dict[str, Any]) -> list[Block]:
    """One sentence per scorecard set (communes and departments rank apart); issued
    reports from before the set was stored have one set without a name."""
    by_set: dict[str, list[dict[str, Any]]] = {}
    for row in figures["ranking"]:
        by_set.setdefault(row.get("set", ""), []).append(row)
    blocks = []
    for set_code, rows in by_set.items():
        items = [
            _("%(rank)s. %(name)s: %(points)s/%(max)s điểm")
            % {
                "rank": row["rank"],
                "name": row["unitName"],
                "points": number(row["points"], 2),
                "max": number(row["maxPoints"]),
            }
            for row in rows[:RANKS_NAMED]
        ]
        text = "; ".join(items)
        if len(rows) > RANKS_NAMED:
            text += _("; … (%(n)s đơn vị được xếp hạng)") % {"n": len(rows)}
        if set_code:
            sentence = _("Kết quả xếp hạng theo bộ chỉ số %(set)s: %(items)s.") % {
                "set": set_code,
                "items": text,
            }
        else:
            sentence = _("Kết quả xếp hạng: %(items)s.") % {"items": text}
        blocks.append(Block("paragraph", sentence))
    return blocks


def sections(report: Any, figures: dict[str, Any]) -> list[Block]:
    period = parse_period(figures["period"]["code"])
    phrase = period_phrase(period)
    blocks = [
        Block("heading1", _("I. KẾT QUẢ THỰC HIỆN %(period)s") % {"period": phrase.upper()}),
        Block("heading2", _("1. Kết quả thực hiện các chỉ tiêu")),
        *_indicator_sentences(figures, phrase),
        Block("heading2", _("2. Các đơn vị còn chậm")),
        *_lagging_sentences(figures),
        Block("heading2", _("3. Thực hiện chế độ báo cáo")),
        *_completeness_sentences(figures),
        Block("heading2", _("4. Tiếp nhận, xử lý phản ánh hiện trường")),
        *_feedback_sentences(figures),
        Block("heading2", _("5. Tổ công nghệ số cộng đồng")),
        *_community_sentences(figures),
        Block("heading2", _("6. Dự án chuyển đổi số")),
        *_project_sentences(figures),
    ]
    if figures["ranking"]:
        blocks += [Block("heading2", _("7. Xếp hạng chuyển đổi số")), *_ranking_sentences(figures)]
    blocks.append(Block("heading1", _("II. TỒN TẠI, HẠN CHẾ")))
    blocks += _paragraphs(report.shortcomings) or [Block("note", _("(Chưa có nội dung.)"))]
    blocks.append(
        Block(
            "heading1",
            _("III. PHƯƠNG HƯỚNG, NHIỆM VỤ %(period)s")
            % {"period": period_phrase(period.next()).upper()},
        )
    )
    blocks += _paragraphs(report.directions) or [Block("note", _("(Chưa có nội dung.)"))]
    return blocks


def build(report: Any, figures: dict[str, Any], issued_on: dt.date) -> Document:
    """The whole document of a report (a draft shows its number blank).

    Always in Vietnamese with Vietnamese numbers, whatever the reader's interface
    language: an administrative document under Decree 30 is written in Vietnamese.
    """
    with translation.override("vi"):
        return _build(report, figures, issued_on)


def _build(report: Any, figures: dict[str, Any], issued_on: dt.date) -> Document:
    body = report.body
    labels = status_labels(figures["thresholds"])
    rows = [
        AppendixRow(
            number=index,
            name=row["name"],
            unit=row["unit"],
            actual=number(row["actual"], row["decimals"]) if row["actual"] is not None else "—",
            target=number(row["target"]),
            achievement=number(row["achievement"], 1),
            status=_status_text(row["status"], labels),
        )
        for index, row in enumerate(figures["indicators"], start=1)
    ]
    number_text = report.number_text
    reference = _("(Kèm theo Báo cáo số %(number)s ngày %(date)s của %(body)s)") % {
        "number": number_text.strip(),
        "date": issued_on.strftime("%d/%m/%Y"),
        "body": body.name[:1] + body.name[1:].lower(),
    }
    recipients = [line.strip(" -;.") for line in clean_text(report.recipients).split("\n")]
    return Document(
        parent_name=body.parent_name.upper(),
        body_name=body.name.upper(),
        number_text=_("Số: %(number)s") % {"number": number_text},
        place_date=place_and_date(body.place, issued_on),
        kind_title=_("BÁO CÁO"),
        subject=clean_text(report.subject),
        blocks=sections(report, figures),
        signer_authority=report.signer_authority.upper(),
        signer_title=report.signer_title.upper(),
        signer_name=report.signer_name,
        recipients=[r for r in recipients if r],
        appendix_title=_("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU %(period)s")
        % {"period": period_phrase(parse_period(figures["period"]["code"])).upper()},
        appendix_reference=reference,
        appendix_rows=rows,
        draft=not report.is_issued,
        meta={"programme": figures["programme"]["name"], "unit": figures["unit"]["name"]},
    )


def recipient_lines(document: Document) -> list[str]:
    """ "- Như trên;" … "- Lưu: VT." (Decree 30 box 9b)."""
    lines = [f"- {name};" for name in document.recipients]
    lines.append(_("- Lưu: VT."))
    return lines
