"""The unit pages through the test client."""

import datetime as dt

import pytest
from django.urls import reverse

from dxboard.testing import make_unit
from dxboard.units import services
from dxboard.units.models import SuccessionKind, Unit, UnitKind

from .factories import csv_bytes, make_group


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("text", ["an binh", "AN BINH", "An Bình", "an bình"])
def test_search_without_javascript_finds_the_commune(client_for, text):
    html = _html(client_for("province_officer").get(reverse("units:tree"), {"q": text}))
    assert "Xã An Bình" in html
    assert "Phường Đông Hòa" not in html


def test_search_results_stay_inside_the_users_scope(client_for):
    html = _html(client_for("officer_b").get(reverse("units:tree"), {"q": "an binh"}))
    assert "Xã An Bình" not in html
    assert "Tìm thấy 0 đơn vị" in html


def test_an_htmx_search_returns_the_partial(client_for):
    response = client_for("province_officer").get(
        reverse("units:tree"),
        {"q": "dong hoa"},
        headers={"HX-Request": "true", "HX-Target": "tree-results"},
    )
    html = _html(response)
    assert "Phường Đông Hòa" in html and "<html" not in html


def test_the_tree_starts_at_the_province_for_a_province_officer(client_for, world):
    html = _html(client_for("province_officer").get(reverse("units:tree")))
    assert "Tỉnh Thử Nghiệm" in html
    assert reverse("units:children", args=["99"]) in html


def test_children_load_in_vietnamese_order(client_for, world):
    make_unit("Ấp Đá", code="AP-DA", kind=UnitKind.HAMLET, parent=world.commune_a)
    make_unit("Ấp Dừa", code="AP-DUA", kind=UnitKind.HAMLET, parent=world.commune_a)
    make_unit("Ấp Ân", code="AP-AN", kind=UnitKind.HAMLET, parent=world.commune_a)
    make_unit("Ấp An", code="AP-AN0", kind=UnitKind.HAMLET, parent=world.commune_a)
    response = client_for("officer_a").get(
        reverse("units:children", args=["99001"]), headers={"HX-Request": "true"}
    )
    html = _html(response)
    order = [html.index(name) for name in ("Ấp An<", "Ấp Ân", "Ấp Dừa", "Ấp Đá", "Ấp Một")]
    assert order == sorted(order)


