"""Cut-off windows and deadlines (Decree 09/2019), completeness and timeliness, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dxboard.accounts.models import Role
from dxboard.periods import parse_period
from dxboard.reporting.models import (
    FormPeriod,
    PeriodState,
    ReminderLog,
    ReportForm,
    Submission,
    SubmissionStatus,
)
from dxboard.reporting.services import completeness as comp
from dxboard.reporting.services.calendar import (
    cutoff_window,
    deadline_of,
    end_of_day,
    period_info,
    reporting_period,
)
from dxboard.reporting.services.forms import expected_units
from dxboard.testing import make_unit, make_user
from dxboard.units.models import UnitGroup, UnitKind

from .factories import OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("period_type", "code", "start", "end", "deadline"),
    [
        ("month", "202403", D(2024, 2, 15), D(2024, 3, 14), D(2024, 3, 20)),
        ("month", "202401", D(2023, 12, 15), D(2024, 1, 14), D(2024, 1, 20)),
        ("quarter", "2024Q1", D(2023, 12, 15), D(2024, 3, 14), D(2024, 3, 20)),
        ("quarter", "2024Q3", D(2024, 6, 15), D(2024, 9, 14), D(2024, 9, 20)),
        ("half_year", "2024S1", D(2023, 12, 15), D(2024, 6, 14), D(2024, 6, 20)),
        ("half_year", "2024S2", D(2024, 6, 15), D(2024, 12, 14), D(2024, 12, 20)),
        ("year", "2024", D(2023, 12, 15), D(2024, 12, 14), D(2024, 12, 20)),
    ],
)
def test_cutoff_windows_and_deadlines_follow_decree_09_2019(
    period_type, code, start, end, deadline
):
    form = ReportForm(code="X", period_type=period_type)
    period = parse_period(code)
    assert cutoff_window(form, period) == (start, end)
    assert deadline_of(form, period) == deadline


def test_a_form_may_move_its_deadline(world):
    form = ReportForm(code="X", period_type="quarter", deadline_days=16)
    assert deadline_of(form, parse_period("2024Q1")) == D(2024, 3, 30)


def test_the_period_state_follows_the_dates_unless_set(world):
    form = make_form(world.province, open_periods=())
    period = parse_period("2024Q1")
    assert period_info(form, period, today=D(2023, 12, 14)).state == "not_open"
    assert period_info(form, period, today=D(2023, 12, 15)).state == PeriodState.OPEN
    assert period_info(form, period, today=D(2024, 4, 19)).state == PeriodState.OPEN  # grace
    assert period_info(form, period, today=D(2024, 4, 20)).state == PeriodState.CLOSED
    FormPeriod.objects.create(form=form, period="2024Q1", state=PeriodState.LOCKED)
    assert period_info(form, period, today=D(2024, 1, 5)).state == PeriodState.LOCKED


def test_the_reporting_period_is_the_one_due_next(world):
    form = make_form(world.province, open_periods=())
    assert reporting_period(form, D(2024, 3, 20)).code == "2024Q1"
    assert reporting_period(form, D(2024, 3, 21)).code == "2024Q2"
    assert reporting_period(form, D(2023, 12, 25)).code == "2024Q1"


def test_expected_units_by_unit_kind_and_group(world):
    form = make_form(world.province, open_periods=())
    assert set(expected_units(form).values_list("code", flat=True)) == {"99001", "99002"}
    form.assignments.all().delete()
    form.assignments.create(unit=world.agency)
    group = UnitGroup.objects.create(code="G1", name="Xã thí điểm", owner_unit=world.province)
    group.units.add(world.commune_b)
    form.assignments.create(unit_group=group)
    assert set(expected_units(form).values_list("code", flat=True)) == {"SKHCN", "99002"}
    other_province = make_unit("Tỉnh khác", code="98", kind=UnitKind.PROVINCE)
    make_unit("Xã ngoài tỉnh", code="98001", parent=other_province)
    form.assignments.create(unit_kind=UnitKind.COMMUNE)
    assert "98001" not in set(expected_units(form).values_list("code", flat=True))


def _reported(form, unit, at, status=SubmissionStatus.SUBMITTED):
    return Submission.objects.create(
        form=form,
        unit=unit,
        period=OPEN_PERIOD,
        status=status,
        first_submitted_at=at,
        submitted_at=at,
    )


def test_a_submission_exactly_at_the_deadline_is_on_time_one_moment_later_is_late(world):
    form = make_form(world.province)
    deadline = end_of_day(D(2024, 3, 20))
    assert timezone.localtime(deadline).hour == 23
    _reported(form, world.commune_a, deadline, SubmissionStatus.APPROVED)
    _reported(form, world.commune_b, deadline + dt.timedelta(microseconds=1))
    item = comp.completeness(
        world.province_officer, [(form, parse_period(OPEN_PERIOD))], with_units=True
    )[0]
    assert (item.expected, item.submitted, item.on_time, item.late, item.missing) == (2, 2, 1, 1, 0)
    assert item.complete and item.approved == 1
    statuses = {s.unit.code: s.timeliness for s in item.units}
    assert statuses == {"99001": "on_time", "99002": "late"}


def test_drafts_and_returned_reports_count_as_missing(world):
    form = make_form(world.province)
    Submission.objects.create(form=form, unit=world.commune_a, period=OPEN_PERIOD)
    _reported(form, world.commune_b, end_of_day(D(2024, 3, 1)), SubmissionStatus.RETURNED)
    item = comp.completeness(world.admin, [(form, parse_period(OPEN_PERIOD))])[0]
    assert (item.expected, item.submitted, item.missing, item.complete) == (2, 0, 2, False)


def test_a_commune_officer_counts_only_their_commune(world):
    form = make_form(world.province)
    _reported(form, world.commune_a, end_of_day(D(2024, 3, 1)))
    item = comp.completeness(world.officer_a, [(form, parse_period(OPEN_PERIOD))])[0]
    assert (item.expected, item.submitted) == (1, 1)
    late = comp.late_units(world.province_officer, form, parse_period(OPEN_PERIOD))
    assert [s.unit.code for s in late] == ["99002"]


def test_the_overview_counts_complete_forms(world):
    forms = [make_form(world.province, f"BM-{i}", open_periods=()) for i in range(3)]
    today = timezone.localdate()
    for form in forms[:2]:
        period = reporting_period(form, today).code
        for unit in (world.commune_a, world.commune_b):
            Submission.objects.create(
                form=form,
                unit=unit,
                period=period,
                status="approved",
                first_submitted_at=timezone.now(),
            )
    items = comp.overview(world.province_officer, forms)
    assert [i.complete for i in items] == [True, True, False]


def test_the_overview_does_not_run_a_query_per_form(world, django_assert_max_num_queries):
    forms = [make_form(world.province, f"BM-{i}", open_periods=()) for i in range(8)]
    with django_assert_max_num_queries(8):
        comp.overview(world.province_officer, forms)


def test_reminders_go_before_the_deadline_and_when_overdue_once_each(world):
    form = make_form(world.province, open_periods=())
    reporter = make_user(
        "bc_xa_a", unit=world.commune_a, role=Role.REPORTER, email="baocao@xa-a.vn"
    )
    make_user("bc_xa_b", unit=world.commune_b, role=Role.REPORTER, email="baocao@xa-b.vn")
    Submission.objects.create(
        form=form,
        unit=world.commune_b,
        period="2024Q1",
        status="submitted",
        first_submitted_at=timezone.now(),
    )
    call_command("send_reminders", date="2024-03-18")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reporter.email]
    assert "Sắp đến hạn" in message.subject and "Quý I/2024" in message.body
    assert "20/03/2024" in message.body
    call_command("send_reminders", date="2024-03-19")
    assert len(mail.outbox) == 1  # already reminded
    call_command("send_reminders", date="2024-03-25")
    assert len(mail.outbox) == 2 and "Quá hạn" in mail.outbox[1].subject
    assert ReminderLog.objects.count() == 2


def test_the_reminder_task_runs_through_django_tasks(world):
    from dxboard.reporting.tasks import send_reminders_task

    make_form(world.province, open_periods=())
    make_user("bc", unit=world.commune_a, role=Role.REPORTER, email="bc@xa.vn")
    result = send_reminders_task.enqueue("2024-03-18")
    assert result.return_value == 1 and len(mail.outbox) == 1
