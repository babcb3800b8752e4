"""Reminder days set on the web, and a reminder sent now by a person chasing a late unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dxboard.accounts.models import Role
from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dxboard.reporting.models import (
    FormPeriod,
    PeriodState,
    ReminderKind,
    ReminderLog,
    ReminderSetting,
    Submission,
)
from dxboard.reporting.services.reminders import (
    manageable_forms,
    remind_now,
    reminder_days,
    set_reminder_days,
)
from dxboard.testing import make_user

from .factories import OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter_a(world):
    return make_user("bc_a", unit=world.commune_a, role=Role.REPORTER, email="bc@xa-a.vn")


def _details(error) -> dict[str, str]:
    return {d.path: d.message for d in error.value.details}


# --- reminder days -------------------------------------------------------------------------


def test_reminder_days_are_the_defaults_until_set(world):
    form = make_form(world.province, open_periods=())
    days = reminder_days(form)
    assert (days.days_before, days.days_after, days.custom) == (3, 1, False)
    set_reminder_days(world.province_officer, form.code, "5", "10", today=dt.date(2024, 3, 1))
    days = reminder_days(form)
    assert (days.days_before, days.days_after, days.custom) == (5, 10, True)


def test_an_overdue_reminder_for_a_closed_period_is_refused_naming_the_field(world):
    form = make_form(world.province, open_periods=())  # grace_days 30
    with pytest.raises(InvalidInput) as error:
        set_reminder_days(world.province_officer, form.code, "2", "45", today=dt.date(2024, 3, 1))
    details = _details(error)
    assert list(details) == ["daysAfter"]
    assert "đã đóng" in details["daysAfter"] and "30" in details["daysAfter"]
    assert not ReminderSetting.objects.exists()  # nothing half-saved


def test_bad_reminder_days_name_each_field(world):
    form = make_form(world.province, open_periods=())
    with pytest.raises(InvalidInput) as error:
        set_reminder_days(world.province_officer, form.code, "abc", "0", today=dt.date(2024, 3, 1))
    details = _details(error)
    assert set(details) == {"daysBefore", "daysAfter"}
    assert "“abc”" in details["daysBefore"]
    # A quarter opens 15 December and is due 20 March: at most 60 days before.
    with pytest.raises(InvalidInput) as error:
        set_reminder_days(world.province_officer, form.code, "61", "", today=dt.date(2024, 3, 1))
    assert "chưa mở" in _details(error)["daysBefore"]
    monthly = make_form(world.province, "BM-THANG", period_type="month", open_periods=())
    with pytest.raises(InvalidInput) as error:  # a month is open 15 Feb – due 20 Mar: 34 days
        set_reminder_days(world.province_officer, monthly.code, "40", "", today=dt.date(2024, 3, 1))
    assert "tối đa 34 ngày" in _details(error)["daysBefore"]
    assert not ReminderSetting.objects.exists()


def test_only_the_issuing_unit_sets_reminder_days(world):
    form = make_form(world.province, open_periods=())
    with pytest.raises(Forbidden):
        set_reminder_days(world.approver_a, form.code, "3", "1")
    commune_form = make_form(world.commune_b, "BM-XA-B", open_periods=())
    with pytest.raises(NotFound):
        set_reminder_days(world.officer_a, commune_form.code, "3", "1")
    assert list(manageable_forms(world.province_officer)) == [form, commune_form]
    assert list(manageable_forms(world.approver_a)) == []


def test_the_daily_job_follows_the_reminder_days(world, reporter_a):
    form = make_form(world.province, open_periods=())  # 2024Q1 due 20/03/2024
    set_reminder_days(world.province_officer, form.code, "1", "5", today=dt.date(2024, 3, 1))
    call_command("send_reminders", date="2024-03-18")
    assert mail.outbox == []  # two days before: not yet
    call_command("send_reminders", date="2024-03-19")
    assert len(mail.outbox) == 1 and "Sắp đến hạn" in mail.outbox[0].subject
    call_command("send_reminders", date="2024-03-24")
    assert len(mail.outbox) == 1  # four days late: not yet
    call_command("send_reminders", date="2024-03-25")
    assert len(mail.outbox) == 2 and "Quá hạn" in mail.outbox[1].subject


def test_a_blank_day_turns_that_reminder_off(world, reporter_a):
    form = make_form(world.province, open_periods=())
    set_reminder_days(world.province_officer, form.code, "", "2", today=dt.date(2024, 3, 1))
    call_command("send_reminders", date="2024-03-19")
    assert mail.outbox == []
    call_command("send_reminders", date="2024-03-22")
    assert len(mail.outbox) == 1 and "Quá hạn" in mail.outbox[0].subject


# --- a reminder now ------------------------------------------------------------------------


def test_a_province_officer_reminds_a_late_unit_now(world, reporter_a):
    form = make_form(world.province)
    log = remind_now(world.province_officer, form.code, world.commune_a.code, OPEN_PERIOD)
    assert log.kind == ReminderKind.MANUAL and log.sent_by == world.province_officer
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bc@xa-a.vn"]
    assert "Quý I/2024" in message.body and "Việc của tôi" in message.body
    assert "province_officer" in message.body  # who sent it


def test_a_second_reminder_within_the_hour_is_refused(world, reporter_a):
    form = make_form(world.province)
    now = timezone.now()
    remind_now(world.province_officer, form.code, world.commune_a.code, OPEN_PERIOD, now=now)
    with pytest.raises(Conflict) as error:
        remind_now(
            world.province_officer,
            form.code,
            world.commune_a.code,
            OPEN_PERIOD,
            now=now + dt.timedelta(minutes=10),
        )
    assert "vừa được nhắc" in error.value.message
    remind_now(
        world.province_officer,
        form.code,
        world.commune_a.code,
        OPEN_PERIOD,
        now=now + dt.timedelta(hours=2),
    )
    assert ReminderLog.objects.filter(kind=ReminderKind.MANUAL).count() == 2
    assert len(mail.outbox) == 2


def test_a_reminder_for_a_closed_period_is_refused_naming_the_period(world, reporter_a):
    form = make_form(world.province)
    FormPeriod.objects.create(form=form, period="2023Q4", state=PeriodState.CLOSED)
    with pytest.raises(InvalidInput) as error:
        remind_now(world.province_officer, form.code, world.commune_a.code, "2023Q4")
    assert "đã đóng" in _details(error)["period"]
    assert not ReminderLog.objects.exists() and mail.outbox == []


def test_a_reminder_is_refused_for_a_unit_that_reported_or_has_no_reporter(world, reporter_a):
    form = make_form(world.province)
    Submission.objects.create(
        form=form,
        unit=world.commune_a,
        period=OPEN_PERIOD,
        status="submitted",
        first_submitted_at=timezone.now(),
    )
    with pytest.raises(Conflict) as error:
        remind_now(world.province_officer, form.code, world.commune_a.code, OPEN_PERIOD)
    assert "đã nộp" in error.value.message
    with pytest.raises(InvalidInput) as error:  # officer_b has no e-mail address
        remind_now(world.province_officer, form.code, world.commune_b.code, OPEN_PERIOD)
    assert "thư điện tử" in _details(error)["unit"]
    with pytest.raises(InvalidInput) as error:
        remind_now(world.province_officer, form.code, world.agency.code, OPEN_PERIOD)
    assert "không phải báo cáo" in _details(error)["unit"]
    with pytest.raises(InvalidInput) as error:
        remind_now(world.province_officer, form.code, world.commune_a.code, "2024-01")
    assert "period" in _details(error)
    assert mail.outbox == []


def test_who_may_remind(world, reporter_a):
    form = make_form(world.province)
    with pytest.raises(NotFound):  # commune A is not theirs to see
        remind_now(world.officer_b, form.code, world.commune_a.code, OPEN_PERIOD)
    with pytest.raises(Forbidden):
        remind_now(world.viewer, form.code, world.commune_a.code, OPEN_PERIOD)
    with pytest.raises(Forbidden):
        remind_now(world.officer_a, form.code, world.commune_a.code, OPEN_PERIOD)
    remind_now(world.approver_a, form.code, world.commune_a.code, OPEN_PERIOD)
    assert len(mail.outbox) == 1
