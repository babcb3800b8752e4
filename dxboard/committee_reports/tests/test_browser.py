"""The committee's report in a real browser: a draft, its file generated in the
background with htmx, then issued; screenshots at 1366 and 390 pixels."""

from __future__ import annotations

import pytest

from dxboard.committee_reports.tests.factories import make_report


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep migrated rows
@pytest.mark.parametrize(("width", "label"), [(1366, "desktop"), (390, "phone")])
def test_an_officer_generates_the_draft_file_and_issues_the_report(
    page, login_page, world, screenshot, width, label
):
    report = make_report(world)
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)
    page.goto("/reports/")
    page.wait_for_selector("#draft-reports")
    screenshot(f"committee-reports-list-{label}")
    page.click(f"#draft-reports a[href='/reports/{report.pk}/']")
    page.wait_for_selector("#appendix")
    assert "Tỷ lệ chỉ tiêu đạt và vượt: 1/4" in page.locator(".report-preview").inner_text()
    screenshot(f"committee-report-draft-{label}")
    page.click(f"form[action='/reports/{report.pk}/generate/docx'] button")
    page.wait_for_selector("#job a:has-text('Tải về')")
    with page.expect_download() as download:
        page.click("#job a:has-text('Tải về')")
    assert download.value.suggested_filename.endswith("-du-thao.docx")
    screenshot(f"committee-report-generated-{label}")
    page.click(f"form[action='/reports/{report.pk}/issue'] button")
    page.wait_for_selector(".alert-success")
    assert "01/BC-BCĐ" in page.locator("main").inner_text()
    screenshot(f"committee-report-issued-{label}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("width", "label"), [(1366, "desktop"), (390, "phone")])
def test_the_reporting_page_and_the_registers_download_their_tables_as_excel(
    page, login_page, world, screenshot, width, label
):

    import openpyxl

    from dxboard.community.tests.factories import make_team
    from dxboard.projects.tests.factories import make_item, make_plan
    from dxboard.reporting.tests.factories import make_form

    make_form(world.province)
    make_team(world.hamlet_a, name="Tổ CNSCĐ Ấp Một", members=3)
    plan = make_plan(world.province, code="KH-2025")
    make_item(plan, world.agency, code="DA-01", name="Trung tâm điều hành thông minh")
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)
    for url, link, shot, title in (
        ("/collection/", "export-overview", "reporting-overview", "Tình hình nộp báo cáo định kỳ"),
        ("/community/?unit=99", "export-teams", "community-teams", "Tổ công nghệ số cộng đồng"),
        (
            "/projects/?unit=99",
            "export-items",
            "projects-register",
            "Nhiệm vụ, dự án chuyển đổi số",
        ),
    ):
        page.goto(url)
        page.wait_for_selector(f"[data-testid={link}]")
        screenshot(f"{shot}-export-{label}")
        with page.expect_download() as download:
            page.click(f"[data-testid={link}]")
        assert download.value.suggested_filename.endswith(".xlsx")
        with open(download.value.path(), "rb") as file:  # saved without an extension
            workbook = openpyxl.load_workbook(file)
        assert workbook.active["A1"].value.startswith(title)
