"""The report as a Word file in the layout of Decree 30/2020/NĐ-CP, Appendix I.

A4 portrait, margins 20/20/30/15 mm; Times New Roman 14 (header boxes 13, recipients
12/11); page numbers from the second page, centred in the top margin; the two-column
header without borders, with the rules drawn as paragraph borders shortened by indents
(the motto's as wide as its text, the body's about a third); the appendix table in a
landscape section of its own.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ..content import Document, recipient_lines

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
LEFT_COLUMN = Cm(6.6)
RIGHT_COLUMN = Cm(9.9)


def _font(run, size: Pt, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = size
    run.font.bold = bold
    run.font.italic = italic
    # Word reads the East Asian slot too for some characters; name the font there as well.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)


def _para(
    container,
    text: str = "",
    *,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    align: int | None = WD_ALIGN_PARAGRAPH.CENTER,
    before: int = 0,
    after: int = 0,
) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing = 1.0
    if text:
        _font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


def _rule(cell: _Cell, indent: Cm) -> None:
    """A solid line under the previous text: an empty paragraph's top border, shortened."""
    paragraph = _para(cell, size=Pt(2))
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    run = paragraph.add_run("")
    _font(run, Pt(2))


def _no_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _columns(table, widths: list) -> None:
    """Fixed column widths in the table's grid, which LibreOffice lays out by (a cell's own
    width is not enough: it showed equal columns, the motto wrapped on two lines)."""
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _no_cell_margins(table) -> None:
    """No side padding in the header: the motto's line (13 pt bold) needs the column's
    whole width to stay on one line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _cell(table, row: int, column: int, width: Cm) -> _Cell:
    cell = table.cell(row, column)
    cell.width = width
    # A new cell holds one empty paragraph; the first _para replaces it.
    cell._element.remove(cell.paragraphs[0]._p)
    return cell


def _page_number(section) -> None:
    """PAGE field centred in the header of every page but the first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, HEADER_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _page(section, *, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30) if not landscape else Mm(20)
    section.right_margin = Mm(15)
    section.header_distance = Mm(10)


def _header(doc, document: Document) -> None:
    if document.draft:
        _para(doc, "DỰ THẢO", size=Pt(12), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=4)
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _columns(table, [LEFT_COLUMN, RIGHT_COLUMN])
    _no_cell_margins(table)
    left = _cell(table, 0, 0, LEFT_COLUMN)
    _para(left, document.parent_name, size=HEADER_SIZE)
    _para(left, document.body_name, size=HEADER_SIZE, bold=True)
    _rule(left, Cm(2.3))
    right = _cell(table, 0, 1, RIGHT_COLUMN)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=HEADER_SIZE, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=BODY_SIZE, bold=True)
    _rule(right, Cm(1.75))
    _para(_cell(table, 1, 0, LEFT_COLUMN), document.number_text, size=HEADER_SIZE, before=6)
    _para(_cell(table, 1, 1, RIGHT_COLUMN), document.place_date, italic=True, before=6)


def _title(doc, document: Document) -> None:
    _para(doc, document.kind_title, bold=True, before=18)
    _para(doc, document.subject, bold=True)
    paragraph = _para(doc, size=Pt(2), after=12)
    paragraph.paragraph_format.left_indent = Cm(6)
    paragraph.paragraph_format.right_indent = Cm(6)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)


def _body(doc, document: Document) -> None:
    for block in document.blocks:
        justify = WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.kind == "heading1":
            paragraph = _para(doc, block.text, bold=True, align=justify, before=6, after=6)
        elif block.kind == "heading2":
            paragraph = _para(doc, block.text, bold=True, align=justify, after=6)
        elif block.kind == "heading3":
            paragraph = _para(doc, block.text, italic=True, align=justify, after=6)
        else:
            paragraph = _para(doc, block.text, italic=block.kind == "note", align=justify, after=6)
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
        paragraph.paragraph_format.line_spacing = 1.15


def _signature(doc, document: Document) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _columns(table, [Cm(8), Cm(8.5)])
    # The recipients and the signer on one page, never the name alone on the next.
    _row_properties(table.rows[0], "w:cantSplit")
    left = _cell(table, 0, 0, Cm(8))
    _para(
        left,
        "Nơi nhận:",
        size=Pt(12),
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        before=12,
    )
    for line in recipient_lines(document):
        _para(left, line, size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT)
    right = _cell(table, 0, 1, Cm(8.5))
    _para(right, document.signer_authority, bold=True, before=12)
    _para(right, document.signer_title, bold=True)
    for _blank in range(4):
        _para(right)
    _para(right, document.signer_name, bold=True)


def _row_properties(row, *names: str) -> None:
    """Row flags: w:cantSplit keeps a row on one page, w:tblHeader repeats it on each."""
    properties = row._tr.get_or_add_trPr()
    for name in names:
        properties.append(OxmlElement(name))


def _appendix(doc, document: Document) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    # The new section copies the first one's title-page flag: its first page would lose
    # its number. The header itself is the first section's (linked).
    section.different_first_page_header_footer = False
    _para(doc, "Phụ lục", bold=True)
    _para(doc, document.appendix_title, bold=True)
    _para(doc, document.appendix_reference, italic=True, after=8)
    headers = [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Thực hiện",
        "Kế hoạch",
        "Tỷ lệ đạt (%)",
        "Mức đạt",
    ]
    widths = [Cm(1.2), Cm(9.7), Cm(2.5), Cm(2.8), Cm(2.8), Cm(2.6), Cm(4.4)]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    _columns(table, widths)
    for index, title in enumerate(headers):
        cell = _cell(table, 0, index, widths[index])
        _para(cell, title, size=Pt(12), bold=True)
    _row_properties(table.rows[0], "w:tblHeader", "w:cantSplit")
    for row in document.appendix_rows:
        added = table.add_row()
        _row_properties(added, "w:cantSplit")
        cells = added.cells
        values = [
            str(row.number),
            row.name,
            row.unit,
            row.actual,
            row.target,
            row.achievement,
            row.status,
        ]
        for index, value in enumerate(values):
            cell = cells[index]
            cell.width = widths[index]
            cell._element.remove(cell.paragraphs[0]._p)
            align = WD_ALIGN_PARAGRAPH.LEFT if index in (1, 6) else WD_ALIGN_PARAGRAPH.CENTER
            if index in (3, 4, 5):
                align = WD_ALIGN_PARAGRAPH.RIGHT
            _para(cell, value, size=Pt(12), align=align)
    if not document.appendix_rows:
        _para(doc, "Chương trình chưa có chỉ tiêu nào.", italic=True, before=6)


def render_docx(document: Document) -> bytes:
    doc = new_document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    first = doc.sections[0]
    _page(first)
    _page_number(first)
    _header(doc, document)
    _title(doc, document)
    _body(doc, document)
    _signature(doc, document)
    _appendix(doc, document)
    buffer = io.BytesIO()
    doc.core_properties.title = document.subject[:250]
    doc.core_properties.language = "vi-VN"
    doc.save(buffer)
    return buffer.getvalue()
