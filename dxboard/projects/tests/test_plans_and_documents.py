"""Plans and linked documents: services, pages (with and without htmx) and permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dxboard.errors import Forbidden, InvalidInput, NotFound
from dxboard.projects import services
from dxboard.projects.models import ItemDocument, Plan
from dxboard.projects.tests.factories import make_item, make_plan

pytestmark = pytest.mark.django_db


# --- plans ---------------------------------------------------------------------------------


def test_a_province_officer_creates_a_plan(world):
    plan = services.create_plan(
        world.province_officer, world.province, code="KH-2026", name="Kế hoạch 2026",
        year_from=2026, year_to=2026,
    )  # fmt: skip
    assert plan.owner_unit == world.province and plan.years_label == "2026"


def test_only_dx_officers_and_administrators_create_plans(world):
    with pytest.raises(Forbidden):
        services.create_plan(
            world.officer_a, world.commune_a, code="KH-X", name="X", year_from=2026, year_to=2026
        )
    assert not services.can_create_plan(world.officer_a)
    assert services.can_create_plan(world.province_officer)
    assert list(services.plan_owner_choices(world.officer_b)) == []


def test_it_refuses_a_plan_code_twice_and_years_out_of_order(world):
    make_plan(world.province, code="KH-2026")
    with pytest.raises(InvalidInput) as error:
        services.create_plan(
            world.admin, world.province, code="KH-2026", name="X", year_from=2026, year_to=2026
        )
    assert error.value.details[0].path == "code" and "KH-2026" in error.value.message
    with pytest.raises(InvalidInput) as error:
        services.create_plan(
            world.admin, world.province, code="KH-B", name="X", year_from=2027, year_to=2026
        )
    assert "Năm kết thúc" in error.value.message


def test_the_plan_page_creates_a_plan_and_shows_its_list(world, client_for):
    client = client_for("province_officer")
    page = client.get(reverse("projects:plan_create"))
    assert page.status_code == 200 and "Tỉnh Thử Nghiệm" in page.text
    form = {
        "owner_unit": "99", "code": "KH-CDS-2026", "name": "Kế hoạch chuyển đổi số năm 2026",
        "year_from": "2026", "year_to": "2026", "legal_reference": "Kế hoạch số 10/KH-UBND",
    }  # fmt: skip
    response = client.post(reverse("projects:plan_create"), form | {"year_to": "2025"})
    assert response.status_code == 200 and "Năm kết thúc" in response.text
    response = client.post(reverse("projects:plan_create"), form)
    assert response.status_code == 302 and response["Location"].endswith("?plan=KH-CDS-2026")
    assert Plan.objects.get(code="KH-CDS-2026").legal_reference == "Kế hoạch số 10/KH-UBND"
    response = client.post(reverse("projects:plan_create"), form)
    assert response.status_code == 200 and "Đã có kế hoạch mang mã" in response.text
    # The new plan is offered when adding an item, already chosen.
    page = client.get(reverse("projects:item_create") + "?plan=KH-CDS-2026").text
    assert '<option value="KH-CDS-2026" selected>' in page


def test_a_plan_can_be_issued_by_a_commune_not_only_the_first_unit_listed(world, client_for):
    # Regression: the owner was looked up with a `pop` inside the search, so any unit but
    # the first in the list raised a KeyError (500).
    client = client_for("province_officer")
    form = {
        "owner_unit": world.commune_a.code, "code": "KH-XA-2026", "name": "Kế hoạch của xã",
        "year_from": "2026", "year_to": "2026",
    }  # fmt: skip
    response = client.post(reverse("projects:plan_create"), form)
    assert response.status_code == 302
    assert Plan.objects.get(code="KH-XA-2026").owner_unit == world.commune_a


def test_a_commune_reporter_gets_no_plan_page(world, client_for):
    assert client_for("officer_a").get(reverse("projects:plan_create")).status_code == 404
    page = client_for("officer_a").get(reverse("projects:project_list")).text
    assert reverse("projects:plan_create") not in page


# --- documents -----------------------------------------------------------------------------


def test_it_links_a_document_and_logs_it(world):
    item = make_item(make_plan(world.province), world.commune_a)
    document = services.add_document(
        world.officer_a, item, number=" 12/QĐ-UBND ", title="Quyết định  phê duyệt"
    )
    assert (document.number, document.title) == ("12/QĐ-UBND", "Quyết định phê duyệt")
    assert item.updates.first().note == "Thêm văn bản 12/QĐ-UBND"


def test_only_editors_link_documents(world):
    item = make_item(make_plan(world.province), world.commune_a)
    with pytest.raises(NotFound):
        services.add_document(world.officer_b, item, number="1", title="X")
    with pytest.raises(Forbidden):
        services.add_document(world.viewer, item, number="1", title="X")
    with pytest.raises(InvalidInput):
        services.add_document(world.officer_a, item, number="1", title="X", url="không phải url")
    assert not ItemDocument.objects.exists()


def test_the_document_form_works_without_javascript(world, client_for):
    item = make_item(make_plan(world.province), world.commune_a)
    client = client_for("officer_a")
    url = reverse("projects:document_add", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"number": "", "title": "Thiếu số hiệu"})
    assert response.status_code == 200 and "is-invalid" in response.text
    response = client.post(
        url, {"number": "45/HĐ", "date": "2025-03-02", "title": "Hợp đồng thi công",
              "url": "vanban.angiang.gov.vn/45"},
    )  # fmt: skip
    assert response.status_code == 302
    document = item.documents.get()
    assert document.url == "https://vanban.angiang.gov.vn/45"
    page = client.get(reverse("projects:item_detail", args=[item.pk])).text
    assert "Hợp đồng thi công" in page and "Thêm văn bản 45/HĐ" in page


def test_the_document_form_swaps_the_list_with_htmx(world, client_for):
    item = make_item(make_plan(world.province), world.commune_a)
    client = client_for("officer_a")
    url = reverse("projects:document_add", args=[item.pk])
    response = client.post(url, {"number": "7/QĐ", "title": "Quyết định"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="documents"' in response.text and "Đã thêm văn bản 7/QĐ." in response.text
    # The update log is refreshed out of band, with the new entry.
    assert 'id="update-log" hx-swap-oob="true"' in response.text
    assert "Thêm văn bản 7/QĐ" in response.text
    response = client.post(url, {"number": "8/QĐ", "title": ""}, HTTP_HX_REQUEST="true")
    assert "is-invalid" in response.text and "hx-swap-oob" not in response.text
    assert item.documents.count() == 1


def test_a_viewer_sees_documents_but_no_form(world, client_for):
    item = make_item(make_plan(world.province), world.commune_a)
    services.add_document(world.officer_a, item, number="9/QĐ", title="Quyết định")
    page = client_for("viewer").get(reverse("projects:item_detail", args=[item.pk])).text
    assert "9/QĐ" in page and reverse("projects:document_add", args=[item.pk]) not in page
    url = reverse("projects:document_add", args=[item.pk])
    assert client_for("viewer").post(url, {"number": "1", "title": "X"}).status_code == 404


def test_budget_inputs_show_groups_of_thousands(world, client_for):
    item = make_item(make_plan(world.province), world.commune_a, planned_budget=4_300_000_000)
    page = client_for("officer_a").get(reverse("projects:item_edit", args=[item.pk])).text
    assert 'value="4.300.000.000"' in page


def test_editing_keeps_a_coordinating_agency_the_editor_cannot_see(world, client_for):
    plan = make_plan(world.province, code="KH-2025")
    item = make_item(plan, world.commune_a, coordinating=[world.commune_b])
    client = client_for("officer_a")
    page = client.get(reverse("projects:item_edit", args=[item.pk])).text
    assert '<option value="99002" selected>' in page
    form = {
        "plan": "KH-2025", "kind": "project", "code": item.code, "name": "Dự án đổi tên",
        "lead_agency": "99001", "coordinating": ["99002"], "start_date": "2025-01-01",
        "deadline": "2025-12-31", "status": "in_progress", "progress": "20",
        "planned_budget": "1.000.000.000", "disbursed_budget": "0", "budget_source": "local",
    }  # fmt: skip
    response = client.post(reverse("projects:item_edit", args=[item.pk]), form)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "Dự án đổi tên"
    assert [u.code for u in item.coordinating_agencies.all()] == ["99002"]
