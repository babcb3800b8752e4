"""Filling in and submitting a form in Chromium, with the keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dxboard.collection.models import DataValue
from dxboard.reporting.models import Submission
from dxboard.reporting.services import workflow

from .factories import GOOD, OPEN_PERIOD, make_form

P = OPEN_PERIOD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_fills_in_and_submits_a_form_with_the_keyboard(
    page, login_page, world, screenshot
):
    form = make_form(world.province)
    login_page(world.officer_a)
    page.goto("/collection/")
    expect(page.locator("h1")).to_have_text("Báo cáo định kỳ")
    screenshot("collection-index")
    page.goto(f"/collection/forms/{form.code}/units/99001/{P}/")
    expect(page.locator("legend").first).to_have_text("I. Dịch vụ công trực tuyến")

    # Validation as you type: a numerator above its denominator is flagged at once.
    page.locator("#f-HS-TU").focus()
    page.keyboard.type("3.000")
    page.keyboard.press("Enter")  # Enter moves on, it never submits
    expect(page.locator("#f-HS-MAU")).to_be_focused()
    page.keyboard.type("2.000")
    page.keyboard.press("Enter")
    expect(page.locator("#fb-HS-TU")).to_contain_text("lớn hơn")
    assert not Submission.objects.exists()

    page.locator("#f-HS-TU").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("1.234")
    page.locator("#f-TYLE").focus()
    expect(page.locator("#fb-HS-TU")).not_to_contain_text("lớn hơn")
    page.keyboard.type("97,5")
    page.keyboard.press("Enter")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.locator("#f-KP")).to_be_focused()
    page.keyboard.type("1.234,5")
    page.keyboard.press("Enter")
    assert not Submission.objects.exists()
    screenshot("collection-entry-typed")

    page.locator("#btn-submit").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp báo cáo")
    assert Submission.objects.get().status == "submitted"
    kp = DataValue.objects.get(data_element__code="KP")
    assert float(kp.value) == 1234.5
    expect(page.locator("#f-KP")).to_have_value("1.234,5")
    screenshot("collection-entry-submitted")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_reporting_pages_fit_a_phone(page, login_page, world, screenshot):
    form = make_form(world.province)
    workflow.save_draft(world.officer_a, form.code, "99001", P, {**GOOD, "CUOC": "30"})
    page.set_viewport_size({"width": 390, "height": 844})
    login_page(world.officer_a)
    page.goto(f"/collection/forms/{form.code}/units/99001/{P}/")
    expect(page.locator("#f-KP")).to_have_value("1.234,5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("collection-entry-phone")
    page.goto("/collection/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("collection-index-phone")
    page.context.clear_cookies()
    login_page(world.province_officer)
    page.goto(f"/collection/forms/{form.code}/?period={P}")
    expect(page.locator("#kpi-expected")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("collection-form-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("collection-form")
    page.goto(f"/collection/forms/{form.code}/periods/{P}/upload")
    screenshot("collection-upload")
