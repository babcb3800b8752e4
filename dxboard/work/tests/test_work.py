"""The work page ("Việc của tôi"): each persona's items, the "nhắc" button, reminder days, API."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from dxboard.feedback.tests.factories import make_report
from dxboard.reporting.models import ReminderKind, ReminderLog, ReminderSetting
from dxboard.reporting.tests.factories import OPEN_PERIOD, make_form
from dxboard.work.services import my_work

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _keys(section) -> list[tuple[str, str, str]]:
    return [(i["form"], i["unit"], i["period"]) for i in section.as_dict()["items"]]


def test_a_commune_officer_sees_forms_due_late_reports_and_targets_at_risk(world, scene):
    work = my_work(world.officer_a, now=NOW)
    due = work.forms_due.as_dict()["items"]
    late = [i for i in due if i["late"]]
    assert [(i["form"], i["unit"], i["period"]) for i in late] == [("BM-T", "99001", "2024Q1")]
    assert late[0]["deadline"] == "2024-03-20" and late[0]["daysLeft"] == -5
    assert ("BM-2", "99001", "2024Q1") not in _keys(work.forms_due)  # submitted
    assert work.returned.total == 0 and work.to_approve.total == 0
    assert work.late_units.total == 0 and not work.can_remind
    reports = work.field_reports.as_dict()["items"]
    assert [r["publicId"] for r in reports] == [scene["report"].public_id]
    risks = work.targets_at_risk.as_dict()["items"]
    assert [(r["programme"], r["unit"], r["indicator"]) for r in risks] == [
        ("CT-CDS", "99001", "R")
    ]
    assert risks[0]["finalTarget"] == 90 and risks[0]["projectedAchievement"] < 100


def test_a_report_returned_goes_to_its_unit_with_the_reason(world, scene):
    work = my_work(world.officer_b, now=NOW)
    returned = work.returned.as_dict()["items"]
    assert _keys(work.returned) == [("BM-T", "99002", "2024Q1")]
    assert returned[0]["returnedReason"] == "Thiếu số hồ sơ tháng 3."
    assert ("BM-T", "99002", "2024Q1") not in _keys(work.forms_due)
    assert work.field_reports.total == 0 and work.targets_at_risk.total == 0


def test_the_approver_sees_what_waits_for_approval(world, scene):
    work = my_work(world.approver_a, now=NOW)
    assert _keys(work.to_approve) == [("BM-2", "99001", "2024Q1")]
    assert work.forms_due.total == 0  # an approver does not enter the figures


def test_the_province_officer_sees_late_units_to_chase(world, scene):
    work = my_work(world.province_officer, now=NOW)
    late = _keys(work.late_units)
    assert ("BM-T", "99001", "2024Q1") in late and ("BM-T", "99002", "2024Q1") in late
    assert ("BM-2", "99001", "2024Q1") not in late  # submitted
    assert work.can_remind and work.can_set_reminders
    assert work.forms_due.total == 0  # entering a commune's report is not their own work


def test_the_number_of_queries_does_not_grow_with_forms_and_reports(
    world, scene, django_assert_max_num_queries
):
    my_work(world.province_officer, now=NOW)
    with django_assert_max_num_queries(30) as few:
        my_work(world.officer_a, now=NOW)
    for n in range(6):
        make_form(world.province, f"BM-X{n}")
        make_report(world, category=scene["report"].category, unit=world.commune_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        work = my_work(world.officer_a, now=NOW)
    assert work.forms_due.total >= 8
    with django_assert_max_num_queries(30):
        my_work(world.province_officer, now=NOW)


# --- pages ---------------------------------------------------------------------------------


def test_the_work_page_lists_the_items_with_their_links(client, world, scene):
    client.force_login(world.officer_a)
    page = client.get(reverse("work:index")).content.decode()
    assert "Việc của tôi" in page and "Báo cáo phải nộp" in page
    assert reverse("reporting:entry", args=["BM-T", "99001", "2024Q1"]) in page
    assert "hạn nộp 20/03/2024" in page and "Quá hạn" in page
    assert reverse("feedback:report_detail", args=[scene["report"].pk]) in page
    assert "Chỉ tiêu có nguy cơ không đạt" in page and "Chỉ tiêu R" in page
    assert 'action="/work/remind/"' not in page


def test_the_home_page_shows_the_work_summary(client, world, scene):
    client.force_login(world.approver_a)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="work-summary"' in page and reverse("work:index") in page
    assert "báo cáo chờ tôi duyệt" in page


def test_the_remind_button_sends_the_reminder_now_with_a_message(client, world, scene):
    client.force_login(world.province_officer)
    page = client.get(reverse("work:index")).content.decode()
    assert 'action="/work/remind/"' in page and "Nhắc" in page
    data = {"form": "BM-T", "unit": "99001", "period": OPEN_PERIOD}
    response = client.post(reverse("work:remind"), data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã gửi thư nhắc Xã An Bình" in text and "bc@xa-a.vn" in text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bc@xa-a.vn"]
    log = ReminderLog.objects.get()
    assert log.kind == ReminderKind.MANUAL and log.sent_by == world.province_officer
    again = client.post(reverse("work:remind"), data, follow=True).content.decode()
    assert "vừa được nhắc" in again and len(mail.outbox) == 1
    closed = client.post(
        reverse("work:remind"), {**data, "period": "2023Q4"}, follow=True
    ).content.decode()
    assert "Không nhắc được" in closed


def test_the_remind_button_checks_permission_and_csrf(world, scene):
    from django.test import Client

    data = {"form": "BM-T", "unit": "99001", "period": OPEN_PERIOD}
    client = Client()
    client.force_login(world.viewer)
    assert client.post(reverse("work:remind"), data).status_code == 403
    client.force_login(world.officer_b)
    assert client.post(reverse("work:remind"), data).status_code == 404
    assert client.get(reverse("work:remind")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.province_officer)
    assert strict.post(reverse("work:remind"), data).status_code == 403
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_the_reminder_days_page_saves_and_refuses_a_closed_period_naming_the_field(
    client, world, scene
):
    client.force_login(world.province_officer)
    url = reverse("work:reminders")
    page = client.get(url).content.decode()
    assert "BM-T" in page and "Nhắc sau hạn (ngày)" in page
    bad = client.post(url, {"form": "BM-T", "days_before": "3", "days_after": "45"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Lịch nhắc hạn của biểu mẫu BM-T chưa hợp lệ" in text and "đã đóng" in text
    assert 'id="after-BM-T" name="days_after" inputmode="numeric" value="45"' in text
    assert not ReminderSetting.objects.exists()
    good = client.post(url, {"form": "BM-T", "days_before": "5", "days_after": ""}, follow=True)
    assert "Đã lưu lịch nhắc hạn" in good.content.decode()
    setting = ReminderSetting.objects.get(form=scene["form"])
    assert (setting.days_before, setting.days_after) == (5, None)


def test_the_reminder_days_page_is_for_the_issuing_unit(client, world, scene):
    client.force_login(world.officer_a)
    assert client.get(reverse("work:reminders")).status_code == 403


# --- API -----------------------------------------------------------------------------------


def test_the_api_gives_the_same_items_in_camel_case(client, world, scene):
    client.force_login(world.officer_b)
    response = client.get("/api/v1/me/work")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert set(body) >= {"formsDue", "returned", "toApprove", "fieldReports", "targetsAtRisk"}
    assert body["returned"]["items"][0]["returnedReason"] == "Thiếu số hồ sơ tháng 3."
    assert body["returned"]["items"][0]["periodLabel"] == "Quý I/2024"


def test_the_api_needs_a_login(client):
    response = client.get("/api/v1/me/work")
    assert response.status_code == 401
    assert json.loads(response.content)["error"]["code"] == "unauthorized"


def test_the_api_is_in_the_openapi_schema(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    operation = schema["paths"]["/api/v1/me/work"]["get"]
    assert operation["summary"] == "Việc của tôi"
    assert "401" in operation["responses"]


def test_near_its_deadline_counts_working_hours_over_a_weekend(world):
    from dxboard.feedback import services as feedback
    from dxboard.feedback.models import Severity
    from dxboard.feedback.tests.factories import make_category

    friday = NOW.replace(day=22, hour=16)  # Friday 22/03/2024, 16:00
    category = make_category("TTDT", name="Trật tự đô thị")  # urgent 4 h, normal 16 h
    urgent = make_report(world, category=category, unit=world.commune_a)
    feedback.accept(world.officer_a, urgent, severity=Severity.URGENT, now=friday)
    normal = make_report(world, category=category, unit=world.commune_a)
    feedback.accept(world.officer_a, normal, severity=Severity.NORMAL, now=friday)
    work = my_work(world.officer_a, now=friday)
    # Due on Monday morning, within a working day although three calendar days away;
    # the normal one (16 working hours) is not near yet.
    assert [r["publicId"] for r in work.field_reports.as_dict()["items"]] == [urgent.public_id]


def test_the_api_answers_a_personal_token_in_bounded_queries(
    client, world, scene, django_assert_max_num_queries
):
    from dxboard.accounts.services import create_token

    _token, key = create_token(world.approver_a, "Ứng dụng di động")
    with django_assert_max_num_queries(40):
        response = client.get("/api/v1/me/work", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert [(i["form"], i["unit"]) for i in body["toApprove"]["items"]] == [("BM-2", "99001")]
    assert body["toApprove"]["total"] == 1 and body["formsDue"]["total"] == 0


def test_the_reminder_days_page_opens_without_forms_for_who_may_issue_them(client, world):
    client.force_login(world.province_officer)
    page = client.get(reverse("work:reminders")).content.decode()
    assert 'data-testid="no-forms"' in page
    client.force_login(world.admin)
    assert client.get(reverse("work:reminders")).status_code == 200