def test_children_without_htmx_redirect_to_the_unit_page(client_for):
    response = client_for("officer_a").get(reverse("units:children", args=["99001"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("units:detail", args=["99001"])


def test_the_tree_page_makes_few_queries(client_for, world, django_assert_max_num_queries):
    for n in range(30):
        make_unit(f"Xã Số {n}", code=f"99{n + 100:03d}", parent=world.province)
    client = client_for("province_officer")
    with django_assert_max_num_queries(12):
        _html(client.get(reverse("units:tree")))
    with django_assert_max_num_queries(12):
        _html(client.get(reverse("units:tree"), {"q": "xa"}))
    with django_assert_max_num_queries(10):
        _html(client.get(reverse("units:children", args=["99"]), headers={"HX-Request": "true"}))


def test_the_unit_page_shows_facts_children_groups_and_history(client_for, world):
    services.update_unit(
        world.admin, world.commune_a, population=12345, contact_name="Lê Thị Hải Âu"
    )
    make_group(world.admin, world.province, [world.commune_a], code="XA-TD")
    old = make_unit("Xã An Bình cũ", code="99001-cu", parent=world.province)
    services.record_succession([old], world.commune_a, SuccessionKind.MERGE, dt.date(2025, 7, 1))
    html = _html(client_for("province_officer").get(reverse("units:detail", args=["99001"])))
    for text in (
        "Xã An Bình",
        "12.345",
        "Lê Thị Hải Âu",
        "Ấp Một",
        "Nhóm xã thí điểm",
        "Xã An Bình cũ",
        "01/07/2025",
        "Tỉnh Thử Nghiệm",
    ):
        assert text in html, text
    old_page = _html(client_for("province_officer").get(reverse("units:detail", args=["99001-cu"])))
    assert "hết hiệu lực" in old_page and "30/06/2025" in old_page
    assert reverse("units:detail", args=["99001-cu"]) in html


def test_a_commune_officer_opens_the_units_merged_into_theirs_and_a_neighbour_does_not(
    client_for, world
):
    # Issue 17: the officer of a new commune works on its predecessors' history (this
    # test said the opposite before: name only, no link).
    old = make_unit(
        "Xã An Bình cũ", code="99001-cu", parent=world.province, valid_to=dt.date(2025, 6, 30)
    )
    services.record_succession([old], world.commune_a, SuccessionKind.MERGE, dt.date(2025, 7, 1))
    client = client_for("officer_a")
    html = _html(client.get(reverse("units:detail", args=["99001"])))
    assert old.get_absolute_url() in html
    assert "Xã An Bình cũ" in _html(client.get(old.get_absolute_url()))
    assert client_for("officer_b").get(old.get_absolute_url()).status_code == 404


def test_an_officer_sees_the_province_name_but_no_link_to_it(client_for):
    html = _html(client_for("officer_a").get(reverse("units:detail", args=["99001"])))
    assert "Tỉnh Thử Nghiệm" in html
    assert reverse("units:detail", args=["99"]) not in html


def test_a_province_officer_creates_a_hamlet_on_the_web(client_for, world):
    client = client_for("province_officer")
    assert _html(client.get(reverse("units:create"), {"parent": "99001"}))
    response = client.post(
        reverse("units:create"),
        {"code": "99001-AP9", "name": "Ấp Chín", "kind": "hamlet", "parent": "99001"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="99001-AP9").parent == world.commune_a


def test_the_create_form_shows_the_service_error_on_its_field(client_for):
    response = client_for("province_officer").post(
        reverse("units:create"),
        {"code": "99001-AP1", "name": "Ấp trùng", "kind": "hamlet", "parent": "99001"},
    )
    assert "Đã có đơn vị đang hiệu lực mang mã" in _html(response)


def test_a_reporter_may_not_create_or_edit(client_for):
    client = client_for("officer_a")
    assert client.get(reverse("units:create")).status_code == 403
    assert client.get(reverse("units:edit", args=["99001"])).status_code == 403


def test_editing_an_official_unit_keeps_its_code(client_for, world):
    client = client_for("province_officer")
    assert _html(client.get(reverse("units:edit", args=["99001"])))
    response = client.post(
        reverse("units:edit", args=["99001"]),
        {
            "code": "12345",
            "name": "Xã An Bình",
            "kind": "commune",
            "parent": "99",
            "population": "15000",
        },
    )
    assert response.status_code == 302
    world.commune_a.refresh_from_db()
    assert (world.commune_a.code, world.commune_a.population) == ("99001", 15000)


def test_the_import_page_previews_then_imports(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("province_officer")
    assert _html(client.get(reverse("units:import")))
    content = csv_bytes([["99001-AP7", "Ấp Bảy", "ấp", "99001", "700", "", "", ""]])
    upload = SimpleUploadedFile("don-vi.csv", content, content_type="text/csv")
    html = _html(client.post(reverse("units:import"), {"file": upload, "action": "check"}))
    assert "1 đơn vị sẽ được tạo" in html and "Ấp Bảy" in html
    assert not Unit.objects.filter(code="99001-AP7").exists()
    response = client.post(reverse("units:import"), {"action": "confirm"})
    assert response.status_code == 302
    assert Unit.objects.get(code="99001-AP7").population == 700


def test_the_import_page_lists_errors_by_row_and_column(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv_bytes([["AP-1", "", "ấp", "88888", "", "", "", ""]])
    upload = SimpleUploadedFile("don-vi.csv", content)
    html = _html(client_for("province_officer").post(reverse("units:import"), {"file": upload}))
    assert "Dòng 2, cột “Tên”" in html and "Dòng 2, cột “Mã cấp trên”" in html
    assert "Xác nhận nhập" not in html


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_downloads(client_for, fmt):
    response = client_for("province_officer").get(reverse("units:import_template", args=[fmt]))
    assert response.status_code == 200
    assert f"mau-nhap-don-vi.{fmt}" in response["Content-Disposition"]


def test_groups_are_listed_and_managed_on_the_web(client_for, world):
    client = client_for("province_officer")
    response = client.post(
        reverse("units:group_list"),
        {"code": "XA-TD", "name": "Xã thí điểm", "owner_unit": "99"},
    )
    assert response.status_code == 302
    client.post(
        reverse("units:group_detail", args=["XA-TD"]), {"action": "add", "codes": "99001, 99002"}
    )
    html = _html(client.get(reverse("units:group_detail", args=["XA-TD"])))
    assert "Xã An Bình" in html and "Phường Đông Hòa" in html
    client.post(
        reverse("units:group_detail", args=["XA-TD"]), {"action": "remove", "codes": "99002"}
    )
    assert list(world.province.owned_groups.get().units.values_list("code", flat=True)) == ["99001"]
    assert "Xã thí điểm" in _html(client.get(reverse("units:group_list")))


def test_a_viewer_cannot_change_a_group(client_for, world):
    make_group(world.admin, world.province, code="XA-TD")
    response = client_for("viewer").post(
        reverse("units:group_detail", args=["XA-TD"]), {"action": "add", "codes": "99001"}
    )
    assert response.status_code == 403
