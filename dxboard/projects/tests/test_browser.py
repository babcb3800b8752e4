"""The project register in a real browser: list → detail → update, a plan, a document."""

from __future__ import annotations

import io

import pytest

from dxboard.projects import demo
from dxboard.projects.models import Item, ItemDocument, Plan


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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_creates_a_plan_and_links_a_document_with_htmx(
    page, login_page, world, screenshot
):
    from dxboard.projects.tests.factories import make_item

    login_page(world.province_officer)
    page.goto("/projects/")
    page.click("a[href='/projects/plans/new/']")
    page.select_option("#id_owner_unit", "99")
    page.fill("#id_code", "KH-CDS-2026")
    page.fill("#id_name", "Kế hoạch chuyển đổi số năm 2026")
    page.fill("#id_year_from", "2026")
    page.fill("#id_year_to", "2026")
    screenshot("projects-plan-form")
    page.click("main button[type=submit]")
    page.wait_for_url("**/projects/?plan=KH-CDS-2026")
    assert "Kế hoạch chuyển đổi số năm 2026" in page.locator(".alert-success").inner_text()
    item = make_item(Plan.objects.get(code="KH-CDS-2026"), world.agency, code="DA-01")
    page.goto(f"/projects/items/{item.pk}/")
    page.click("#documents summary")
    page.fill("#doc_number", "15/QĐ-UBND")
    page.fill("#doc_title", "Quyết định phê duyệt dự án")
    screenshot("projects-document-form")
    page.click("#documents button[type=submit]")
    page.wait_for_selector("#documents .alert-success")
    # Swapped in place (no page load): the list and the update log both show it.
    assert "15/QĐ-UBND" in page.locator("#document-list").inner_text()
    assert "Thêm văn bản 15/QĐ-UBND" in page.locator("#update-log").inner_text()
    assert ItemDocument.objects.filter(item=item, number="15/QĐ-UBND").exists()
    screenshot("projects-document-added")
