"""The self-assessment form and the ranking page in a real browser, at 1366 and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from dxboard.evaluation.tests.factories import put
from dxboard.scorecards import services
from dxboard.scorecards.models import Score
from dxboard.scorecards.tests.test_automatic import _automatic_set
from dxboard.scorecards.tests.test_results import _publish, _score
from dxboard.testing import World, make_unit

WIDTHS = [(1366, "desktop"), (390, "phone")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), WIDTHS)
def test_a_commune_officer_fills_in_the_self_assessment_form(
    page: Page,
    login_page: Callable[[Any], None],
    world: World,
    screenshot: Callable[[str], Path],
    width: int,
    label: str,
) -> None:
    scorecard = _automatic_set(world)
    put(
        ("HS-TU", "99001", "2025", 75),
        ("HS-MAU", "99001", "2025", 100),
        ("TV", "99001", "2025", 20),
    )
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.officer_a)
    page.goto(f"/scorecards/{scorecard.code}/units/99001/")
    # Automatic criteria come filled in from the data, labelled "tự động".
    automatic = page.locator("#row-CQ-2")
    assert "tự động" in automatic.inner_text()
    assert "Chỉ tiêu HS năm 2025: 75 % (75/100)" in automatic.inner_text()
    page.fill("#f-NT-1-value", "3")
    page.fill("#f-NT-1-explanation", "Họp 3 lần: tháng 3, 6 và 9")
    page.select_option("#f-NT-2-value", "pho")
    page.select_option("#f-NT-3-value", "1")
    page.fill("#f-NT-4-numerator", "2")
    page.fill("#f-NT-4-denominator", "4")
    page.fill("#f-NT-5-points", "25")  # above the maximum of 20
    screenshot(f"scorecards-form-filled-{label}")
    page.click("#save-scores")
    page.wait_for_selector("#score-errors")
    assert "Chỉ số 1.5: 25 điểm vượt điểm tối đa 20." in page.locator("#score-errors").inner_text()
    # Nothing was saved, and what was typed is still there.
    assert not Score.objects.exists()
    assert page.input_value("#f-NT-1-value") == "3"
    screenshot(f"scorecards-form-error-{label}")
    page.fill("#f-NT-5-points", "12,5")
    page.click("#save-scores")
    page.wait_for_selector(".alert-success")
    assert "15" in page.locator("#row-NT-1").inner_text()
    assert Score.objects.get(criterion__code="NT-5").self_points == 12.5
    screenshot(f"scorecards-form-saved-{label}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), WIDTHS)
def test_the_ranking_page_shows_ties_exclusions_and_a_chart(
    page: Page,
    login_page: Callable[[Any], None],
    world: World,
    screenshot: Callable[[str], Path],
    width: int,
    label: str,
) -> None:
    from dxboard.scorecards.tests.factories import make_scorecard

    make_unit("Xã Cần Đăng", code="99003", parent=world.province)
    make_unit("Xã Ô Long Vĩ", code="99004", parent=world.province)
    last_year = make_scorecard(world, code="XA-2024", year=2024)
    for code, meetings in (("99001", 4), ("99002", 1), ("99003", 2), ("99004", 3)):
        _score(world, last_year, code, meetings, 30)
    _publish(world, last_year)
    scorecard = make_scorecard(world)
    for code, meetings, members in (
        ("99001", 4, 40),
        ("99002", 3, 40),
        ("99003", 3, 40),
        ("99004", 4, 20),
    ):
        _score(world, scorecard, code, meetings, members)
    services.set_ranked(world.admin, scorecard, "99001", False, "Sáp nhập giữa năm")
    _publish(world, scorecard)
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.officer_b)
    page.goto(f"/scorecards/{scorecard.code}/ranking/")
    page.wait_for_selector("#ranking-chart svg")
    rows = page.locator("#ranking-table tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert texts[0].startswith("1") and "Phường Đông Hòa" in texts[0]
    assert texts[1].startswith("1") and "Xã Cần Đăng" in texts[1]
    assert texts[2].startswith("3") and "Xã Ô Long Vĩ" in texts[2]
    assert "không xếp hạng" in texts[3] and "Xã An Bình" in texts[3]
    screenshot(f"scorecards-ranking-{label}")
    page.select_option("#f-sort", "group:CQ")
    page.click("form[method=get] button[type=submit]")
    page.wait_for_selector("#ranking-chart svg")
    assert "sort=group%3ACQ" in page.url
    screenshot(f"scorecards-ranking-by-group-{label}")
    page.click("#ranking-table a:has-text('Xã Ô Long Vĩ')")
    page.wait_for_selector("#unit-chart svg")
    screenshot(f"scorecards-unit-card-{label}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), WIDTHS)
def test_the_province_officer_reviews_and_adjusts_a_score_with_a_reason(
    page: Page,
    login_page: Callable[[Any], None],
    world: World,
    screenshot: Callable[[str], Path],
    width: int,
    label: str,
) -> None:
    from dxboard.scorecards.models import ScoreChange
    from dxboard.scorecards.tests.factories import make_scorecard

    make_unit("Xã Cần Đăng", code="99003", parent=world.province)
    scorecard = make_scorecard(world)
    _score(world, scorecard, "99001", 4, 40)
    _score(world, scorecard, "99002", 3, 30)
    services.submit(world.admin, scorecard, "99001")
    services.submit(world.admin, scorecard, "99002")
    services.start_review(world.admin, scorecard)  # Xã Cần Đăng never submitted
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)
    page.goto(f"/scorecards/{scorecard.code}/review/")
    assert "Xã Cần Đăng" in page.locator("#late-units").inner_text()
    assert "2/3 đơn vị đã nộp." in page.inner_text("body")
    screenshot(f"scorecards-review-{label}")
    page.click("a[href$='/units/99001/']")
    page.fill("#f-NT-5-points", "6")
    page.fill("#f-NT-5-reason", "Thiếu biên bản buổi tuyên truyền tháng 9")
    page.click("#save-scores")
    page.wait_for_selector(".alert-success")
    change = ScoreChange.objects.get(stage="review")
    assert (change.old, change.new) == ("10 điểm", "6 điểm (thẩm định)")
    assert change.user == world.province_officer
    assert "Thiếu biên bản buổi tuyên truyền tháng 9" in page.inner_text("body")
    screenshot(f"scorecards-review-adjusted-{label}")
