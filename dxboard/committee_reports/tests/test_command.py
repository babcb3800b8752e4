"""`dxboard committee-report` writes the current draft, never an issued report."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document as read_docx

from dxboard.committee_reports import services
from dxboard.committee_reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


def _run(tmp_path, *args: str) -> tuple[str, bytes]:
    output = tmp_path / "out.bin"
    out, err = io.StringIO(), io.StringIO()
    call_command("committee_report", *args, "--output", str(output), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue(), output.read_bytes()


def test_the_command_writes_the_current_draft_as_word_and_pdf(world, tmp_path):
    make_report(world)
    message, content = _run(
        tmp_path, "--programme", "CT-WEB", "--unit", "99", "--period", "2024Q1", "--format", "docx"
    )
    assert message.startswith("Đã ghi ")
    text = "\n".join(p.text for p in read_docx(io.BytesIO(content)).paragraphs)
    assert "DỰ THẢO" in text and "Hạ tầng số ở một số xã" in text
    _message, pdf = _run(tmp_path, "--programme", "CT-WEB", "--period", "2024Q1", "--format", "pdf")
    assert pdf[:4] == b"%PDF"


def test_without_a_draft_the_command_writes_the_figures_and_creates_nothing(world, tmp_path):
    from dxboard.committee_reports.models import CommitteeReport, IssuingBody
    from dxboard.evaluation.tests.web_factories import web_programme

    web_programme()
    message, content = _run(
        tmp_path, "--programme", "CT-WEB", "--period", "2024", "--format", "docx"
    )
    assert "Chưa có dự thảo" in message
    text = "\n".join(p.text for p in read_docx(io.BytesIO(content)).paragraphs)
    assert "Năm 2024, chương trình có 4 chỉ tiêu" in text
    assert not CommitteeReport.objects.exists() and not IssuingBody.objects.exists()


def test_an_issued_report_is_not_what_the_command_writes(world, tmp_path):
    services.issue(world.province_officer, make_report(world))
    message, content = _run(tmp_path, "--programme", "CT-WEB", "--period", "2024Q1")
    assert "Chưa có dự thảo" in message
    assert "DỰ THẢO" in "\n".join(p.text for p in read_docx(io.BytesIO(content)).paragraphs)


def test_bad_arguments_give_a_clear_message(world, tmp_path):
    make_report(world)
    with pytest.raises(CommandError, match="Không tìm thấy chương trình"):
        _run(tmp_path, "--programme", "KHONG-CO", "--period", "2024Q1")
    with pytest.raises(CommandError, match="quý, 6 tháng hoặc năm"):
        _run(tmp_path, "--programme", "CT-WEB", "--period", "202401")
