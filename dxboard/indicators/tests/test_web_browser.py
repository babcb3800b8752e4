"""The catalogue, the programme page and target editing in Chromium."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dxboard.evaluation.tests.web_factories import web_programme
from dxboard.indicators.models import Target, TargetChange
from dxboard.indicators.services import load_catalogue


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_province_officer_searches_the_catalogue_and_edits_targets(
    page, login_page, world, screenshot
):
    load_catalogue()
    web_programme()
    login_page(world.province_officer)

    page.goto("/indicators/")
    expect(page.locator("h1")).to_have_text("Danh mục chỉ tiêu")
    screenshot("indicators-catalogue")
    page.fill("#catalogue-search", "dinh danh dien tu")  # no diacritics: htmx filters
    expect(page.locator("#catalogue-results")).to_contain_text("XH-04")
    expect(page.locator("#catalogue-results")).not_to_contain_text("HT-01")
    assert "q=dinh" in page.url

    page.goto("/indicators/CQ-03/")
    expect(page.locator("h1")).to_contain_text("trực tuyến")
    screenshot("indicators-indicator-detail")

    page.goto("/indicators/programmes/")
    page.get_by_role("link", name="Chương trình CT-WEB").click()
    expect(page.locator("h1")).to_have_text("Chương trình CT-WEB")
    screenshot("indicators-programme-detail")

    page.get_by_role("link", name="Sửa chỉ tiêu kế hoạch").click()
    row = page.locator("#row-NL-T3")
    row.locator("input[name=value-2025]").fill("1.234,5")
    row.locator("input[name=source]").fill("Kế hoạch 12/KH-UBND ngày 05/01/2025")
    row.get_by_role("button", name="Lưu").click()
    expect(page.locator("#row-NL-T3")).to_contain_text("Đã lưu 1 thay đổi")
    assert Target.objects.get(indicator__code="NL-T3", year=2025).value == Decimal("1234.5")
    assert TargetChange.objects.get().source_document == "Kế hoạch 12/KH-UBND ngày 05/01/2025"
    expect(page.locator("#row-NL-T3 input[name=value-2025]")).to_have_value("1.234,5")

    # A bad number is named on its cell; nothing is saved.
    row = page.locator("#row-CQ-T1")
    row.locator("input[name=value-2024]").fill("tám mươi")
    row.locator("input[name=source]").fill("QĐ 1")
    row.get_by_role("button", name="Lưu").click()
    expect(page.locator("#row-CQ-T1 .invalid-feedback")).to_have_text(
        "“tám mươi” không phải là số."
    )
    screenshot("indicators-targets-edit")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/indicators/programmes/CT-WEB/targets/?unit=99001")
    expect(page.locator("#target-unit")).to_have_value("99001")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the targets page scrolls sideways ({width}px)"
    screenshot("indicators-targets-edit-390")
    page.goto("/indicators/?pillar=chinh_quyen_so")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the catalogue scrolls sideways ({width}px)"
    screenshot("indicators-catalogue-390")
