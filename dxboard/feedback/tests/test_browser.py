"""From the public form to resolution by the handler and back to the citizen, in Chromium."""

import pytest

from dxboard.feedback.holidays import load_default_holidays
from dxboard.feedback.models import FieldReport, Status

from .factories import JPEG_WITH_EXIF, REPORTER, make_category, make_report, walk_to


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_report_goes_from_the_public_form_to_resolution_and_back(
    page, login_page, world, screenshot, tmp_path
):
    make_category(agency=world.agency)
    make_category("TTDT", name="Trật tự đô thị, lấn chiếm vỉa hè")
    photo = tmp_path / "hien-truong.jpg"
    photo.write_bytes(JPEG_WITH_EXIF)

    # 1. A citizen files a report on a phone, without logging in.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/feedback/submit/")
    page.select_option("#id_category", "GT")
    page.fill("#id_description", "Ổ gà sâu giữa đường Trần Hưng Đạo, xe máy dễ té ngã.")
    page.select_option("#id_unit", world.commune_a.code)
    page.fill("#id_address", "Trước số 12 Trần Hưng Đạo")
    page.fill("#id_lat", "10.3712")
    page.fill("#id_long", "105.4325")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_reporter_name", REPORTER["reporter_name"])
    page.fill("#id_reporter_phone", REPORTER["reporter_phone"])
    page.check("#id_consent")
    screenshot("feedback-submit-phone")
    page.click("main button[type=submit]")
    page.wait_for_url("**/feedback/submit/done/")
    code = page.inner_text("#tracking-code").strip()
    report = FieldReport.objects.get()
    assert code == report.tracking_code and report.photos.count() == 1
    screenshot("feedback-submitted-phone")

    # A form with a mistake is answered on the page.
    page.goto("/feedback/submit/")
    page.select_option("#id_category", "GT")
    page.click("main button[type=submit]")
    assert "Hãy mô tả sự việc." in page.inner_text("main")
    screenshot("feedback-submit-errors-phone")

    # 2. The agency's handler takes it from the inbox to resolution, on a desktop.
    page.set_viewport_size({"width": 1280, "height": 900})
    login_page(world.handler)
    page.goto("/feedback/")
    screenshot("feedback-inbox")
    page.click(f"text={report.public_id}")
    assert REPORTER["reporter_phone"] in page.inner_text("#reporter")
    page.click("#do-accept")
    page.click("#do-assign")
    page.click("#do-start")
    page.fill("#public-answer", "Đội duy tu đã vá ổ gà ngày hôm nay. Cảm ơn bạn.")
    page.click("#do-resolve")
    assert page.inner_text("#report-status").strip() == "Đã xử lý xong"
    screenshot("feedback-report-detail")
    report.refresh_from_db()
    assert report.status == Status.RESOLVED

    # 3. The citizen follows the report by its code and rates the answer.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/feedback/track/?code={code}")
    assert "Đội duy tu đã vá ổ gà" in page.inner_text("#public-answer")
    assert REPORTER["reporter_name"] not in page.content()
    screenshot("feedback-track-phone")
    page.check("#rating-5")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("#rating-done")
    report.refresh_from_db()
    assert report.rating == 5

    # 4. The public list and map, on a phone and a desktop; no personal data.
    page.goto("/feedback/public/")
    assert report.public_id in page.inner_text("#public-reports")
    assert REPORTER["reporter_phone"] not in page.content()
    screenshot("feedback-public-list-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/feedback/public/")
    page.wait_for_selector("#map canvas")
    screenshot("feedback-public-list")
    page.goto(f"/feedback/track/?code={code}")
    screenshot("feedback-track")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_statistics_and_holidays_pages_render(page, login_page, world, screenshot):
    load_default_holidays()  # transactional tests start without the data migration's rows
    make_category(agency=world.agency)
    for n in range(4):
        report = make_report(world)
        if n % 2 == 0:
            walk_to(report, Status.RESOLVED, world.handler)
    login_page(world.province_officer)
    page.goto("/feedback/stats/?period=2026")
    page.wait_for_selector("#chart-months canvas")
    assert "Xã An Bình" in page.inner_text("main")
    screenshot("feedback-stats")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/feedback/stats/?period=2026")
    screenshot("feedback-stats-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/feedback/holidays/?year=2026")
    assert "Tết Nguyên đán Bính Ngọ" in page.inner_text("#holidays")
    screenshot("feedback-holidays")
