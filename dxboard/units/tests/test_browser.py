"""The unit tree in Chromium: log in, search with and without diacritics, expand the tree."""

import pytest
from playwright.sync_api import expect

from dxboard.testing import make_unit
from dxboard.units.models import UnitKind


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_unit_tree_finds_a_commune_with_and_without_diacritics(
    page, login_page, world, screenshot
):
    make_unit("Ấp Bình Thạnh", code="99001-AP2", kind=UnitKind.HAMLET, parent=world.commune_a)
    login_page(world.province_officer)
    page.goto("/units/")
    expect(page.locator("h1")).to_have_text("Đơn vị")

    # Expanding a node loads its children with htmx.
    page.locator("summary", has_text="Tỉnh Thử Nghiệm").click(position={"x": 4, "y": 8})
    expect(page.locator(".unit-children").first).to_contain_text("Phường Đông Hòa")
    screenshot("units-tree")

    for text in ("an binh", "An Bình"):
        page.fill("#unit-search", text)
        page.wait_for_url(lambda url, t=text: "q=" in url and t.split()[0] in url)
        results = page.locator("#search-results")
        expect(results).to_contain_text("Xã An Bình")
        expect(results).not_to_contain_text("Phường Đông Hòa")
    screenshot("units-tree-search")

    page.locator("#search-results a", has_text="Xã An Bình").click()
    expect(page.locator("h1")).to_have_text("Xã An Bình")
    expect(page.locator("#children ~ .table-responsive")).to_contain_text("Ấp Bình Thạnh")
    screenshot("units-detail")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_unit_pages_fit_a_phone(page, login_page, world, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login_page(world.province_officer)
    page.goto("/units/?q=AN+BINH")
    expect(page.locator("#search-results")).to_contain_text("Xã An Bình")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("units-tree-search-phone")
    page.goto("/units/99001/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("units-detail-phone")
    page.goto("/units/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("units-import-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_bad_import_file_shows_its_errors_and_a_group_page_renders(
    page, login_page, world, screenshot, tmp_path
):
    from .factories import csv_bytes, make_group

    make_group(world.admin, world.province, [world.commune_a, world.commune_b], code="XA-TD")
    bad = tmp_path / "don-vi.csv"
    bad.write_bytes(
        csv_bytes(
            [
                ["99001-AP2", "Ấp Mỹ Thạnh", "ấp", "99001", "1850", "", "", ""],
                ["99001-AP2", "", "làng chài", "88888", "", "", "", ""],
            ]
        )
    )
    login_page(world.province_officer)
    page.goto("/units/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("button[value=check]")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Dòng 3, cột “Mã”")
    expect(errors).to_contain_text("Dòng 3, cột “Mã cấp trên”")
    screenshot("units-import-errors")
    page.goto("/units/groups/XA-TD/")
    expect(page.locator("table")).to_contain_text("Phường Đông Hòa")
    screenshot("units-group-detail")
