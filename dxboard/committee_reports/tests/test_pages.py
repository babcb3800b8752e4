"""The pages through the test client: draft, background generation, issue, downloads,
and the Excel exports of the tables people see."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from dxboard.committee_reports.models import CommitteeReport, GenerationJob, JobStatus
from dxboard.committee_reports.tests.factories import make_report
from dxboard.feedback.models import Status
from dxboard.feedback.tests.factories import at, make_category, walk_to
from dxboard.feedback.tests.factories import make_report as make_field_report

pytestmark = pytest.mark.django_db


def test_an_officer_drafts_generates_and_issues_a_report_on_the_web(client_for, world):
    client = client_for("province_officer")
    from dxboard.evaluation.tests.web_factories import web_programme

    web_programme()
    page = client.get(reverse("committee_reports:index"))
    assert "Lập báo cáo mới" in page.content.decode()
    created = client.post(
        reverse("committee_reports:create"),
        {"programme": "CT-WEB", "unit": "99", "period": "2024Q1", "from_previous": "on"},
    )
    report = CommitteeReport.objects.get()
    assert created["Location"] == report.get_absolute_url()
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "Kết quả thực hiện chuyển đổi số quý I năm 2024" in detail
    assert "86,7" in detail  # the appendix preview
    saved = client.post(
        reverse("committee_reports:save", args=[report.pk]),
        {
            "subject": report.subject,
            "shortcomings": "Hạ tầng còn hạn chế.",
            "directions": "Tiếp tục triển khai.",
            "signer_authority": "KT. TRƯỞNG BAN",
            "signer_title": "PHÓ TRƯỞNG BAN",
            "signer_name": "Nguyễn Văn An",
            "recipients": "UBND tỉnh",
        },
    )
    assert saved.status_code == 302
    # Background generation (the immediate backend in tests): the job ends with the file.
    generated = client.post(reverse("committee_reports:generate", args=[report.pk, "docx"]))
    job = GenerationJob.objects.get()
    assert generated["Location"].endswith(f"?job={job.pk}#job")
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    state = client.get(
        reverse("committee_reports:job", args=[report.pk, job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "tệp đã sẵn sàng" in state and "hx-trigger" not in state
    file = client.get(reverse("committee_reports:job_download", args=[report.pk, job.pk]))
    assert file.content[:2] == b"PK"
    assert "du-thao.docx" in file["Content-Disposition"]
    assert (
        client.get(reverse("committee_reports:download", args=[report.pk, "pdf"])).status_code
        == 404
    )
    issued = client.post(reverse("committee_reports:issue", args=[report.pk]), follow=True)
    assert "Đã ban hành báo cáo số 01/BC-BCĐ" in issued.content.decode()
    again = client.post(reverse("committee_reports:issue", args=[report.pk]), follow=True)
    assert "không ban hành lại" in again.content.decode()
    pdf = client.get(reverse("committee_reports:download", args=[report.pk, "pdf"]))
    assert pdf.content[:4] == b"%PDF" and "so-01-" in pdf["Content-Disposition"]
    listing = client.get(reverse("committee_reports:index")).content.decode()
    assert "01/BC-BCĐ" in listing and "province_officer" in listing


def test_a_running_job_keeps_polling_and_a_failed_one_says_why(client_for, world):
    report = make_report(world)
    client = client_for("province_officer")
    job = GenerationJob.objects.create(
        report=report,
        format="pdf",
        requested_by=world.province_officer,
        progress=40,
        status=JobStatus.RUNNING,
        step="Tổng hợp biểu mẫu báo cáo",
    )
    url = reverse("committee_reports:job", args=[report.pk, job.pk])
    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="load delay:1s"' in running and 'value="40"' in running
    GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, step="Lỗi thử")
    failed = client.get(url).content.decode()
    assert "Lỗi thử" in failed and "hx-trigger" not in failed


def test_a_bad_narrative_is_shown_on_the_form_and_nothing_is_saved(client_for, world):
    report = make_report(world)
    client = client_for("province_officer")
    response = client.post(
        reverse("committee_reports:save", args=[report.pk]),
        {"subject": "Báo cáo", "shortcomings": "y" * 50_000, "directions": ""},
    )
    assert response.status_code == 400
    assert "tối đa 20.000 ký tự (đã nhập 50.000)" in response.content.decode()
    assert CommitteeReport.objects.get(pk=report.pk).shortcomings != "y" * 50_000


def test_a_bad_period_on_the_create_form_names_the_field(client_for, world):
    from dxboard.evaluation.tests.web_factories import web_programme

    web_programme()
    response = client_for("province_officer").post(
        reverse("committee_reports:create"),
        {"programme": "CT-WEB", "unit": "99", "period": "2024Q9"},
    )
    assert response.status_code == 400
    assert "quý phải từ Q1 đến Q4" in response.content.decode()


def test_the_list_page_reads_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    from dxboard.committee_reports import services

    report = make_report(world)
    services.issue(world.province_officer, report)
    for period in ("2024Q2", "2024Q3", "2024Q4"):
        make_report(world, period=period)
    client = client_for("viewer")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("committee_reports:index"))
    assert page.status_code == 200 and "01/BC-BCĐ" in page.content.decode()


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_indicator_table_exports_real_numbers_with_the_unit_and_period_in_the_title(
    client_for, world
):
    make_report(world)
    response = client_for("viewer").get(
        reverse("committee_reports:export_indicators", args=["CT-WEB"]),
        {"unit": "99", "period": "2024Q1"},
    )
    sheet = _sheet(response)
    assert sheet["A1"].value == "Kết quả thực hiện chỉ tiêu – Tỉnh Thử Nghiệm – Quý I/2024"
    assert sheet.freeze_panes == "A4"
    assert [c.value for c in sheet[3]][:4] == ["Mã", "Chỉ tiêu", "Đơn vị tính", "Thực hiện"]
    first = [c for c in sheet[4]]
    assert first[0].value == "CQ-T1"
    assert isinstance(first[3].value, float) and round(first[3].value, 2) == 69.36
    assert first[5].number_format == "#,##0.0" and round(first[5].value, 1) == 86.7
    assert sheet.column_dimensions["B"].width >= len("Chỉ tiêu CQ-T1")


def test_the_ranking_exports_each_child_unit(client_for, world):
    make_report(world)
    response = client_for("province_officer").get(
        reverse("committee_reports:export_ranking", args=["CT-WEB"]),
        {"unit": "99", "period": "2024Q1", "indicator": "CQ-T1"},
    )
    sheet = _sheet(response)
    assert "Chỉ tiêu CQ-T1 – Tỉnh Thử Nghiệm – Quý I/2024" in sheet["A1"].value
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    # As on the dashboard: communes ranked among themselves, departments on their own tab.
    assert [r[2] for r in rows] == ["Xã An Bình", "Phường Đông Hòa"]
    assert rows[0][0] == 1 and round(rows[0][3], 2) == 82.27
    departments = client_for("province_officer").get(
        reverse("committee_reports:export_ranking", args=["CT-WEB"]),
        {"unit": "99", "period": "2024Q1", "indicator": "CQ-T1", "rank_kind": "department"},
    )
    rows = [[c.value for c in row] for row in _sheet(departments).iter_rows(min_row=4)]
    # A unit without a figure is listed, unranked.
    assert [r[2] for r in rows] == ["Sở Khoa học và Công nghệ"]
    assert rows[0][0] is None and rows[0][3] is None


def test_an_export_of_a_unit_out_of_reach_is_not_found_and_a_bad_period_is_a_400(client_for, world):
    make_report(world)
    url = reverse("committee_reports:export_indicators", args=["CT-WEB"])
    client = client_for("officer_b")
    assert client.get(url, {"unit": "99001", "period": "2024Q1"}).status_code == 404
    bad = client.get(url, {"unit": "99002", "period": "2024Q9"})
    assert bad.status_code == 400 and "Q1 đến Q4" in bad.content.decode()


def test_the_completeness_of_a_form_exports_each_expected_unit(client_for, world):
    from dxboard.reporting.tests.factories import OPEN_PERIOD, make_form

    form = make_form(world.province)
    response = client_for("province_officer").get(
        reverse("committee_reports:export_completeness", args=[form.code]), {"period": OPEN_PERIOD}
    )
    sheet = _sheet(response)
    assert sheet["A1"].value.startswith("Tình hình nộp biểu mẫu Biểu mẫu thử BM-T – Quý")
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(names) == sorted(["Xã An Bình", "Phường Đông Hòa"])
    assert {row[2] for row in sheet.iter_rows(min_row=4, values_only=True)} == {"Chưa nộp"}


def test_the_field_report_statistics_export_has_formatted_numbers_and_a_titled_header(
    client_for, world
):
    category = make_category(agency=world.agency)
    report = make_field_report(world, category=category, now=at(2026, 2, 5, 9))
    walk_to(report, Status.RESOLVED, world.handler, now=at(2026, 2, 5, 10))
    response = client_for("viewer").get(
        reverse("feedback:stats"), {"format": "xlsx", "period": "2026", "unit": "99"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    total = workbook["Tổng hợp"]
    assert total["A1"].value == "Thống kê phản ánh hiện trường – Tỉnh Thử Nghiệm – Năm 2026"
    assert total.freeze_panes == "A4"
    assert total["A4"].value == 1 and total["A4"].number_format == "#,##0"
    assert total["D4"].value == 100.0 and total["D4"].number_format == "#,##0.0"
    by_unit = workbook["Theo xã, phường"]
    assert by_unit["B4"].value == "Xã An Bình" and by_unit.freeze_panes == "A4"


def test_a_public_programmes_tables_export_without_an_account(client, world):
    from dxboard.evaluation.tests.web_factories import web_programme

    web_programme(public=True, code="CT-CONG")
    url = reverse("committee_reports:export_indicators", args=["CT-CONG"])
    assert client.get(url, {"unit": "99", "period": "2024Q1"}).status_code == 200
    ranking = reverse("committee_reports:export_ranking", args=["CT-CONG"])
    assert client.get(ranking, {"unit": "99", "period": "2024Q1"}).status_code == 200


def test_the_dashboard_and_the_form_page_link_to_their_exports(client_for, world):
    from dxboard.evaluation.tests.web_factories import web_programme
    from dxboard.reporting.tests.factories import make_form

    web_programme()
    client = client_for("province_officer")
    page = client.get(
        reverse("evaluation:dashboard", args=["CT-WEB"]), {"unit": "99", "period": "2024Q1"}
    ).content.decode()
    assert "/reports/export/indicators/CT-WEB.xlsx?unit=99&amp;period=2024Q1" in page
    assert "/reports/export/ranking/CT-WEB.xlsx?unit=99&amp;period=2024Q1&amp;indicator=" in page
    form = make_form(world.province)
    detail = client.get(reverse("reporting:form", args=[form.code])).content.decode()
    assert f"/reports/export/completeness/{form.code}.xlsx?period=" in detail


def test_the_api_lists_the_reports_a_user_may_read(client_for, world):
    from dxboard.committee_reports import services

    report = services.issue(world.province_officer, make_report(world))
    client = client_for("viewer")
    listing = client.get("/api/v1/committee-reports").json()
    assert listing[0]["number"] == "01/BC-BCĐ" and listing[0]["period"] == "2024Q1"
    assert listing[0]["id"] == report.pk and listing[0]["issuedBy"] == "province_officer"
    assert client_for("officer_b").get("/api/v1/committee-reports").json() == []


def test_with_the_production_task_backend_the_request_only_queues_the_file(
    client_for, world, settings, monkeypatch
):
    """Point 6: the web request answers at once with the job queued; the worker
    (`dxboard db_worker`) generates the file and the page then offers it."""
    from django.core.management import call_command

    # django-tasks drops its backends when TASKS changes (setting_changed).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = make_report(world)
    client = client_for("province_officer")
    client.post(reverse("committee_reports:generate", args=[report.pk, "pdf"]))
    job = GenerationJob.objects.get()
    assert (job.status, job.progress, job.content) == (JobStatus.PENDING, 0, None)
    url = reverse("committee_reports:job", args=[report.pk, job.pk])
    waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="load delay:1s"' in waiting
    # The worker closes stale connections between tasks; here its connection holds the
    # test's transaction (PostgreSQL would lose it), so that step is skipped.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "tệp đã sẵn sàng" in done
    file = client.get(reverse("committee_reports:job_download", args=[report.pk, job.pk]))
    assert file.content[:4] == b"%PDF"
