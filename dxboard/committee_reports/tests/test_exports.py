"""Excel exports of the completeness overview and the two registers (issue 15, point 7):
opened with openpyxl, cells checked to be numbers with their formats, the frozen header,
the title with the unit and the period, and the page's own visibility."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from dxboard.community import services as community
from dxboard.community.tests.factories import make_team
from dxboard.projects.tests.factories import make_item, make_plan

pytestmark = pytest.mark.django_db


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


# --- completeness of every form (the reporting page) -------------------------------------


def test_the_completeness_overview_exports_each_form_with_its_counts(client_for, world):
    from dxboard.reporting.tests.factories import make_form

    make_form(world.province)
    response = client_for("province_officer").get(reverse("committee_reports:export_overview"))
    sheet = _workbook(response).active
    assert sheet["A1"].value == (
        f"Tình hình nộp báo cáo định kỳ – Tỉnh Thử Nghiệm – kỳ báo cáo hiện hành, ngày {_today()}"
    )
    assert sheet["A2"].value == "1 biểu mẫu: 0 đã đủ, 1 đang cập nhật."
    assert sheet.freeze_panes == "A4"
    assert [c.value for c in sheet[3]][:5] == [
        "Mã biểu mẫu",
        "Biểu mẫu",
        "Kỳ",
        "Hạn nộp",
        "Phải nộp",
    ]
    [row] = _rows(sheet)
    assert row[0] == "BM-T" and row[1] == "Biểu mẫu thử BM-T"
    assert isinstance(row[3], dt.datetime) and sheet["D4"].number_format == "DD/MM/YYYY"
    # Expected 2 communes, none submitted: numbers, not text.
    assert row[4:9] == [2, 0, 0, 0, 2] and sheet["E4"].number_format == "#,##0"
    assert row[9] == 0 and sheet["J4"].number_format == "#,##0.0"
    assert sheet.column_dimensions["B"].width >= len("Biểu mẫu thử BM-T")


def test_the_overview_counts_only_the_units_an_officer_sees(client_for, world):
    from dxboard.reporting.tests.factories import make_form

    make_form(world.province)
    response = client_for("officer_b").get(reverse("committee_reports:export_overview"))
    sheet = _workbook(response).active
    assert "Phường Đông Hòa" in sheet["A1"].value
    assert _rows(sheet)[0][4] == 1  # commune B only, not the province's two


def test_the_reporting_page_links_to_the_overview_export(client_for, world):
    from dxboard.reporting.tests.factories import make_form

    make_form(world.province)
    page = client_for("province_officer").get(reverse("reporting:index")).content.decode()
    assert reverse("committee_reports:export_overview") in page


def test_the_exports_need_an_account(client):
    for name in ("export_overview", "export_teams", "export_items"):
        response = client.get(reverse(f"committee_reports:{name}"))
        assert response.status_code == 302 and "login" in response["Location"]


# --- community teams ---------------------------------------------------------------------


@pytest.fixture
def teams(world):
    team = make_team(world.hamlet_a, name="Tổ CNSCĐ Ấp Một")
    for n in range(3):
        community.add_member(world.admin, team, full_name=f"Thành viên {n}")
    make_team(world.commune_b, name="Tổ CNSCĐ Phường Đông Hòa", members=2)
    return team


def test_the_team_register_exports_its_table_and_the_coverage_of_each_commune(
    client_for, world, teams
):
    response = client_for("province_officer").get(
        reverse("committee_reports:export_teams"), {"unit": "99"}
    )
    workbook = _workbook(response)
    sheet = workbook["Danh sách tổ"]
    assert sheet["A1"].value == f"Tổ công nghệ số cộng đồng – Tỉnh Thử Nghiệm – ngày {_today()}"
    assert sheet["A2"].value == "2 tổ, 5 thành viên; 1/2 thôn, ấp (hoặc xã) có tổ"
    assert sheet.freeze_panes == "A4"
    rows = {row[0]: row for row in _rows(sheet)}
    assert rows["Tổ CNSCĐ Ấp Một"][1:4] == ["Ấp Một", "Xã An Bình", "Đang hoạt động"]
    assert rows["Tổ CNSCĐ Ấp Một"][5] == 3 and rows["Tổ CNSCĐ Phường Đông Hòa"][5] == 2
    assert isinstance(rows["Tổ CNSCĐ Ấp Một"][4], dt.datetime)
    assert sheet["F4"].number_format == "#,##0" and sheet["E4"].number_format == "DD/MM/YYYY"
    coverage = workbook["Theo xã, phường"]
    assert coverage["A1"].value.startswith(
        "Độ phủ tổ công nghệ số cộng đồng theo xã, phường – Tỉnh"
    )
    assert coverage.freeze_panes == "A4"
    by_commune = {row[1]: row for row in _rows(coverage)}
    assert by_commune["Xã An Bình"][2:6] == [1, 3, 1, 1]
    assert by_commune["Xã An Bình"][6] == 100.0 and coverage["G4"].number_format == "#,##0.0"


def test_the_team_exports_subtitle_writes_its_counts_the_vietnamese_way(
    client_for, world, monkeypatch
):
    """The demo's read "143 tổ, 1073 thành viên"."""
    totals = community.Totals(
        teams=143, members=1073, units_with_team=143, units_total=1540, population=None
    )
    monkeypatch.setattr(community, "totals_for", lambda root: totals)
    response = client_for("province_officer").get(
        reverse("committee_reports:export_teams"), {"unit": "99"}
    )
    sheet = _workbook(response)["Danh sách tổ"]
    assert sheet["A2"].value == "143 tổ, 1.073 thành viên; 143/1.540 thôn, ấp (hoặc xã) có tổ"


