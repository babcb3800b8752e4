"""The Excel upload in Chromium (issue 18 and issue 20 pt 3): what the officer reads.

A province-wide file with a submitted unit's sheet unchanged goes through and the page
names the skipped sheets; a stale cell is refused naming its sheet and cell.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dxboard.reporting import excel
from dxboard.reporting.services import workflow

from .factories import GOOD, OPEN_PERIOD, make_form

P = OPEN_PERIOD


def _file(tmp_path, user, form, change: dict[str, dict[str, object]]) -> str:
    workbook = load_workbook(io.BytesIO(excel.build_workbook(user, form.code, P)))
    for title, values in change.items():
        sheet = workbook[title]
        rows = {sheet.cell(row=r, column=2).value: r for r in range(7, sheet.max_row + 1)}
        for code, value in values.items():
            sheet.cell(row=rows[code], column=6, value=value)
    path = tmp_path / f"{form.code}_{P}.xlsx"
    workbook.save(path)
    return str(path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_the_upload_names_skipped_sheets_and_stale_cells(
    page, login_page, world, screenshot, tmp_path, width
):
    form = make_form(world.province)
    workflow.save_draft(world.officer_b, form.code, "99002", P, GOOD)
    workflow.submit(world.officer_b, form.code, "99002", P)
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)

    good = _file(tmp_path, world.province_officer, form, {"99001": {"CUOC": 3}})
    page.goto(f"/collection/forms/{form.code}/periods/{P}/upload")
    page.set_input_files("#file", good)
    page.click("form.card button[type=submit]")
    expect(page.locator("body")).to_contain_text("Bỏ qua các trang không thay đổi: 99002.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"excel-upload-skipped-{width}")

    stale = _file(tmp_path, world.province_officer, form, {"99001": {"CUOC": 8}})
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "5"})
    page.goto(f"/collection/forms/{form.code}/periods/{P}/upload")
    page.set_input_files("#file", stale)
    page.click("form.card button[type=submit]")
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("Trang “99001”, ô F")
    expect(errors).to_contain_text("đã được sửa trên DXBoard sau khi tải tệp (nay là 5)")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"excel-upload-stale-{width}")
