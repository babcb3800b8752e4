"""The work page in Chromium for a commune officer and the province officer, at 1366 and
390 pixels; the "Nhắc" button sends the reminder and says so."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)


@pytest.mark.parametrize("persona", ["officer_a", "province_officer"])
def test_the_work_page_at_both_widths(page, login_page, world, scene, screenshot, persona):
    login_page(getattr(world, persona))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/work/")
        expect(page.locator("h1")).to_have_text("Việc của tôi")
        # Nothing wider than the screen: the lists wrap, the tables scroll in their box.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{persona} at {width}px overflows by {overflow}px"
        screenshot(f"work-{persona}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/")
    expect(page.get_by_test_id("work-summary")).to_be_visible()
    screenshot(f"home-{persona}-1366")


def test_the_remind_button_in_the_browser(page, login_page, world, scene, screenshot):
    login_page(world.province_officer)
    page.goto("/work/")
    page.get_by_role("button", name="Nhắc Xã An Bình nộp BM-T").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi thư nhắc Xã An Bình")
    assert len(mail.outbox) == 1
    screenshot("work-reminded-1366")
    page.goto("/work/reminders/")
    page.fill("#after-BM-T", "45")
    page.locator("#form-BM-T button[type=submit]").click()
    expect(page.locator("#after-error-BM-T")).to_contain_text("đã đóng")
    screenshot("work-reminders-error-1366")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot("work-reminders-error-390")
