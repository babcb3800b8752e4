"""The public catalogue and a dataset page in a real browser, with and without JavaScript."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest

from dxboard.evaluation.demo import PROGRAMME_CODE
from dxboard.evaluation.demo import load_demo as load_evaluation_demo
from dxboard.indicators.models import Programme
from dxboard.opendata.tests.factories import make_dataset, make_projects
from dxboard.testing import World


def _datasets(world: World) -> None:
    load_evaluation_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    make_projects(world)
    make_dataset(world, name="du-an-chuyen-doi-so", theme="ECON", keywords=["dự án", "kinh phí"])
    make_dataset(
        world,
        name="ket-qua-chi-tieu",
        title="Kết quả thực hiện chỉ tiêu chuyển đổi số theo xã, phường và quý",
        title_en="Digital transformation indicator results by commune and quarter",
        description="Giá trị thực hiện, mục tiêu, tỷ lệ đạt và mức đạt của từng chỉ tiêu.",
        description_en="Actual, target and achievement of each indicator.",
        source="evaluation",
        programme=Programme.objects.get(code=PROGRAMME_CODE),
        period_start="2024Q1",
        period_end="2024Q4",
        keywords=["chỉ tiêu", "chuyển đổi số"],
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), [(1366, "desktop"), (390, "phone")])
def test_a_visitor_searches_the_catalogue_and_reads_a_dataset_with_its_chart(
    page: Any, world: World, screenshot: Any, width: int, label: str
) -> None:
    _datasets(world)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/data/")
    assert "2 bộ dữ liệu" in page.inner_text("main")
    screenshot(f"opendata-catalogue-{label}")
    page.fill("#q", "chi tieu")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/data/?q=chi+tieu")
    assert "1 bộ dữ liệu" in page.inner_text("main")
    page.click("text=Kết quả thực hiện chỉ tiêu chuyển đổi số theo xã, phường và quý")
    page.wait_for_selector("#series-chart canvas")
    assert "Quý IV/2024" in page.inner_text("#series-table")
    assert page.locator("#preview ~ div table tbody tr").count() == 20
    screenshot(f"opendata-dataset-{label}")
    with page.expect_download() as download:
        page.click("#downloads ~ div a:has-text('XLSX')")
    assert download.value.suggested_filename == "ket-qua-chi-tieu.xlsx"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), [(1366, "desktop"), (390, "phone")])
def test_the_pages_are_readable_without_javascript(
    browser: Any, live_server: Any, world: World, width: int, label: str
) -> None:
    from conftest import ARTIFACTS

    _datasets(world)
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": width, "height": 900},
    )
    page = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Search and facets are plain links and a GET form: they work without scripts.
    page.goto("/data/")
    page.fill("#q", "du an")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/data/?q=du+an")
    assert "1 bộ dữ liệu" in page.inner_text("main")
    page.goto("/data/?groups=econ")
    assert "1 bộ dữ liệu" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / f"opendata-catalogue-nojs-{label}.png"), full_page=True)
    page.goto("/data/dataset/ket-qua-chi-tieu/")
    assert page.locator("#series-chart").is_hidden()
    assert "Quý I/2024" in page.inner_text("#series-table")
    assert page.locator("#preview ~ div table tbody tr").count() == 20
    main = page.inner_text("main")
    assert "/api/3/action/datastore_search" in main
    for label_ in ("CSV", "JSON", "XLSX"):
        assert page.locator(f"#downloads ~ div a:has-text('{label_}')").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"opendata-dataset-nojs-{label}.png"), full_page=True)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), [(1366, "desktop"), (390, "phone")])
def test_a_province_officer_publishes_a_dataset_in_the_browser(
    page: Any, login_page: Any, world: World, screenshot: Any, width: int, label: str
) -> None:
    make_projects(world)
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)
    page.goto("/data/manage/new/")
    page.fill("#id_name", "du-an-2025")
    page.fill("#id_title", "Dự án chuyển đổi số năm 2025")
    page.fill("#id_description", "Kinh phí kế hoạch và giải ngân của từng dự án.")
    page.select_option("#id_source", "projects")
    page.fill("#id_period_start", "2025")
    page.fill("#id_period_end", "2025Q5")
    page.fill("#id_contact_name", "Phòng Chuyển đổi số")
    page.fill("#id_contact_email", "cds@example.vn")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    screenshot(f"opendata-manage-error-{label}")
    page.fill("#id_period_end", "2025")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    screenshot(f"opendata-manage-list-{label}")
    page.goto("/data/dataset/du-an-2025/")
    assert "Wi-Fi công cộng xã An Bình" in page.inner_text("main")
