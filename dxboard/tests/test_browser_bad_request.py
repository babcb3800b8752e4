"""The 400 page in a real browser, wide and narrow (issue 18)."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bad_request_page_reads_well_on_a_desktop_and_a_phone(page, world, screenshot):
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto("/feedback/track/?code=%00")
        assert response is not None and response.status == 400
        assert "Yêu cầu không hợp lệ" in page.inner_text("main")
        screenshot(f"bad-request-{width}")
