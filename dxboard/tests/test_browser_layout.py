"""The layout in a real browser: every page renders with local assets only.

The `page` fixture fails a test when any request leaves 127.0.0.1, so visiting every
parameterless page here proves the product works on an intranet without internet.
"""

import pytest
from django.urls import reverse

from dxboard.tests.test_url_permissions import CASES

SIMPLE_PAGES = sorted(
    {
        case.name
        for case in CASES
        if case.method == "get"
        and case.kwargs is None
        # Machine interfaces, not pages: the DHIS2 Web API takes Basic or ApiToken, no session.
        and not case.name.startswith(("api:", "dhis2:", "accounts:password_reset"))
        # Excel downloads, not pages.
        and "export" not in case.name
        and case.name not in {"accounts:logout", "healthz"}
    }
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_uses_only_local_assets(page, login_page, world, screenshot):
    login_page(world.admin)
    failures = []
    for name in SIMPLE_PAGES:
        response = page.goto(reverse(name))
        if response is None or response.status >= 400:
            failures.append((name, response.status if response else None))
            continue
        screenshot(f"page-{name.replace(':', '-')}")
    assert not failures, failures


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_layout_works_on_a_phone(page, login_page, world, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login_page(world.province_officer)
    page.goto("/")
    assert page.locator(".navbar-toggler").is_visible()
    page.click(".navbar-toggler")
    page.locator("#main-nav .nav-link").first.wait_for(state="visible")
    # Vietnamese renders with the bundled Noto Sans, not a fallback font.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans" in family
    assert page.evaluate("document.fonts.check('16px \"Noto Sans\"', 'Đường ấp Ưu Ơ')")
    screenshot("layout-phone-menu")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_documentation_renders_with_local_assets(page, login_page, world, screenshot):
    # Regression: without "ninja" in INSTALLED_APPS, Swagger UI came from a CDN and the
    # page stayed blank on an intranet (the `page` fixture fails on any outside request).
    login_page(world.province_officer)
    page.goto(reverse("api:openapi-view"))
    operation = page.locator("#operations-units-dxboard_units_api_update_unit")
    operation.locator(".opblock-summary").click()
    responses = operation.locator(".responses-table").first
    responses.wait_for()
    for status in ("200", "400", "401", "403", "404", "409"):
        assert operation.locator(f"tr.response[data-code='{status}']").count() == 1, status
    screenshot("api-docs-units-patch")