def test_the_team_export_follows_the_pages_filters_and_scope(client_for, world, teams):
    url = reverse("committee_reports:export_teams")
    client = client_for("officer_b")
    # The default unit is the highest one the officer sees; their teams only.
    sheet = _workbook(client.get(url))["Danh sách tổ"]
    assert "Phường Đông Hòa" in sheet["A1"].value
    assert [row[0] for row in _rows(sheet)] == ["Tổ CNSCĐ Phường Đông Hòa"]
    assert client.get(url, {"unit": "99001"}).status_code == 404
    searched = client_for("province_officer").get(url, {"unit": "99", "q": "Ấp Một"})
    sheet = _workbook(searched)["Danh sách tổ"]
    assert [row[0] for row in _rows(sheet)] == ["Tổ CNSCĐ Ấp Một"]
    assert "tìm “Ấp Một”" in sheet["A2"].value


def test_the_team_list_links_to_its_export_with_its_filters(client_for, world, teams):
    page = client_for("province_officer").get(
        reverse("community:team_list"), {"unit": "99", "status": "all"}
    )
    expected = reverse("committee_reports:export_teams") + "?unit=99&amp;status=all&amp;q="
    assert expected in page.content.decode()


# --- tasks and projects ------------------------------------------------------------------


@pytest.fixture
def items(world):
    plan = make_plan(world.province, code="KH-2025", name="Kế hoạch chuyển đổi số năm 2025")
    make_item(
        plan,
        world.agency,
        code="DA-01",
        name="Trung tâm điều hành thông minh",
        planned_budget=56_800_000_000,
        disbursed_budget=1_200_000_000,
    )
    make_item(plan, world.commune_b, code="DA-02", name="Wifi công cộng", planned_budget=800_000)
    return plan


def test_the_project_register_exports_real_budgets_and_the_totals(client_for, world, items):
    response = client_for("province_officer").get(
        reverse("committee_reports:export_items"), {"unit": "99", "year": "2025"}
    )
    workbook = _workbook(response)
    sheet = workbook["Nhiệm vụ, dự án"]
    assert sheet["A1"].value == "Nhiệm vụ, dự án chuyển đổi số – Tỉnh Thử Nghiệm – năm 2025"
    assert sheet.freeze_panes == "A4"
    rows = {row[0]: row for row in _rows(sheet)}
    first = rows["DA-01"]
    assert first[1] == "Trung tâm điều hành thông minh" and first[4] == "Sở Khoa học và Công nghệ"
    assert first[9] == 56_800_000_000 and first[10] == 1_200_000_000
    line = 4 + list(rows).index("DA-01")
    assert sheet.cell(line, 10).number_format == "#,##0"
    assert sheet.cell(line, 7).number_format == "DD/MM/YYYY"
    # The budget column is wide enough for 56.800.000.000 once formatted.
    assert sheet.column_dimensions["J"].width >= len("56,800,000,000")
    totals = workbook["Tổng hợp"]
    assert totals["A1"].value == "Tổng hợp nhiệm vụ, dự án – Tỉnh Thử Nghiệm – năm 2025"
    # Both deadlines (end of 2025) have passed: overdue.
    assert _rows(totals)[0][:5] == [2, 0, 2, 56_800_800_000, 1_200_000_000]
    assert round(_rows(totals)[0][5], 1) == 2.1 and totals["F4"].number_format == "#,##0.0"


def test_the_project_export_follows_the_pages_filters_and_scope(client_for, world, items):
    url = reverse("committee_reports:export_items")
    client = client_for("officer_b")
    sheet = _workbook(client.get(url))["Nhiệm vụ, dự án"]
    assert sheet["A1"].value == "Nhiệm vụ, dự án chuyển đổi số – Phường Đông Hòa – tất cả các năm"
    assert [row[0] for row in _rows(sheet)] == ["DA-02"]
    assert client.get(url, {"unit": "99"}).status_code == 404
    # A year outside the filter's range is no filter, as on the page; an unknown plan too.
    assert client.get(url, {"year": "99999999999999999999", "plan": "X"}).status_code == 200
    agency = client_for("province_officer").get(url, {"unit": world.agency.code, "plan": "KH-2025"})
    sheet = _workbook(agency)["Nhiệm vụ, dự án"]
    assert [row[0] for row in _rows(sheet)] == ["DA-01"]
    assert sheet["A2"].value.startswith("Kế hoạch: Kế hoạch chuyển đổi số năm 2025")


def test_the_project_list_links_to_its_export_with_its_filters(client_for, world, items):
    page = client_for("province_officer").get(
        reverse("projects:project_list"), {"unit": "99", "year": "2025", "status": "in_progress"}
    )
    expected = (
        reverse("committee_reports:export_items")
        + "?unit=99&amp;plan=&amp;status=in_progress&amp;year=2025"
    )
    assert expected in page.content.decode()


def test_the_project_lists_register_export_keeps_the_year_unlocalised(client_for, world, items):
    """The year was written "2.025" (a localised number) and the export dropped it."""
    page = client_for("province_officer").get(
        reverse("projects:project_list"), {"unit": "99", "year": "2025"}
    )
    assert reverse("projects:export", args=["99"]) + "?year=2025" in page.content.decode()
