"""The Word and PDF files: read back and checked against Decree 30 and the evaluation."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from dxboard.committee_reports import services
from dxboard.committee_reports.content import place_and_date
from dxboard.committee_reports.tests.factories import make_report
from dxboard.evaluation import services as evaluation
from dxboard.periods import parse_period

pytestmark = pytest.mark.django_db
ISSUED_ON = dt.date(2026, 1, 5)


@pytest.fixture
def issued(world):
    return services.issue(world.province_officer, make_report(world), issued_on=ISSUED_ON)


def _docx(content: bytes):
    return read_docx(io.BytesIO(content))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_word_file_is_a4_with_the_decree_margins_and_a_landscape_appendix(world, issued):
    doc = _docx(bytes(issued.docx))
    body, appendix = doc.sections
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert body.orientation == WD_ORIENT.PORTRAIT
    assert round(body.top_margin.mm) == 20 and round(body.bottom_margin.mm) == 20
    assert round(body.left_margin.mm) == 30 and round(body.right_margin.mm) == 15
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)
    # Page numbers from the second page: a PAGE field in the header, none on the first.
    assert body.different_first_page_header_footer
    assert "PAGE" in body.header._element.xml
    assert not body.first_page_header.paragraphs[0].text
    # The appendix's first page is not the document's: it has its number (LibreOffice
    # showed none on it while the section copied the first section's title-page flag).
    assert not appendix.different_first_page_header_footer


def _grid_cm(table) -> list[float]:
    return [round(Emu(int(col.get(qn("w:w"))) * 635).cm, 1) for col in table._tbl.tblGrid]


def test_the_word_tables_have_their_column_widths_in_the_grid(issued):
    """LibreOffice lays a table out by its grid: with equal columns the motto wrapped onto
    two lines and the appendix's indicator names into a narrow column."""
    doc = _docx(bytes(issued.docx))
    header, signature, appendix = doc.tables
    assert _grid_cm(header) == [6.6, 9.9]
    assert _grid_cm(appendix) == [1.2, 9.7, 2.5, 2.8, 2.8, 2.6, 4.4]
    assert _grid_cm(signature) == [8.0, 8.5]
    for table in (header, signature, appendix):
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    # The recipients and the signer stay together on one page.
    assert signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_every_run_of_the_word_file_is_times_new_roman_between_11_and_14_points(issued):
    doc = _docx(bytes(issued.docx))
    runs = [run for p in doc.paragraphs for run in p.runs if run.text]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                runs += [run for p in cell.paragraphs for run in p.runs if run.text]
    assert runs
    assert {run.font.name for run in runs} == {"Times New Roman"}
    assert {run.font.size for run in runs} <= {Pt(11), Pt(12), Pt(13), Pt(14)}
    body = next(p for p in doc.paragraphs if p.text.startswith("Hạ tầng số"))
    assert body.runs[0].font.size == Pt(14)
    assert body.alignment == 3  # justified
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1.27


def test_the_word_header_has_the_body_the_motto_the_number_and_the_place_and_date(issued):
    doc = _docx(bytes(issued.docx))
    header = doc.tables[0]
    left = header.cell(0, 0).paragraphs
    right = header.cell(0, 1).paragraphs
    assert left[0].text == "UBND TỈNH THỬ NGHIỆM"
    assert left[1].text == "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ" and left[1].runs[0].bold
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].bold
    # The rules under the body and the motto: a bordered empty paragraph in each column.
    assert "w:pBdr" in left[2]._p.xml and "w:pBdr" in right[2]._p.xml
    assert header.cell(1, 0).text == "Số: 01/BC-BCĐ"
    place = header.cell(1, 1).paragraphs[0]
    assert place.text == "Thử Nghiệm, ngày 05 tháng 01 năm 2026" and place.runs[0].italic
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert (
        "Kết quả thực hiện chuyển đổi số quý I năm 2024, phương hướng, nhiệm vụ quý II năm 2024"
        in texts
    )


def test_dates_pad_days_below_ten_and_only_the_months_january_and_february():
    assert place_and_date("An Giang", dt.date(2026, 1, 5)) == "An Giang, ngày 05 tháng 01 năm 2026"
    assert place_and_date("An Giang", dt.date(2026, 3, 15)) == "An Giang, ngày 15 tháng 3 năm 2026"
    assert place_and_date("Lào Cai", dt.date(2025, 12, 9)) == "Lào Cai, ngày 09 tháng 12 năm 2025"


