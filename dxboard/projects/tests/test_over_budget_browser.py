"""Disbursed above planned in a real browser (issue 18): refused until confirmed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dxboard.projects.tests.factories import make_item, make_plan


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_disbursing_above_planned_asks_for_a_confirmation(
    page, login_page, world, screenshot, width
):
    item = make_item(make_plan(world.province), world.agency, planned_budget=1_000_000_000)
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)
    page.goto(f"/projects/items/{item.pk}/")
    page.fill("#id_disbursed_budget", "1.300.000.000")
    page.click("form[action$='/update/'] button[type=submit]")
    expect(page.locator("body")).to_contain_text("Xác nhận giải ngân vượt kế hoạch” rồi lưu lại")
    item.refresh_from_db()
    assert item.disbursed_budget == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"projects-over-budget-refused-{width}")
    page.check("#id_confirm_over_budget")
    page.click("form[action$='/update/'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    item.refresh_from_db()
    assert item.disbursed_budget == 1_300_000_000
