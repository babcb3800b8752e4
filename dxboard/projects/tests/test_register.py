"""Project register rules, derived overdue, summaries, permissions, Excel, API and pages."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dxboard.errors import Forbidden, InvalidInput, NotFound
from dxboard.projects import excel, services
from dxboard.projects.models import OVERDUE, Item, ItemUpdate
from dxboard.projects.tests.factories import make_item, make_plan

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)


# --- rules ---------------------------------------------------------------------------------


def test_it_rejects_a_deadline_before_the_start(world):
    plan = make_plan(world.province)
    with pytest.raises(InvalidInput) as error:
        make_item(plan, world.agency, start_date=date(2025, 6, 1), deadline=date(2025, 5, 1))
    assert "trước ngày bắt đầu" in error.value.message


def test_the_database_enforces_deadline_and_progress_bounds(world):
    item = make_item(make_plan(world.province), world.agency)
    for field, value in (("deadline", date(2024, 1, 1)), ("progress", 101)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Item.objects.filter(pk=item.pk).update(**{field: value})


@pytest.mark.parametrize("progress", [-1, 101])
def test_it_rejects_progress_out_of_bounds(world, progress):
    item = make_item(make_plan(world.province), world.agency)
    with pytest.raises(InvalidInput):
        services.update_item(world.province_officer, item, progress=progress)


def test_overdue_is_derived_not_stored(world):
    plan = make_plan(world.province)
    late = make_item(plan, world.agency, deadline=date(2025, 12, 31), status="in_progress")
    done = make_item(plan, world.agency, deadline=date(2025, 12, 31), status="done")
    cancelled = make_item(plan, world.agency, deadline=date(2025, 6, 30), status="cancelled")
    future = make_item(plan, world.agency, deadline=date(2026, 6, 30))
    states = dict(Item.objects.with_state(TODAY).values_list("pk", "state"))
    assert states == {
        late.pk: OVERDUE,
        done.pk: "done",
        cancelled.pk: "cancelled",
        future.pk: "not_started",
    }
    assert Item.objects.get(pk=late.pk).status == "in_progress"
    assert dict(Item.objects.with_state(date(2025, 6, 1)).values_list("pk", "state"))[late.pk] == (
        "in_progress"
    )


def test_every_change_is_logged_and_overspending_needs_a_confirmation(world):
    item = make_item(make_plan(world.province), world.agency, planned_budget=100)
    logged = item.updates.count()
    # Issue 18: disbursed above planned was saved with a mere notice.
    with pytest.raises(InvalidInput) as error:
        services.update_item(world.province_officer, item, disbursed_budget=150)
    assert error.value.details[0].path == "disbursed_budget"
    assert "Xác nhận giải ngân vượt kế hoạch" in error.value.message
    item.refresh_from_db()
    assert item.disbursed_budget == 0 and item.updates.count() == logged
    services.update_item(
        world.province_officer, item, status="in_progress", progress=40, disbursed_budget=150,
        note="Đã ký hợp đồng", confirm_over_budget=True,
    )  # fmt: skip
    item.refresh_from_db()
    log = item.updates.first()
    assert (log.old_status, log.new_status, log.old_progress, log.new_progress) == (
        "not_started", "in_progress", 0, 40,
    )  # fmt: skip
    assert (log.new_disbursed, log.note, log.user) == (
        150,
        "Đã ký hợp đồng",
        world.province_officer,
    )
    assert services.warnings_for(item)
    assert ItemUpdate.objects.filter(item=item).count() == 2
    # A later change that leaves the budgets alone needs no new confirmation.
    assert services.update_item(world.province_officer, item, progress=45).progress == 45


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(56800000000, 56_800_000_000), ("56.800.000.000", 56_800_000_000),
     (56800000000.0, 56_800_000_000), ("56 800 000 000", 56_800_000_000), ("", 0)],
)  # fmt: skip
def test_it_accepts_budgets_in_dong(raw, expected):
    assert services.parse_budget(raw) == expected


@pytest.mark.parametrize("raw", ["56,8 tỷ", "56,8", "1.5", "-3", "năm tỷ"])
def test_it_refuses_budgets_not_in_dong(raw):
    with pytest.raises(ValueError, match="đồng"):
        services.parse_budget(raw)


# --- permissions ---------------------------------------------------------------------------


def test_officer_b_cannot_see_or_edit_commune_as_item(world):
    item = make_item(make_plan(world.province), world.commune_a)
    with pytest.raises(NotFound):
        services.get_item(world.officer_b, item.pk)
    with pytest.raises(NotFound):
        services.update_item(world.officer_b, item, progress=10)
    assert services.get_item(world.officer_a, item.pk) == item
    services.update_item(world.officer_a, item, progress=10)


def test_a_viewer_reads_but_cannot_edit(world):
    item = make_item(make_plan(world.province), world.agency)
    assert services.get_item(world.viewer, item.pk)
    with pytest.raises(Forbidden):
        services.update_item(world.viewer, item, progress=10)


def test_a_coordinating_agency_sees_the_item(world):
    item = make_item(make_plan(world.province), world.commune_a, coordinating=[world.commune_b])
    assert services.get_item(world.officer_b, item.pk) == item
    with pytest.raises(Forbidden):
        services.update_item(world.officer_b, item, progress=10)


# --- summaries -----------------------------------------------------------------------------


def test_summary_matches_hand_computed_totals(world):
    plan = make_plan(world.province)
    make_item(plan, world.agency, status="done", planned_budget=10, disbursed_budget=9)
    make_item(plan, world.commune_a, status="in_progress", planned_budget=20, disbursed_budget=5)
    make_item(plan, world.commune_b, planned_budget=30, deadline=date(2026, 6, 30))
    make_item(plan, world.commune_a, planned_budget=99, start_date=date(2024, 1, 1),
              deadline=date(2024, 12, 31))  # fmt: skip
    assert services.summary(world.admin, world.province, 2025, today=TODAY).as_api() == {
        "count": 3, "done": 1, "overdue": 1, "plannedBudget": 60, "disbursedBudget": 14,
    }  # fmt: skip
    assert services.summary(world.officer_a, world.commune_a, 2025, today=TODAY).as_api() == {
        "count": 1, "done": 0, "overdue": 1, "plannedBudget": 20, "disbursedBudget": 5,
    }  # fmt: skip
    assert services.summary(world.admin, world.province, None, today=TODAY).count == 4
    with pytest.raises(NotFound):
        services.summary(world.officer_b, world.commune_a, 2025)


def test_the_demo_totals_18_items_and_56_8_billion(world):
    from dxboard.projects import demo

    demo.load_demo(world.province, stdout=io.StringIO())
    demo.load_demo(world.province, stdout=io.StringIO())
    totals = services.summary(world.admin, world.province)
    assert totals.count == 18 and totals.planned_budget == 56_800_000_000
    assert 1 <= totals.overdue <= 5
    assert ItemUpdate.objects.count() == 35


# --- Excel ---------------------------------------------------------------------------------


def _sheet(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH MỤC NHIỆM VỤ, DỰ ÁN"])
    sheet.append(excel.HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _row(n, plan, code, **over):
    row = {
        "plan": getattr(plan, "code", plan), "kind": "Dự án", "code": code, "name": f"Dự án {code}",
        "lead": "SKHCN", "coordinating": "99001; 99002", "start": "01/02/2025",
        "deadline": date(2025, 11, 30), "status": "Đang thực hiện", "progress": 30,
        "planned": "56.800.000.000", "disbursed": 1_000_000_000, "source": "Ngân sách tỉnh",
    } | over  # fmt: skip
    return [n, *row.values()]


def test_excel_round_trip_with_a_real_file(world):
    plan = make_plan(world.province, code="KH-2025")
    rows = [_row(1, plan, "DA-01"), _row(2, plan, "NV-01", kind="Nhiệm vụ", lead="99001",
            coordinating="", status="", progress="", planned=250_000_000, disbursed="")]  # fmt: skip
    result = excel.import_items(world.province_officer, _sheet(rows))
    assert (result.created, result.updated) == (2, 0)
    item = Item.objects.get(code="DA-01")
    assert item.planned_budget == 56_800_000_000 and item.start_date == date(2025, 2, 1)
    assert sorted(u.code for u in item.coordinating_agencies.all()) == ["99001", "99002"]
    assert item.updates.get().note == "Nhập từ Excel"
    content = excel.export_items(world.province_officer, services.item_list(world.province_officer))
    exported = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(exported[2]) == excel.HEADERS
    by_code = {r[3]: r for r in exported[3:]}
    assert by_code["DA-01"][1:] == (
        "KH-2025", "Dự án", "DA-01", "Dự án DA-01", "SKHCN", "99001; 99002",
        by_code["DA-01"][7], by_code["DA-01"][8], "Đang thực hiện", 30, 56_800_000_000,
        1_000_000_000, "Ngân sách tỉnh",
    )  # fmt: skip
    assert by_code["DA-01"][7].date() == date(2025, 2, 1)
    assert by_code["NV-01"][5] == "99001" and by_code["NV-01"][11] == 250_000_000
    # The exported file imports back as updates, changing nothing.
    again = excel.import_items(world.province_officer, io.BytesIO(content))
    assert (again.created, again.updated) == (0, 2)
    assert ItemUpdate.objects.count() == 2


def test_bad_excel_rows_get_clear_messages_and_nothing_is_saved(world):
    plan = make_plan(world.province, code="KH-2025")
    rows = [
        _row(1, plan, "DA-01"),
        _row(2, plan, "DA-02", planned="56,8 tỷ"),
        _row(3, plan, "DA-03", start="01/06/2025", deadline="01/05/2025"),
        _row(4, plan, "DA-01"),
        _row(5, plan, "DA-05", lead="KHONGCO", progress=120),
    ]
    with pytest.raises(InvalidInput) as error:
        excel.import_items(world.province_officer, _sheet(rows))
    messages = {d.path: d.message for d in error.value.details}
    assert "56.800.000.000" in messages["Dòng 4, cột “Kinh phí kế hoạch (đồng)”"]
    assert "“56,8 tỷ”" in messages["Dòng 4, cột “Kinh phí kế hoạch (đồng)”"]
    assert "trước ngày bắt đầu" in messages["Dòng 5, cột “Hạn hoàn thành”"]
    assert "trùng với dòng 3" in messages["Dòng 6, cột “Mã”"]
    assert "KHONGCO" in messages["Dòng 7, cột “Cơ quan chủ trì”"]
    assert "Dòng 7, cột “Tiến độ (%)”" in messages
    assert Item.objects.count() == 0


def test_excel_messages_name_the_allowed_values(world):
    plan = make_plan(world.province, code="KH-2025")
    rows = [
        _row(1, plan, "DA-01", kind="", status="Quá hạn"),
        _row(2, plan, "DA-02", source="Ngân sách huyện", start="", progress="33,5"),
        _row(3, "KH-KHONG", "DA-03", lead=""),
    ]
    with pytest.raises(InvalidInput) as error:
        excel.import_items(world.province_officer, _sheet(rows))
    messages = {d.path: d.message for d in error.value.details}
    assert "Nhiệm vụ, Dự án" in messages["Dòng 3, cột “Loại”"]
    assert "tính từ hạn hoàn thành" in messages["Dòng 3, cột “Trạng thái”"]
    assert "Ngân sách tỉnh" in messages["Dòng 4, cột “Nguồn vốn”"]
    assert "chưa ghi ngày" in messages["Dòng 4, cột “Ngày bắt đầu”"]
    assert "số nguyên" in messages["Dòng 4, cột “Tiến độ (%)”"]
    assert "KH-KHONG" in messages["Dòng 5, cột “Kế hoạch”"]
    assert "chưa ghi cơ quan chủ trì" in messages["Dòng 5, cột “Cơ quan chủ trì”"]


def test_an_import_may_not_change_another_agencys_item(world):
    plan = make_plan(world.province, code="KH-2025")
    make_item(plan, world.commune_b, code="DA-B")
    rows = [
        _row(n, plan, code, lead="99001", coordinating="")
        for n, code in enumerate(["DA-A", "DA-B"], start=1)
    ]
    with pytest.raises(InvalidInput) as error:
        excel.import_items(world.officer_a, _sheet(rows))
    assert [d.path for d in error.value.details] == ["Dòng 4, cột “Mã”"]
    assert "không được sửa" in error.value.details[0].message
    assert not Item.objects.filter(code="DA-A").exists()


def test_a_commune_officer_cannot_import_for_another_commune(world):
    plan = make_plan(world.province, code="KH-2025")
    with pytest.raises(InvalidInput) as error:
        excel.import_items(world.officer_b, _sheet([_row(1, plan, "X", lead="99001")]))
    assert "Cơ quan chủ trì" in error.value.details[0].path


# --- API and pages -------------------------------------------------------------------------


def test_api_shapes(world, client_for):
    plan = make_plan(world.province)
    item = make_item(plan, world.commune_a, status="done", planned_budget=5, disbursed_budget=5)
    client = client_for("officer_a")
    assert client.get("/api/v1/projects/summary?unit=99001&year=2025").json() == {
        "count": 1, "done": 1, "overdue": 0, "plannedBudget": 5, "disbursedBudget": 5,
    }  # fmt: skip
    items = client.get("/api/v1/projects/items?unit=99001&year=2025&status=done").json()
    assert [i["id"] for i in items] == [item.pk] and items[0]["status"] == "done"
    detail = client.get(f"/api/v1/projects/items/{item.pk}").json()
    assert detail["updates"][0]["note"] == "Tạo mới" and detail["leadAgency"] == "99001"
    assert client.get("/api/v1/projects/items?status=late").status_code == 400
    assert client_for("officer_b").get(f"/api/v1/projects/items/{item.pk}").status_code == 404


def test_list_page_and_api_do_not_grow_queries_with_items(
    world, client_for, django_assert_max_num_queries
):
    plan = make_plan(world.province)
    for n in range(15):
        make_item(plan, world.agency if n % 2 else world.commune_a, deadline=date(2025, 12, n + 1))
    client = client_for("province_officer")
    # A fixed number: session, user, scopes, items, totals, plans, agencies, buttons.
    with django_assert_max_num_queries(17):
        page = client.get(reverse("projects:project_list"))
    assert page.status_code == 200 and "timeline-chart" in page.text
    assert 'id="overdue-list"' in page.text
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/projects/items").json()) == 15


def test_pages_create_update_and_refuse_a_budget_in_billions(world, client_for):
    make_plan(world.province, code="KH-2025")
    client = client_for("officer_a")
    form = {
        "plan": "KH-2025", "kind": "task", "code": "NV-9", "name": "Số hóa sổ hộ tịch",
        "lead_agency": "99001", "start_date": "2025-02-01", "deadline": "2025-12-31",
        "status": "in_progress", "progress": "10", "planned_budget": "56,8 tỷ",
        "disbursed_budget": "", "budget_source": "local",
    }  # fmt: skip
    response = client.post(reverse("projects:item_create"), form)
    assert response.status_code == 200 and "56.800.000.000" in response.text
    response = client.post(
        reverse("projects:item_create"), form | {"planned_budget": "1.200.000.000"}
    )
    item = Item.objects.get(code="NV-9")
    assert response.status_code == 302 and item.planned_budget == 1_200_000_000
    update = {"status": "done", "progress": "100", "disbursed_budget": "1.300.000.000"}
    response = client.post(reverse("projects:item_update", args=[item.pk]), update)
    assert response.status_code == 200 and "Xác nhận giải ngân vượt kế hoạch" in response.text
    item.refresh_from_db()
    assert item.disbursed_budget == 0
    response = client.post(
        reverse("projects:item_update", args=[item.pk]),
        update | {"note": "Xong", "confirm_over_budget": "on"},
    )
    assert response.status_code == 302
    page = client.get(reverse("projects:item_detail", args=[item.pk])).text
    assert "Xong" in page and "giải ngân lớn hơn" in page


def test_a_budget_above_a_sane_bound_is_refused(world):
    """Issue 18: a disbursed budget of 999.999.999.999.999.999 đ was saved."""
    from dxboard.errors import InvalidInput

    with pytest.raises(ValueError, match="vượt mức hợp lý"):
        services.parse_budget("999.999.999.999.999.999")
    assert services.parse_budget("56.800.000.000") == 56_800_000_000
    item = make_item(make_plan(world.province), world.agency, planned_budget=100)
    with pytest.raises(InvalidInput) as error:
        services.update_item(world.province_officer, item, disbursed_budget=999_999_999_999_999_999)
    assert "vượt mức hợp lý" in error.value.message
    item.refresh_from_db()
    assert item.disbursed_budget == 0


def test_an_excel_row_disbursing_above_planned_is_refused_unless_already_confirmed(world):
    plan = make_plan(world.province, code="KH-2025")
    over = _row(1, plan, "DA-01", planned=100, disbursed=150)
    with pytest.raises(InvalidInput) as error:
        excel.import_items(world.province_officer, _sheet([over]))
    messages = {d.path: d.message for d in error.value.details}
    assert "lớn hơn kinh phí kế hoạch" in messages["Dòng 3, cột “Đã giải ngân (đồng)”"]
    assert not Item.objects.exists()
    excel.import_items(
        world.province_officer, _sheet([_row(1, plan, "DA-01", planned=100, disbursed=0)])
    )
    item = Item.objects.get()
    services.update_item(
        world.province_officer, item, disbursed_budget=150, confirm_over_budget=True
    )
    # The confirmed figures imported back (an exported file) pass.
    excel.import_items(world.province_officer, _sheet([over]))
    assert Item.objects.get().disbursed_budget == 150
