"""Pages of periodic reporting through the test client, and the API through its router."""

from __future__ import annotations

import pytest
from django.urls import reverse
from ninja.testing import TestClient

from dxboard.collection.models import DataValue
from dxboard.reporting.api import router
from dxboard.reporting.models import Submission
from dxboard.reporting.services import workflow
from dxboard.reporting.services.calendar import reporting_period
from dxboard.testing import make_unit
from dxboard.units.models import UnitKind

from .factories import GOOD, OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db
P = OPEN_PERIOD


@pytest.fixture
def form(world):
    return make_form(world.province)


def _entry_url(form, unit="99001"):
    return reverse("reporting:entry", args=[form.code, unit, P])


def _post(form, values, **extra):
    data = {f"v_{code}": value for code, value in values.items()}
    data.update({f"ver_{code}": "0" for code in values})
    data.setdefault("version", "0")
    data.update(extra)
    return data


def test_the_entry_page_shows_the_grid_with_last_periods_value(client_for, world, form):
    from dxboard.collection.values import ValueRow, save_values

    save_values(world.officer_a, [ValueRow("HS-MAU", "2023Q4", "99001", "1500")], "web")
    response = client_for("officer_a").get(_entry_url(form))
    html = response.content.decode()
    assert response.status_code == 200
    assert "I. Dịch vụ công trực tuyến" in html and 'for="f-HS-TU"' in html
    assert "1.500" in html  # last period, Vietnamese grouping
    assert "hồ sơ" in html  # unit of measure
    assert "disabled hidden" in html  # Enter never submits


def test_saving_and_submitting_through_the_page(client_for, world, form):
    client = client_for("officer_a")
    response = client.post(_entry_url(form), _post(form, GOOD, action="save"))
    assert response.status_code == 302
    assert DataValue.objects.get(data_element__code="TYLE").value == 97.5
    submission = Submission.objects.get()
    data = _post(form, GOOD, action="submit", version=str(submission.version))
    data.update({f"ver_{c}": "1" for c in GOOD})
    response = client.post(_entry_url(form), data)
    assert response.status_code == 302
    assert Submission.objects.get().status == "submitted"
    page = client.get(_entry_url(form)).content.decode()
    assert "chỉ xem" in page and "readonly" in page


