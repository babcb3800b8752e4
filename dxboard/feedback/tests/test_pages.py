"""Public intake and tracking, the handler's pages, statistics and holidays, through HTTP."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dxboard.accounts.models import Role
from dxboard.feedback import services
from dxboard.feedback.models import Category, FieldReport, Holiday, Status
from dxboard.testing import make_user
from dxboard.units.models import Unit

from .factories import (
    JPEG_WITH_EXIF,
    REPORTER,
    at,
    ioc_handler,
    make_category,
    make_report,
    walk_to,
)


@pytest.fixture
def category(world):
    return make_category(agency=world.agency)


def _form(world, **changes) -> dict:
    data = {
        "category": "GT",
        "description": "Cây đổ chắn ngang đường.",
        "unit": world.commune_a.code,
        "address": "Ấp Một",
        "lat": "10,3712",
        "long": "105.4325",
        "consent": "on",
        "website": "",
        **REPORTER,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_public_form_works_without_login(client, world, category):
    response = client.get(reverse("feedback:submit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Giao thông" in page and "Xã An Bình" in page and 'name="website"' in page
    assert "Ấp Một" not in page  # hamlets are not places to pick


def test_a_citizen_submits_a_report_with_a_photo_and_gets_a_tracking_code(client, world, category):
    photo = SimpleUploadedFile("hien-truong.jpg", JPEG_WITH_EXIF, content_type="image/jpeg")
    response = client.post(reverse("feedback:submit"), {**_form(world), "photos": [photo]})
    assert response.status_code == 302 and response["Location"] == reverse("feedback:submitted")
    report = FieldReport.objects.get()
    assert str(report.lat) == "10.371200"
    confirmation = client.get(reverse("feedback:submitted")).content.decode()
    assert report.tracking_code in confirmation
    stored = report.photos.get().image.open("rb").read()
    assert b"Exif" not in stored


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": "KHONG-CO"}, "category", "Lĩnh vực không tồn tại"),
        ({"unit": "99001-AP1"}, "unit", "xã, phường đang có hiệu lực"),
        ({"unit": "00000"}, "unit", "xã, phường đang có hiệu lực"),
        ({"description": "<b>Ồn</b>"}, "description", "thẻ HTML"),
        ({"description": "x" * 4001}, "description", "tối đa 4.000"),
        ({"lat": "95"}, "lat", "Vĩ độ phải từ"),
        ({"long": "abc"}, "long", "Kinh độ phải là một số"),
        ({"consent": None}, "consent", "Cần đồng ý"),
        ({"reporter_phone": ""}, "reporter_phone", "cần số điện thoại"),
        ({"reporter_email": "khong-phai-email"}, "reporter_email", "không hợp lệ"),
    ],
)
def test_bad_input_is_answered_on_the_page_and_nothing_is_saved(
    client, world, category, changes, field, message
):
    response = client.post(reverse("feedback:submit"), _form(world, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert FieldReport.objects.count() == 0


def test_a_photo_that_is_not_an_image_is_refused_on_the_page(client, world, category):
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 an executable", content_type="image/jpeg")
    response = client.post(reverse("feedback:submit"), {**_form(world), "photos": [fake]})
    assert response.status_code == 400
    assert "Chỉ nhận ảnh JPEG hoặc PNG" in response.content.decode()
    assert FieldReport.objects.count() == 0


def test_an_oversized_photo_is_refused_on_the_page(client, world, category, settings):
    settings.DXBOARD_FEEDBACK_MAX_PHOTO_BYTES = 300
    photo = SimpleUploadedFile("anh.jpg", JPEG_WITH_EXIF, content_type="image/jpeg")
    response = client.post(reverse("feedback:submit"), {**_form(world), "photos": [photo]})
    assert response.status_code == 400
    assert "vượt mức tối đa" in response.content.decode()
    assert FieldReport.objects.count() == 0


def test_the_honeypot_catches_a_bot(client, world, category):
    response = client.post(reverse("feedback:submit"), _form(world, website="http://spam.example"))
    assert response.status_code == 400
    assert FieldReport.objects.count() == 0


def test_a_burst_of_submissions_from_one_address_is_stopped(client, world, category):
    for _ in range(5):
        assert client.post(reverse("feedback:submit"), _form(world)).status_code == 302
    response = client.post(reverse("feedback:submit"), _form(world))
    assert response.status_code == 429
    assert "nhiều phản ánh trong thời gian ngắn" in response.content.decode()
    assert FieldReport.objects.count() == 5
    other = client.post(reverse("feedback:submit"), _form(world), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_the_tracking_page_shows_progress_answer_and_takes_one_rating(client, world, category):
    report = walk_to(make_report(world), Status.RESOLVED, world.handler)
    services.add_note(world.handler, report, "Ghi chú nội bộ bí mật")
    url = reverse("feedback:track")
    assert client.get(url, {"code": "PA-0000-000000-XXXXXX"}).status_code == 404
    assert client.get(url, {"code": report.public_id}).status_code == 404
    page = client.get(url, {"code": report.tracking_code}).content.decode()
    assert "Đã vá xong ổ gà." in page and "Đã xử lý xong" in page
    assert "Ghi chú nội bộ bí mật" not in page and "handler" not in page
    response = client.post(url, {"code": report.tracking_code, "rating": "5", "comment": "Tốt"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.rating == 5
    again = client.post(url, {"code": report.tracking_code, "rating": "1"})
    assert again.status_code == 400 and "đã được đánh giá" in again.content.decode()


def test_the_public_list_shows_reports_without_rejected_ones(
    client, world, category, django_assert_max_num_queries
):
    for _ in range(5):
        make_report(world)
    rejected = make_report(world, description="Quảng cáo rác")
    services.reject(world.handler, rejected, reason="Không phải phản ánh.")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("feedback:public_list"))
    page = response.content.decode()
    assert page.count("PA-2") >= 5 and "Quảng cáo rác" not in page
    assert "map-points" in page


def test_the_inbox_lists_the_agencys_reports_with_counts(
    client, world, category, django_assert_max_num_queries
):
    for _ in range(4):
        make_report(world)
    overdue = services.accept(world.handler, make_report(world), now=at(2025, 3, 3, 8))
    make_report(world, category=make_category("TTDT", name="Trật tự đô thị"))
    client.force_login(world.handler)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("feedback:inbox"))
    page = response.content.decode()
    assert page.count("/feedback/reports/") == 5  # the commune's own report is not theirs
    assert "Quá hạn" in page
    only_overdue = client.get(reverse("feedback:inbox"), {"overdue": "1"}).content.decode()
    assert overdue.public_id in only_overdue and only_overdue.count("/feedback/reports/") == 1


def test_the_inbox_is_for_handlers(client, world):
    # A commune's officers handle what is routed to their commune (test_commune_officers);
    # a viewer of the province or an agency's reporter has no inbox.
    client.force_login(world.viewer)
    assert client.get(reverse("feedback:inbox")).status_code == 403
    client.force_login(make_user("bc_so", unit=world.agency, role=Role.REPORTER))
    assert client.get(reverse("feedback:inbox")).status_code == 403


def test_the_handler_page_runs_every_step(client, world, category):
    report = make_report(world, now=at(2025, 3, 3, 7))
    client.force_login(world.handler)
    url = reverse("feedback:report_action", args=[report.pk])
    detail = reverse("feedback:report_detail", args=[report.pk])
    page = client.get(detail).content.decode()
    assert REPORTER["reporter_phone"] in page  # the handler sees who reported
    client.post(url, {"action": "resolve", "public_answer": "x"})
    report.refresh_from_db()
    assert report.status == Status.RECEIVED
    for data in (
        {"action": "accept", "severity": "normal"},
        {"action": "assign", "agency": world.agency.code},
        {"action": "start"},
        {"action": "note", "note": "Đã gọi đội duy tu"},
        {"action": "request_extension", "hours": "8", "reason": "Chờ vật tư"},
        {"action": "resolve", "public_answer": "Đã dọn cây đổ."},
    ):
        assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.notes.count() == 1
    assert client.post(url, {"action": "close"}).status_code == 403
    client.force_login(ioc_handler(world))
    extension = report.extensions.get()
    client.post(url, {"action": "approve_extension", "extension": extension.pk})
    client.post(url, {"action": "close"})
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.extensions.get().status == "approved"


def test_a_stranger_gets_404_on_the_handler_pages(client, world, category):
    report = make_report(world)
    client.force_login(world.officer_a)
    assert client.get(reverse("feedback:report_detail", args=[report.pk])).status_code == 404
    response = client.post(
        reverse("feedback:report_action", args=[report.pk]), {"action": "accept"}
    )
    assert response.status_code == 404


def test_stats_page_and_excel_export_hold_no_personal_data(client, world, category):
    report = walk_to(make_report(world), Status.RESOLVED, world.handler)
    services.rate(report.tracking_code, 5)
    client.force_login(world.viewer)
    page = client.get(reverse("feedback:stats")).content.decode()
    assert "Xã An Bình" in page and "100,0 %" in page
    export = client.get(reverse("feedback:stats"), {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    # Read the cells, not the XML: with lxml installed openpyxl writes non-ASCII text as
    # character references.
    workbook = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True)
    text = "\n".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert "Xã An Bình" in text
    for value in REPORTER.values():
        assert value not in text and value not in page


def test_stats_of_a_unit_out_of_reach_are_not_found(client, world):
    client.force_login(world.officer_b)
    assert client.get(reverse("feedback:stats"), {"unit": world.commune_a.code}).status_code == 404
    client.force_login(world.citizen)
    assert client.get(reverse("feedback:stats")).status_code == 403


def test_province_officers_keep_the_holiday_calendar(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("feedback:holidays")).status_code == 403
    client.force_login(world.province_officer)
    page = client.get(reverse("feedback:holidays"), {"year": 2025}).content.decode()
    assert "Tết Nguyên đán Ất Tỵ" in page and "25/01/2025" in page
    client.post(
        reverse("feedback:holidays"), {"action": "add", "date": "02/01/2026", "name": "Nghỉ bù"}
    )
    assert Holiday.objects.filter(date="2026-01-02", name="Nghỉ bù").exists()
    duplicate = client.post(
        reverse("feedback:holidays"),
        {"action": "add", "date": "02/01/2026", "name": "Lần nữa"},
        follow=True,
    )
    assert "đã có trong lịch" in duplicate.content.decode()
    holiday = Holiday.objects.get(date="2026-01-02")
    client.post(reverse("feedback:holidays"), {"action": "delete", "holiday": holiday.pk})
    assert not Holiday.objects.filter(date="2026-01-02").exists()


def test_a_year_not_yet_loaded_shows_its_defaults_and_saves_them(client, world):
    client.force_login(world.province_officer)
    page = client.get(reverse("feedback:holidays"), {"year": 2027}).content.decode()
    assert "06/02/2027" in page and "Tết Nguyên Đán" in page and 'id="defaults-note"' in page
    client.post(reverse("feedback:holidays") + "?year=2027", {"action": "defaults"})
    assert Holiday.objects.filter(date="2027-02-06").exists()
    page = client.get(reverse("feedback:holidays"), {"year": 2027}).content.decode()
    assert 'id="defaults-note"' not in page


def test_the_statistics_export_survives_a_control_character_in_a_stored_name(
    client, world, category
):
    # Regression: a name stored with a control character (before names were cleaned, or
    # written by another tool) made the Excel export answer 500.
    walk_to(make_report(world), Status.RESOLVED, world.handler)
    Unit.objects.filter(pk=world.commune_a.pk).update(name="Xã An\x04 Bình")
    Category.objects.filter(pk=category.pk).update(name="Giao\x0b thông")
    client.force_login(world.viewer)
    export = client.get(reverse("feedback:stats"), {"format": "xlsx"})
    assert export.status_code == 200
    # Read the cells, not the XML: with lxml installed openpyxl writes non-ASCII text as
    # character references.
    workbook = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True)
    text = "\n".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert "Xã An Bình" in text and "Giao thông" in text


def test_the_submission_limit_is_shared_by_every_worker_process(
    client, world, category, monkeypatch
):
    """Issue 18: counted in process memory, 12 submissions through several workers got 9 in.

    Each "worker" here builds its own cache backend from the settings, as a process does;
    they must count together (the database cache), not each on its own.
    """
    from django.conf import settings
    from django.core.cache.backends.locmem import LocMemCache
    from django.utils.module_loading import import_string

    from dxboard.feedback.views import public

    config = settings.CACHES[public.RATE_LIMIT_CACHE]
    backend = import_string(config["BACKEND"])
    assert not issubclass(backend, LocMemCache), "process memory is not shared by workers"
    workers = [backend(config.get("LOCATION", ""), config) for _ in range(3)]
    turn = iter(range(100))
    monkeypatch.setattr(public, "_rate_cache", lambda: workers[next(turn) % len(workers)])
    answers = [client.post(reverse("feedback:submit"), _form(world)).status_code for _ in range(12)]
    assert answers == [302] * 5 + [429] * 7
    assert FieldReport.objects.count() == 5


def test_a_refused_submission_does_not_use_up_the_limit(client, world, category):
    for _ in range(6):
        response = client.post(reverse("feedback:submit"), _form(world, description=""))
        assert response.status_code == 400
    assert client.post(reverse("feedback:submit"), _form(world)).status_code == 302


def test_migrate_makes_the_shared_cache_table(db):
    from django.db import connection

    from dxboard.feedback.apps import _create_cache_table

    _create_cache_table()  # what `dxboard migrate` runs after the migrations; idempotent
    assert "dxboard_cache" in connection.introspection.table_names()


def test_stats_open_on_the_latest_year_with_reports_and_pick_periods_from_a_list(
    client, world, category
):
    # The demo's reports were 2025 and the page opened on an empty current year.
    last_year = timezone.localdate().year - 1
    make_report(world, now=timezone.make_aware(dt.datetime(last_year, 3, 10, 9)))
    client.force_login(world.viewer)
    response = client.get(reverse("feedback:stats"))
    assert response.context["selection"].period_code == str(last_year)
    page = response.content.decode()
    assert '<select class="form-select" id="s-period" name="period">' in page
    assert f'<option value="{last_year}Q1"' in page and f'<option value="{last_year}03"' in page


def test_an_invalid_period_on_the_stats_page_is_said_not_ignored(client, world):
    client.force_login(world.viewer)
    response = client.get(reverse("feedback:stats"), {"period": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kỳ “abc” không hợp lệ" in page
    backwards = client.get(reverse("feedback:stats"), {"start": "2025-05-01", "end": "2025-01-01"})
    assert "Ngày bắt đầu sau ngày kết thúc" in backwards.content.decode()
