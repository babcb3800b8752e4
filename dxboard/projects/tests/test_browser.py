"""The project register in a real browser: list → detail → update, desktop and phone."""

from __future__ import annotations

import io

import pytest

from dxboard.projects import demo
from dxboard.projects.models import Item


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_an_officer_goes_from_the_list_to_an_item_and_updates_it(
    page, login_page, world, screenshot, width, label
):
    demo.load_demo(world.province, stdout=io.StringIO())
    item = Item.objects.get(code="DA-02")
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)
    page.goto("/projects/")
    page.wait_for_selector("#timeline-chart canvas")
    assert page.locator('[data-total="count"]').inner_text() == "18"
    assert page.locator('[data-total="planned"]').inner_text() == "56.800.000.000 đ"
    assert page.locator("#overdue-list").is_visible()
    screenshot(f"projects-list-{label}")
    page.click(f"#items a[href='/projects/items/{item.pk}/']")
    page.wait_for_selector("#update-log")
    screenshot(f"projects-detail-{label}")
    page.select_option("#id_status", "done")
    page.fill("#id_progress", "100")
    page.fill("#id_disbursed_budget", "7.700.000.000")
    page.fill("#id_note", "Đã nghiệm thu, bàn giao")
    page.click("form[action$='/update/'] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "Đã nghiệm thu, bàn giao" in page.locator("#update-log").inner_text()
    item.refresh_from_db()
    assert (item.status, item.disbursed_budget) == ("done", 7_700_000_000)
    screenshot(f"projects-detail-updated-{label}")