def test_the_word_file_has_every_section_with_vietnamese_numbers(issued):
    text = _all_text(_docx(bytes(issued.docx)))
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN QUÝ I NĂM 2024",
        "1. Kết quả thực hiện các chỉ tiêu",
        "a) Kết quả chung",
        "b) Các chỉ tiêu nổi bật",
        "2. Các đơn vị còn chậm",
        "3. Thực hiện chế độ báo cáo",
        "4. Tiếp nhận, xử lý phản ánh hiện trường",
        "5. Tổ công nghệ số cộng đồng",
        "6. Dự án chuyển đổi số",
        "II. TỒN TẠI, HẠN CHẾ",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2024",
        "Nơi nhận:",
        "- Bộ Khoa học và Công nghệ;",
        "- Lưu: VT.",
        "KT. TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Văn An",
        "Phụ lục",
        "(Kèm theo Báo cáo số 01/BC-BCĐ ngày 05/01/2026 của Ban chỉ đạo chuyển đổi số)",
    ):
        assert heading in text, heading
    nbsp = "\u00a0"
    assert "Quý I năm 2024, chương trình có 4 chỉ tiêu: 1 chỉ tiêu đạt và vượt kế hoạch" in text
    assert f"1 chỉ tiêu đạt từ 70{nbsp}% đến dưới 100{nbsp}%" in text
    assert "1 chỉ tiêu chưa có số liệu" in text
    assert f"Chỉ tiêu CQ-T2 đạt 2,5{nbsp}%/5{nbsp}%" in text
    assert f"Phường Đông Hòa (1/2 chỉ tiêu đạt, 50,0{nbsp}%)" in text
    # No figure yet from the registers: the report says so rather than "0".
    assert "Phản ánh hiện trường: chưa có số liệu." in text


def test_the_appendix_rows_are_the_evaluation_of_every_indicator(world, issued):
    doc = _docx(bytes(issued.docx))
    table = doc.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Thực hiện",
        "Kế hoạch",
        "Tỷ lệ đạt (%)",
        "Mức đạt",
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    result = evaluation.evaluate(
        issued.programme, world.province, parse_period("2024Q1"), user=None
    )
    assert [r[1] for r in rows] == [i.name for i in result.indicators]
    assert rows[0] == [
        "1",
        "Chỉ tiêu CQ-T1",
        "%",
        "69,4",
        "80",
        "86,7",
        "Từ 70 đến dưới 100\u00a0%",
    ]
    assert rows[1][3:] == ["2,5", "5", "200,0", "Đạt, vượt"]
    assert rows[2][3:] == ["40,0", "100", "40,0", "Dưới 50\u00a0%"]
    assert rows[3][3:] == ["—", "50", "—", "Chưa có số liệu"]
    # A row never splits across pages, and the header repeats on every page (the demo's
    # 24 indicators run over two landscape pages).
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def _pdf_tools() -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils is not installed")


def test_the_pdf_embeds_its_fonts_and_renders_the_diacritics_and_figures(issued, tmp_path):
    _pdf_tools()
    path = tmp_path / "report.pdf"
    path.write_bytes(bytes(issued.pdf))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 01/BC-BCĐ" in text
    assert "Thử Nghiệm, ngày 05 tháng 01 năm 2026" in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2024" in text
    assert "86,7" in text and "69,4" in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts  # every font embedded
    assert any("Serif" in line or "Times" in line for line in fonts)
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "A4" in pages or "595" in pages
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) >= 2  # the report, then the landscape appendix
    artifacts = Path("test-artifacts")
    artifacts.mkdir(exist_ok=True)
    for image in images:
        shutil.copy(image, artifacts / f"committee-report-{image.name}")


def test_the_document_is_vietnamese_whatever_the_interface_language(world):
    from django.utils import translation

    report = make_report(world)
    with translation.override("en"):
        document = services.build_document(world.province_officer, report)
    assert document.appendix_rows[0].actual == "69,4"
    assert document.blocks[0].text == "I. KẾT QUẢ THỰC HIỆN QUÝ I NĂM 2024"


def test_no_appendix_row_of_the_pdf_is_cut_across_two_pages(tmp_path):
    """The demo's row 17 had its figures on one page and its name on the next."""
    from dxboard.committee_reports.content import AppendixRow, Document
    from dxboard.committee_reports.rendering.pdf import render_pdf

    _pdf_tools()
    # Names of two to four lines, so that page ends fall inside rows; the status cell
    # names its row, to find which page the row's one-line cells went to.
    words = "Tỷ lệ thủ tục hành chính được cung cấp trên Cổng Dịch vụ công quốc gia"
    rows = [
        AppendixRow(n, f"{n}. " + " ".join([words] * (n % 3 + 1)), "%", "1", "2", "3", f"M{n}")
        for n in range(1, 41)
    ]
    document = Document(
        parent_name="UBND TỈNH THỬ NGHIỆM",
        body_name="BAN CHỈ ĐẠO",
        number_text="Số: 01/BC-BCĐ",
        place_date="Thử Nghiệm, ngày 05 tháng 01 năm 2026",
        kind_title="BÁO CÁO",
        subject="Kết quả",
        blocks=[],
        signer_authority="KT. TRƯỞNG BAN",
        signer_title="PHÓ TRƯỞNG BAN",
        signer_name="Nguyễn Văn An",
        recipients=[],
        appendix_title="KẾT QUẢ",
        appendix_reference="(Kèm theo)",
        appendix_rows=rows,
        draft=False,
    )
    path = tmp_path / "rows.pdf"
    path.write_bytes(render_pdf(document))
    pages = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout.split("\f")
    assert len(pages) > 3  # the 40 rows run over several landscape pages
    flat = [" ".join(page.split()) + " " for page in pages]
    for row in rows:
        # The whole name and the row's other cells on one page.
        assert any(row.name in page and f" {row.status} " in page for page in flat), row.number
