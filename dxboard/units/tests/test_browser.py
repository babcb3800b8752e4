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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_commune_shows_its_former_communes_and_a_split_share_on_both_widths(
    page, login_page, world, screenshot
):
    import datetime as dt

    from dxboard.units import successions
    from dxboard.units.services import record_succession

    reform = dt.date(2025, 7, 1)
    former = make_unit(
        "Tỉnh Kiên Giang", code="91", kind=UnitKind.PROVINCE, valid_to=dt.date(2025, 6, 30)
    )
    whole = make_unit("Xã Vĩnh Hòa Hưng Bắc", code="31459", parent=former)
    split = make_unit("Thị trấn Giồng Riềng", code="31450", parent=former)
    world.commune_a.valid_from = reform
    world.commune_a.save()
    record_succession([whole], world.commune_a, "merge", reform, "NQ 1654/NQ-UBTVQH15")
    successions.record_split(
        world.admin, split, [(world.commune_a, "0.4"), (world.commune_b, "0.6")], reform
    )
    login_page(world.officer_a)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/units/99001/")
        expect(page.locator("h1")).to_have_text("Xã An Bình")
        expect(page.get_by_text("40 % chuyển sang, ước tính")).to_be_visible()
        screenshot(f"units-detail-reform-{width}")
    page.get_by_role("link", name="Thị trấn Giồng Riềng").click()
    expect(page.locator("h1")).to_have_text("Thị trấn Giồng Riềng")
    expect(page.locator(".unit-facts")).to_contain_text("đến 30/06/2025")
    screenshot("units-detail-former-390")