def test_a_refused_submission_keeps_the_draft_and_lists_the_errors(client_for, world, form):
    client = client_for("officer_a")
    response = client.post(_entry_url(form), _post(form, {"HS-TU": "10"}, action="submit"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Chưa nộp được" in html and "bắt buộc" in html
    assert DataValue.objects.filter(data_element__code="HS-TU").exists()


def test_a_refused_submit_says_plainly_that_the_cleared_field_was_saved(client_for, world, form):
    client = client_for("officer_a")
    client.post(_entry_url(form), _post(form, GOOD, action="save"))
    submission = Submission.objects.get()
    data = _post(form, {**GOOD, "CUOC": ""}, action="submit", version=str(submission.version))
    data.update({f"ver_{c}": "1" for c in GOOD})
    response = client.post(_entry_url(form), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Chưa nộp được" in html
    assert "Đã lưu nháp 1 số liệu vừa sửa; báo cáo chưa được nộp." in html
    assert not DataValue.objects.filter(data_element__code="CUOC").exists()
    assert Submission.objects.get().status == "draft"


def test_a_bad_number_is_shown_on_its_field_and_nothing_is_saved(client_for, world, form):
    response = client_for("officer_a").post(_entry_url(form), _post(form, {**GOOD, "CUOC": "abc"}))
    assert response.status_code == 400
    assert "không phải là số" in response.content.decode()
    assert not DataValue.objects.exists()


def test_the_second_concurrent_save_shows_the_current_figures(client_for, world, form):
    client = client_for("officer_a")
    stale = _post(form, {**GOOD, "CUOC": "8"})
    workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)  # someone else first
    response = client.post(_entry_url(form), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Số liệu đã được người khác thay đổi" in html
    assert 'value="3"' in html and "Bạn đã nhập" in html
    assert DataValue.objects.get(data_element__code="CUOC").value == 3


def test_validation_as_you_type_returns_the_fields_partial(client_for, world, form):
    url = reverse("reporting:validate", args=[form.code, "99001", P, "HS-TU"])
    response = client_for("officer_a").post(
        url, {"v_HS-TU": "3.000", "v_HS-MAU": "2.000"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "lớn hơn" in html
    ok = client_for("officer_a").post(url, {"v_HS-TU": "1.234,5", "v_HS-MAU": "2.000"})
    assert "phải là số nguyên" in ok.content.decode()


def test_the_approver_approves_from_the_page(client_for, world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)
    workflow.submit(world.officer_a, form.code, "99001", P)
    client = client_for("approver_a")
    assert "Duyệt" in client.get(_entry_url(form)).content.decode()
    url = reverse("reporting:review", args=[form.code, "99001", P])
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert Submission.objects.get().status == "approved"


def test_the_history_page_lists_every_change_of_a_field(client_for, world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "3"})
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "5"})
    url = reverse("reporting:history", args=[form.code, "99001", P, "CUOC"])
    html = client_for("officer_a").get(url).content.decode()
    assert "Thêm" in html and "Sửa" in html and "officer_a" in html


def test_the_landing_page_lists_what_to_fill_and_the_overview(client_for, world, form):
    html = client_for("officer_a").get(reverse("reporting:index")).content.decode()
    assert "Báo cáo của đơn vị tôi" in html and "Quý I/2024" in html
    assert "1 biểu mẫu: 0 đã đủ, 1 đang cập nhật." in html


def test_the_form_page_lists_late_units_with_their_contact(client_for, world, form):
    world.commune_b.contact_name = "Nguyễn Văn Bình"
    world.commune_b.contact_phone = "0296 3850 000"
    world.commune_b.save()
    html = (
        client_for("province_officer")
        .get(reverse("reporting:form", args=[form.code]) + f"?period={P}")
        .content.decode()
    )
    assert "Đơn vị trễ hạn hoặc chưa nộp" in html and "Nguyễn Văn Bình" in html


@pytest.mark.parametrize(("persona", "reports_it"), [("officer_a", True), ("viewer", False)])
def test_the_excel_buttons_are_offered_only_to_who_reports_the_form(
    client_for, world, form, persona, reports_it
):
    client = client_for(persona)
    response = client.get(reverse("reporting:form", args=[form.code]) + f"?period={P}")
    assert response.status_code == 200
    excel_url = reverse("reporting:excel", args=[form.code, P])
    assert (excel_url in response.content.decode()) is reports_it
    assert client.get(excel_url).status_code == (200 if reports_it else 404)


def test_list_pages_do_not_run_a_query_per_row(client_for, world, django_assert_max_num_queries):
    for i in range(6):
        make_form(world.province, f"BM-{i}")
    for i in range(10):
        make_unit(f"Xã thêm {i}", parent=world.province, kind=UnitKind.COMMUNE)
    client = client_for("province_officer")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("reporting:index")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("reporting:form", args=["BM-1"])).status_code == 200
    officer = client_for("officer_a")
    with django_assert_max_num_queries(25):
        assert officer.get(reverse("reporting:index")).status_code == 200


# --- API ---------------------------------------------------------------------------------


@pytest.fixture
def api():
    return TestClient(router)


def test_the_api_lists_and_shows_forms(api, world, form):
    forms = api.get("/forms", user=world.officer_a).json()
    assert forms == [
        {"code": "BM-T", "name": "Biểu mẫu thử BM-T", "periodType": "quarter", "active": True}
    ]
    detail = api.get("/forms/BM-T", user=world.officer_a).json()
    assert [f["dataElement"] for f in detail["sections"][0]["fields"]] == ["HS-TU", "HS-MAU"]
    assert detail["currentPeriod"] == reporting_period(form).code


def test_the_api_gives_completeness(api, world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)
    workflow.submit(world.officer_a, form.code, "99001", P)
    body = api.get(f"/forms/BM-T/completeness?period={P}", user=world.province_officer).json()
    assert {k: body[k] for k in ("expected", "submitted", "onTime", "late", "missing")} == {
        "expected": 2,
        "submitted": 1,
        "onTime": 0,
        "late": 1,
        "missing": 1,
    }
    assert {u["code"]: u["status"] for u in body["units"]} == {
        "99001": "submitted",
        "99002": "missing",
    }
    one = api.get(
        f"/forms/BM-T/completeness?period={P}&unit=99002", user=world.province_officer
    ).json()
    assert one["expected"] == 1


def test_the_api_reads_back_a_units_values(api, world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)
    body = api.get(
        f"/forms/BM-T/dataValueSet?period={P}&orgUnit=99001", user=world.officer_a
    ).json()
    assert body["dataSet"] == "BM-T" and body["status"] == "draft"
    assert {v["dataElement"]: v["value"] for v in body["dataValues"]}["TYLE"] == "97.5"


def _api_url(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs)


def test_the_registered_api_hides_another_communes_values(client_for, world, form):
    url = _api_url("get_report_form_values", code=form.code)
    response = client_for("officer_b").get(url, {"period": P, "orgUnit": "99001"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_registered_api_refuses_completeness_of_an_unseen_unit(client_for, world, form):
    url = _api_url("report_form_completeness", code=form.code)
    response = client_for("officer_b").get(url, {"period": P, "unit": "99001"})
    assert response.status_code == 404


def test_the_registered_api_names_a_bad_period(client_for, world, form):
    url = _api_url("report_form_completeness", code=form.code)
    response = client_for("officer_a").get(url, {"period": "2024Q5"})
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["path"] == "period"


def test_province_admins_define_forms_in_the_admin(client_for, world, form):
    client = client_for("admin")
    assert client.get(reverse("admin:reporting_reportform_changelist")).status_code == 200
    change = reverse("admin:reporting_reportform_change", args=[form.pk])
    assert "BM-T" in client.get(change).content.decode()
