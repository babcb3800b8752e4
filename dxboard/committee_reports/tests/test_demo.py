"""The demo's committee report: seed 001's year issued, the last quarter drafted."""

from __future__ import annotations

import io
from datetime import date

import pytest

from dxboard.accounts import demo as accounts_demo
from dxboard.committee_reports import demo, services
from dxboard.committee_reports.models import CommitteeReport
from dxboard.evaluation import demo as evaluation_demo

pytestmark = pytest.mark.django_db


def test_the_demo_issues_the_2024_report_with_seed_001s_figures_and_loads_once(world):
    accounts_demo.load_demo(world.province, stdout=io.StringIO())
    evaluation_demo.load_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    demo.load_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    demo.load_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    issued, draft = CommitteeReport.objects.order_by("period")
    assert (issued.period, issued.number_text, draft.period) == ("2024", "01/BC-BCĐ", "2024Q4")
    assert issued.body.name.startswith("BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC")
    text = "\n".join(b.text for b in services.build_document(None, issued).blocks)
    assert (
        "Năm 2024, chương trình có 24 chỉ tiêu: 7 chỉ tiêu đạt và vượt kế hoạch; 9 chỉ tiêu" in text
    )
