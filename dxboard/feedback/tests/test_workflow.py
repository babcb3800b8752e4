from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dxboard.accounts.models import Role
from dxboard.errors import Forbidden, InvalidInput, NotFound
from dxboard.feedback import services
from dxboard.feedback.models import FieldReport, ReportEvent, Severity, Status
from dxboard.testing import make_user

from .factories import at, ioc_handler, make_category, make_report, walk_to


def test_a_report_goes_from_received_to_closed_with_an_audit_row_per_step(world):
    report = make_report(world, now=at(2025, 3, 3, 7))
    assert report.status == Status.RECEIVED and report.agency == world.agency
    assert report.public_id == "PA-2025-000001"
    assert report.tracking_code.startswith("PA-2025-000001-") and len(report.tracking_code) == 21
    report = services.accept(world.handler, report, now=at(2025, 3, 3, 8))
    assert report.accepted_at == at(2025, 3, 3, 8)
    assert report.due_at == at(2025, 3, 5, 9)  # 16 working hours
    report = services.assign(world.handler, report, note="Đội duy tu")
    report = services.start(world.handler, report)
    report = services.resolve(world.handler, report, public_answer="Đã vá xong.")
    report = services.close(ioc_handler(world), report)
    assert report.status == Status.CLOSED
    trail = list(report.events.values_list("action", "from_status", "to_status"))
    assert trail == [
        ("submitted", "", "received"),
        ("accepted", "received", "accepted"),
        ("assigned", "accepted", "assigned"),
        ("started", "assigned", "in_progress"),
        ("resolved", "in_progress", "resolved"),
        ("closed", "resolved", "closed"),
    ]
    assert report.events.get(action="assigned").note == "Đội duy tu"
    assert report.events.get(action="accepted").actor == world.handler


def test_numbers_follow_each_other_within_a_year(world):
    first = make_report(world, now=at(2025, 12, 31, 20))
    second = make_report(world, now=at(2025, 12, 31, 21))
    third = make_report(world, now=at(2026, 1, 1, 8))
    assert [first.public_id, second.public_id, third.public_id] == [
        "PA-2025-000001",
        "PA-2025-000002",
        "PA-2026-000001",
    ]
    assert first.tracking_code != second.tracking_code


def test_skipping_a_step_is_refused_with_a_clear_message(world):
    report = make_report(world)
    with pytest.raises(InvalidInput) as error:
        services.resolve(world.handler, report, public_answer="Xong")
    message = str(error.value.message)
    assert "“Đã gửi, chờ tiếp nhận”" in message and "“Đã xử lý xong”" in message
    assert "“Đã tiếp nhận”" in message
    with pytest.raises(InvalidInput):
        services.change_status(world.handler, report, Status.IN_PROGRESS)
    report.refresh_from_db()
    assert report.status == Status.RECEIVED
    assert report.events.count() == 1


def test_an_unknown_status_is_refused(world):
    report = make_report(world)
    with pytest.raises(InvalidInput) as error:
        services.change_status(world.handler, report, "done")
    assert "không hợp lệ" in error.value.message


def test_a_rejection_needs_a_reason_and_is_final(world):
    report = make_report(world)
    with pytest.raises(InvalidInput):
        services.reject(world.handler, report, reason="  ")
    report = services.reject(world.handler, report, reason="Trùng phản ánh PA-2025-000009.")
    assert report.status == Status.REJECTED
    with pytest.raises(InvalidInput) as error:
        services.accept(world.handler, report)
    assert "không thể chuyển tiếp" in error.value.message


def test_resolving_needs_a_public_answer(world):
    report = walk_to(make_report(world), Status.IN_PROGRESS, world.handler)
    with pytest.raises(InvalidInput) as error:
        services.resolve(world.handler, report, public_answer="")
    assert error.value.details[0].path == "publicAnswer"
    with pytest.raises(InvalidInput):
        services.resolve(world.handler, report, public_answer="<script>x</script>")


@pytest.mark.parametrize(
    "persona", ["officer_a", "officer_b", "viewer", "province_officer", "citizen"]
)
def test_people_who_do_not_handle_the_report_cannot_find_it(world, persona):
    report = make_report(world)
    user = getattr(world, persona)
    with pytest.raises(NotFound):
        services.accept(user, report)
    with pytest.raises(NotFound):
        services.get_handled_report(user, report.pk)
    assert not services.can_see_personal_data(user, report)


def test_a_handler_of_another_agency_cannot_find_it(world):
    report = make_report(world)
    other = make_user("handler_b", unit=world.commune_b, role=Role.FEEDBACK_HANDLER)
    with pytest.raises(NotFound):
        services.accept(other, report)
    with pytest.raises(NotFound):
        services.add_note(other, report, "xem giúp")


def test_a_commune_routed_category_goes_to_the_commune_where_it_happened(world):
    category = make_category("TTDT", name="Trật tự đô thị")
    report = make_report(world, category=category, unit=world.commune_b)
    assert report.agency == world.commune_b
    commune_handler = make_user("xuly_b", unit=world.commune_b, role=Role.FEEDBACK_HANDLER)
    services.accept(commune_handler, report)
    with pytest.raises(NotFound):
        services.accept(world.handler, report)


