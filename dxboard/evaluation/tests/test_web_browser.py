"""The IOC dashboard in Chromium: period picker, trend chart, drill-down, phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dxboard.evaluation.tests.factories import put
from dxboard.evaluation.tests.web_factories import web_programme


def _history() -> None:
    """Quarterly figures 2021–2024 so the trend chart has a line to draw."""
    rows = []
    for year in range(2021, 2025):
        for quarter in range(1, 5):
            period = f"{year}Q{quarter}"
            step = (year - 2021) * 4 + quarter
            if period == "2024Q1":
                continue  # already in web_programme
            rows += [
                ("CQ-T1-TU", "99001", period, 600 + 40 * step),
                ("CQ-T1-MAU", "99001", period, 1500),
                ("CQ-T1-TU", "99002", period, 300 + 15 * step),
                ("CQ-T1-MAU", "99002", period, 1000),
            ]
    put(*rows)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_leader_reads_the_dashboard_and_drills_down(page, login_page, world, screenshot):
    web_programme()
    _history()
    login_page(world.province_officer)

    # The only programme: the index opens its dashboard for the province.
    page.goto("/dashboard/")
    expect(page.locator("h1")).to_contain_text("Tỉnh Thử Nghiệm")

    # Pick a period: the page reloads for the year 2024.
    page.select_option("#period-picker", "2024")
    page.wait_for_url("**period=2024**")
    expect(page.locator("h1")).to_contain_text("Năm 2024")
    expect(page.get_by_test_id("headline")).to_have_text("1/4 chỉ tiêu đạt, 25,0 %")
    expect(page.locator("[data-chart=status] svg")).to_be_visible()

    # Choose an indicator: htmx swaps in its trend chart and the ranking.
    page.locator(".indicator-link[data-code=NL-T3]").click()
    expect(page.locator("#panel-title")).to_contain_text("NL-T3")
    page.locator(".indicator-link[data-code=CQ-T1]").click()
    expect(page.locator("#panel-title")).to_contain_text("CQ-T1")
    expect(page.locator("[data-chart=trend] svg")).to_be_visible()
    expect(page.locator("[data-chart=ranking] svg")).to_be_visible()
    expect(page.get_by_test_id("projection")).to_contain_text("năm 2025")
    assert "indicator=CQ-T1" in page.url  # the choice is in the address, for bookmarks
    expect(page.locator("#indicator-CQ-T1")).to_have_class("status-ge70 table-active")
    screenshot("evaluation-dashboard-desktop")

    # Drill down to commune A from the ranking.
    page.locator(".drill-link", has_text="Xã An Bình").click()
    page.wait_for_url("**unit=99001**")
    expect(page.locator("h1")).to_contain_text("Xã An Bình")
    expect(page.locator("[data-chart=trend] svg")).to_be_visible()
    screenshot("evaluation-dashboard-commune")

    # A phone: the same page stays usable at 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dashboard/CT-WEB/?unit=99&period=2024&indicator=CQ-T1")
    expect(page.get_by_test_id("met-rate")).to_have_text("25,0 %")
    expect(page.locator("[data-chart=trend] svg")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    screenshot("evaluation-dashboard-390")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_public_dashboard_reads_without_login_and_without_javascript(browser, live_server, world):
    web_programme(public=True)
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    page.goto("/dashboard/CT-WEB/?unit=99&period=2024")
    expect(page.get_by_test_id("headline")).to_have_text("1/4 chỉ tiêu đạt, 25,0 %")
    expect(page.locator(".indicator-table")).to_contain_text("1.734 / 2.500")
    expect(page.locator("[data-chart=status]")).to_be_hidden()  # charts need JavaScript
    page.locator(".indicator-link[data-code=CQ-T1]").click()
    page.wait_for_url("**indicator=CQ-T1**")
    expect(page.get_by_test_id("ranking")).to_contain_text("Xã An Bình")
    context.close()
