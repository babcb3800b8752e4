"""A trend chart across the 2025 reorganisation in Chromium (issue 17, point 7)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dxboard.evaluation.tests.test_reform import _put, build_reform


def _quarters(w) -> None:
    """Quarterly figures: the former communes 2022–2024, the new ones from 2025Q3."""
    rows = []
    for year in (2022, 2023, 2024):
        for quarter in range(1, 5):
            step = (year - 2022) * 4 + quarter
            period = f"{year}Q{quarter}"
            rows += [
                ("DV", "91001", period, 20 + step),
                ("DV", "91002", period, 10 + step),
                ("DV", "91003", period, 40 + 2 * step),
            ]
    for period, value in (("2026Q1", 95), ("2026Q2", 101), ("2026Q3", 108)):
        rows += [("DV", "92001", period, value), ("DV", "92002", period, value // 2)]
    _put(w["admin"], *rows)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_trend_chart_runs_across_the_reform_with_the_boundary_marked(
    transactional_db, page, screenshot
):
    w = build_reform()
    _quarters(w)
    page.set_viewport_size({"width": 1366, "height": 900})
    # The first request of the server loads DuckDB and compiles the templates: on a
    # loaded machine that alone can take longer than the default 15 s.
    page.goto("/dashboard/CT-SX/?unit=92001&period=2026Q3&indicator=DV", timeout=120_000)
    expect(page.locator("h1")).to_contain_text("Phường Mới Một")
    chart = page.locator("[data-chart=trend] svg")
    expect(chart).to_be_visible()
    # The boundary: the markLine's label is drawn in the chart.
    expect(page.locator("[data-chart=trend]")).to_contain_text("Sắp xếp ĐVHC 01/07/2025")
    expect(page.get_by_test_id("reform-note")).to_contain_text("Quý III/2025")
    page.locator("details.small summary").click()
    expect(page.locator("tr.reform-row")).to_contain_text("Quý III/2025")
    screenshot("evaluation-reform-trend-1366")

    # The province's ranking of 2024 on the former communes.
    page.goto("/dashboard/CT-SX/?unit=92&period=2024&indicator=DV")
    expect(page.get_by_test_id("ranking-bases")).to_be_visible()
    page.locator("[data-basis=former]").click()
    expect(page.get_by_test_id("ranking")).to_contain_text("Xã Cũ 3")
    expect(page.locator("[data-basis=former]")).to_have_class("nav-link py-1 px-2 active")
    screenshot("evaluation-reform-ranking-former-1366")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dashboard/CT-SX/?unit=92001&period=2024&indicator=DV")
    expect(page.get_by_test_id("estimated").first).to_be_visible()
    expect(page.locator("[data-chart=trend] svg")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    screenshot("evaluation-reform-estimated-390")
