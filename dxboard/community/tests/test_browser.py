"""The team register in a real browser: list → detail → add a member, desktop and phone."""

from __future__ import annotations

import pytest

from dxboard.community import services
from dxboard.community.models import Member
from dxboard.community.tests.factories import make_team
from dxboard.testing import make_unit
from dxboard.units.models import UnitKind


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_a_reporter_goes_from_the_list_to_a_team_and_adds_a_member(
    page, login_page, world, screenshot, width, label
):
    for n, name in enumerate(["Ấp Hòa Bình", "Ấp Đông Thạnh", "Ấp Phú Lợi"]):
        hamlet = make_unit(name, kind=UnitKind.HAMLET, parent=world.commune_a)
        make_team(hamlet, members=3 + n, user=world.admin)
    team = make_team(world.hamlet_a, members=2, user=world.admin)
    services.add_activity(world.admin, team, date="2025-04-02", kind="vneid", people_helped=37)
    make_team(world.hamlet_b, members=4, user=world.admin)
    page.set_viewport_size({"width": width, "height": 900})
    login_page(world.province_officer)
    page.goto("/community/")
    page.wait_for_selector("#coverage-chart canvas")
    assert page.locator('[data-total="members"]').inner_text() == "18"
    screenshot(f"community-list-{label}")
    page.click(f"a[href='/community/teams/{team.pk}/']")
    page.wait_for_selector("#members")
    assert "37" in page.locator("#activities").inner_text()
    screenshot(f"community-detail-{label}")
    page.click(f"a[href='/community/teams/{team.pk}/members/new/']")
    page.fill("#id_full_name", "Huỳnh Thị Ánh Tuyết")
    page.select_option("#id_role", "deputy")
    page.fill("#id_phone", "0912 888 999")
    page.fill("#id_organisation", "Hội Phụ nữ")
    screenshot(f"community-member-form-{label}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/community/teams/{team.pk}/")
    assert "Huỳnh Thị Ánh Tuyết" in page.locator("#members").inner_text()
    assert "0912888999" in page.locator("#members").inner_text()
    assert Member.objects.filter(team=team, phone="0912888999").exists()
    screenshot(f"community-detail-added-{label}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_bad_member_list_shows_one_message_per_row_and_saves_nothing(
    page, login_page, world, screenshot, tmp_path
):
    from openpyxl import Workbook

    from dxboard.community import excel
    from dxboard.community.models import Team

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([excel.TITLE])
    sheet.append([])
    sheet.append(excel.HEADERS)
    sheet.append(
        [1, "Xã An Bình", "Ấp Một", "Nguyễn Văn Bảy", "Tổ trưởng", "Nam", 1975, "0912345678"]
    )
    sheet.append([2, "Xã An Bình", "Ấp Không Có", "Lê Văn Tám", "Thành viên", "Nam", 1980, ""])
    sheet.append(
        [3, "Xã An Bình", "Ấp Một", "Nguyễn Văn Bảy", "Thành viên", "Nam", 1975, "0912345678"]
    )
    path = tmp_path / "danh-sach.xlsx"
    workbook.save(path)
    login_page(world.officer_a)
    page.goto("/community/import/")
    page.set_input_files("#id_file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_selector("#import-errors")
    errors = page.locator("#import-errors").inner_text()
    assert "Dòng 5, cột “Thôn/Ấp”" in errors and "Dòng 6" in errors
    assert errors.startswith("Tệp có 2 lỗi; chưa có dòng nào được lưu.")
    assert not Team.objects.exists()
    screenshot("community-import-errors")
