"""Field reports from the former system: original times and history kept, re-runs harmless."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from dxboard.errors import InvalidInput, NotFound
from dxboard.feedback import stats
from dxboard.feedback.former_system import import_former_reports, read_rows
from dxboard.feedback.models import FieldReport, ReportEvent, Status

from .factories import make_category

pytestmark = pytest.mark.django_db

CSV = (
    "former_id,service_code,description,commune,address,received_at,accepted_at,resolved_at,"
    "closed_at,rejected_at,public_answer,reject_reason\n"
    "OLD-1,GT,Ổ gà trước chợ,99001,Chợ An Bình,01/03/2023 08:00,01/03/2023 09:00,"
    "02/03/2023 09:00,03/03/2023 10:00,,Đã vá,\n"
    "OLD-2,GT,Trùng phản ánh,99001,,2023-03-05T10:00:00+07:00,,,,2023-03-05T11:00:00+07:00,,Trùng\n"
)


@pytest.fixture
def category(world):
    return make_category("GT", agency=world.agency, name="Giao thông")


def _import(content: str | bytes, name: str = "cu.csv", user=None):
    data = content.encode() if isinstance(content, str) else content
    return import_former_reports(user, read_rows(data, name))


def test_a_csv_keeps_the_original_times_status_and_history(world, category):
    result = _import(CSV)
    assert (result.created, result.skipped) == (2, 0)
    done = FieldReport.objects.get(former_id="OLD-1")
    local = timezone.localtime
    assert local(done.created_at).replace(tzinfo=None) == datetime(2023, 3, 1, 8, 0)
    assert local(done.resolved_at).replace(tzinfo=None) == datetime(2023, 3, 2, 9, 0)
    assert done.status == Status.CLOSED and done.public_id.startswith("PA-2023-")
    assert done.agency == world.agency and done.due_at is not None
    history = list(ReportEvent.objects.filter(report=done).values_list("action", "to_status"))
    assert history == [
        ("submitted", "received"),
        ("accepted", "accepted"),
        ("resolved", "resolved"),
        ("closed", "closed"),
    ]
    rejected = FieldReport.objects.get(former_id="OLD-2")
    assert rejected.status == Status.REJECTED and rejected.reject_reason == "Trùng"


def test_statistics_are_computed_from_the_original_times(world, category):
    _import(CSV)
    figures = stats.figures(world.commune_a, date(2023, 3, 1), date(2023, 3, 31))
    assert (figures.received, figures.accepted, figures.resolved) == (2, 1, 1)
    assert figures.mean_hours_to_resolve == 25.0
    assert stats.figures(world.commune_a, date(2024, 1, 1), date(2024, 12, 31)).received == 0


def test_a_second_run_creates_nothing(world, category):
    _import(CSV)
    again = _import(CSV)
    assert (again.created, again.skipped) == (0, 2)
    assert FieldReport.objects.count() == 2


def test_an_excel_workbook_with_vietnamese_titles_is_read(world, category):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã cũ", "Lĩnh vực", "Nội dung", "Mã xã", "Nhận lúc", "Tiếp nhận lúc"])
    sheet.append(
        ["X-9", "GT", "Đèn hỏng", "99001", datetime(2022, 5, 2, 7, 30), datetime(2022, 5, 2, 8)]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _import(buffer.getvalue(), "cu.xlsx").created == 1
    report = FieldReport.objects.get()
    assert report.status == Status.ACCEPTED and report.year == 2022


def test_an_open311_json_list_is_read(world, category):
    requests = [
        {
            "service_request_id": "SF-101",
            "status": "closed",
            "service_code": "GT",
            "description": "Pothole",
            "address_id": "99001",
            "requested_datetime": "2024-01-10T09:00:00+07:00",
            "updated_datetime": "2024-01-11T09:00:00+07:00",
            "service_notice": "Fixed",
        }
    ]
    assert _import(json.dumps(requests), "open311.json").created == 1
    report = FieldReport.objects.get(former_id="SF-101")
    assert report.status == Status.RESOLVED and report.public_answer == "Fixed"


def test_bad_rows_are_named_and_nothing_is_written(world, category):
    bad = CSV.replace("99001,Chợ", "99999,Chợ").replace("2023-03-05T11:00:00+07:00", "hôm qua")
    with pytest.raises(InvalidInput) as raised:
        _import(bad)
    paths = {d.path for d in raised.value.details}
    assert paths == {"Dòng 2, commune", "Dòng 3, rejected_at"}
    assert not FieldReport.objects.exists()


def test_only_the_provinces_officers_may_import_for_a_commune(world, category):
    with pytest.raises(NotFound):
        _import(CSV, user=world.officer_b)
    assert _import(CSV, user=world.province_officer).created == 2


def test_the_command_imports_a_file(world, category, tmp_path, capsys):
    path = tmp_path / "cu.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_field_reports", str(path))
    assert json.loads(capsys.readouterr().out) == {"created": 2, "skipped": 0}