def test_the_agency_cannot_close_but_the_province_can(world):
    report = walk_to(make_report(world), Status.RESOLVED, world.handler)
    with pytest.raises(Forbidden):
        services.close(world.handler, report)
    assert services.close(ioc_handler(world), report).status == Status.CLOSED


def test_an_administrator_may_do_every_step(world):
    report = walk_to(make_report(world), Status.CLOSED, world.admin)
    assert report.status == Status.CLOSED


def test_reassignment_moves_the_report_to_another_unit(world):
    report = walk_to(make_report(world), Status.IN_PROGRESS, world.handler)
    report = services.assign(world.handler, report, agency=world.commune_a.code, note="Thuộc xã")
    assert report.agency == world.commune_a and report.status == Status.ASSIGNED
    with pytest.raises(NotFound):
        services.start(world.handler, report)  # no longer theirs
    commune_handler = make_user("xuly_a", unit=world.commune_a, role=Role.FEEDBACK_HANDLER)
    assert services.start(commune_handler, report).status == Status.IN_PROGRESS
    with pytest.raises(InvalidInput):
        services.assign(commune_handler, report, agency="KHONG-CO")


def test_an_extension_is_asked_by_the_agency_and_decided_above_it(world):
    report = make_report(world, now=at(2025, 3, 3, 7))
    report = services.accept(world.handler, report, now=at(2025, 3, 3, 8))
    extension = services.request_extension(world.handler, report, hours=8, reason="Chờ vật tư")
    with pytest.raises(InvalidInput):
        services.request_extension(world.handler, report, hours=4, reason="Lần nữa")
    with pytest.raises(Forbidden):
        services.decide_extension(world.handler, extension.pk, approve=True)
    services.decide_extension(ioc_handler(world), extension.pk, approve=True)
    report.refresh_from_db()
    assert report.initial_due_at == at(2025, 3, 5, 9)
    assert report.due_at == at(2025, 3, 6, 9, 30)  # 8 more working hours
    with pytest.raises(InvalidInput):
        services.decide_extension(ioc_handler(world), extension.pk, approve=False)
    refused = services.request_extension(world.handler, report, hours=4, reason="Mưa lớn")
    services.decide_extension(ioc_handler(world), refused.pk, approve=False)
    report.refresh_from_db()
    assert report.due_at == at(2025, 3, 6, 9, 30)
    actions = list(report.events.values_list("action", flat=True))
    assert actions.count("extension_requested") == 2
    assert "extension_approved" in actions and "extension_refused" in actions


def test_extension_requests_are_checked(world):
    report = make_report(world)
    with pytest.raises(InvalidInput):
        services.request_extension(world.handler, report, hours=8, reason="Chưa tiếp nhận")
    report = services.accept(world.handler, report)
    with pytest.raises(InvalidInput) as error:
        services.request_extension(world.handler, report, hours=0, reason="")
    assert {d.path for d in error.value.details} == {"hours", "reason"}


def test_severity_chooses_the_deadline(world):
    report = make_report(world, now=at(2025, 3, 3, 7))
    report = services.accept(world.handler, report, severity=Severity.URGENT, now=at(2025, 3, 3, 8))
    assert report.due_at == at(2025, 3, 3, 14)  # 3.5 h before lunch, 0.5 h after


def test_overdue_is_derived_from_the_deadline(world):
    report = services.accept(world.handler, make_report(world), now=at(2025, 3, 3, 8))
    assert report.is_overdue
    assert FieldReport.objects.overdue().filter(pk=report.pk).exists()
    assert not FieldReport.objects.overdue(now=at(2025, 3, 4, 8)).exists()
    report = services.assign(world.handler, report)
    report = services.start(world.handler, report)
    services.resolve(world.handler, report, public_answer="Xong")
    assert not FieldReport.objects.overdue().exists()


def test_the_reporter_rates_once_after_resolution(world):
    report = make_report(world)
    with pytest.raises(InvalidInput):
        services.rate(report.tracking_code, 5)
    walk_to(report, Status.RESOLVED, world.handler)
    with pytest.raises(InvalidInput):
        services.rate(report.tracking_code, 6)
    with pytest.raises(NotFound):
        services.rate(report.public_id, 5)  # the public number is not the tracking code
    rated = services.rate(report.tracking_code.lower(), "4", "Cảm ơn")
    assert (rated.rating, rated.rating_comment) == (4, "Cảm ơn")
    with pytest.raises(InvalidInput) as error:
        services.rate(report.tracking_code, 5)
    assert "đã được đánh giá" in error.value.message


def test_personal_data_is_purged_after_the_retention(world, settings):
    settings.DXBOARD_FEEDBACK_RETENTION_MONTHS = 12
    old = make_report(world, now=timezone.now() - timedelta(days=400))
    recent = make_report(world, now=timezone.now() - timedelta(days=30))
    call_command("purge_feedback_personal_data", stdout=None)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.reporter_name, old.reporter_phone, old.reporter_email) == ("", "", "")
    assert old.personal_data_purged_at is not None
    assert recent.reporter_name == "Nguyễn Văn Bí Mật"
    assert ReportEvent.objects.filter(report=old, action="purged").count() == 1
    assert services.purge_personal_data() == 0  # nothing left to purge
