"""Reminder e-mails to reporters: some days before a deadline and once it has passed.

Each (form, unit, period, kind) is reminded once (`ReminderLog`), so cron may run
`dxboard send_reminders` as often as it likes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.accounts.models import Membership, Role

from ..models import ReminderKind, ReminderLog, ReportForm
from .calendar import PeriodInfo, period_info, reporting_period
from .completeness import completeness

DAYS_BEFORE = 3


def _due(form: ReportForm, today: dt.date) -> list[tuple[PeriodInfo, str]]:
    """Periods of a form that need a reminder today, with the kind of reminder."""
    current = period_info(form, reporting_period(form, today), today=today)
    result = []
    if current.is_open and 0 <= (current.deadline - today).days <= DAYS_BEFORE:
        result.append((current, ReminderKind.BEFORE))
    previous = period_info(form, current.period.previous(), today=today)
    if previous.is_open and previous.deadline < today:
        result.append((previous, ReminderKind.OVERDUE))
    return result


def send_reminders(today: dt.date | None = None) -> int:
    """Send the reminders due today; return the number of e-mails sent."""

    today = today or timezone.localdate()
    system = _SystemUser()
    forms = list(ReportForm.objects.filter(active=True).select_related("owner_unit"))
    pairs: list[tuple[ReportForm, PeriodInfo, str]] = []
    for form in forms:
        for info, kind in _due(form, today):
            pairs.append((form, info, kind))
    if not pairs:
        return 0
    items = completeness(
        system, [(f, i.period) for f, i, _k in pairs], with_units=True, today=today
    )
    already = set(
        ReminderLog.objects.filter(
            form__in=forms, period__in={i.period.code for _f, i, _k in pairs}
        ).values_list("form_id", "unit_id", "period", "kind")
    )
    missing_units = {s.unit.pk for item in items for s in item.units if not s.reported}
    reporters: dict[int, list[str]] = defaultdict(list)
    for unit_id, email in (
        Membership.objects.filter(
            unit_id__in=missing_units, role=Role.REPORTER, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    ):
        reporters[unit_id].append(email)
    sent = 0
    for (form, info, kind), item in zip(pairs, items, strict=True):
        for status in item.units:
            unit = status.unit
            if status.reported or (form.pk, unit.pk, info.period.code, kind) in already:
                continue
            to = sorted(set(reporters.get(unit.pk, [])))
            if not to:
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        form=form,
                        unit=unit,
                        period=info.period.code,
                        kind=kind,
                        recipients=", ".join(to),
                    )
            except IntegrityError:
                continue  # another worker sent it
            _message(form, info, unit, kind, to).send(fail_silently=False)
            sent += 1
    return sent


def _message(form: ReportForm, info: PeriodInfo, unit, kind: str, to: list[str]) -> EmailMessage:
    values = {
        "form": f"{form.code} – {form.name}",
        "period": info.period.label,
        "unit": unit.name,
        "deadline": info.deadline.strftime("%d/%m/%Y"),
    }
    if kind == ReminderKind.BEFORE:
        subject = _("[DXBoard] Sắp đến hạn nộp báo cáo %(form)s – %(period)s") % values
        body = (
            _(
                "Kính gửi cán bộ báo cáo của %(unit)s,\n\n"
                "Báo cáo “%(form)s” kỳ %(period)s cần nộp trước hết ngày %(deadline)s. "
                "Đơn vị chưa nộp báo cáo này.\n\n"
                "Vui lòng đăng nhập DXBoard, mục “Báo cáo định kỳ”, để nhập và nộp số liệu.\n\n"
                "Trân trọng,\nDXBoard"
            )
            % values
        )
    else:
        subject = _("[DXBoard] Quá hạn nộp báo cáo %(form)s – %(period)s") % values
        body = (
            _(
                "Kính gửi cán bộ báo cáo của %(unit)s,\n\n"
                "Báo cáo “%(form)s” kỳ %(period)s đã quá hạn nộp (hạn: %(deadline)s) "
                "mà đơn vị chưa nộp.\n\n"
                "Đề nghị đơn vị khẩn trương nhập và nộp số liệu trên DXBoard.\n\n"
                "Trân trọng,\nDXBoard"
            )
            % values
        )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)


class _SystemUser:
    """Sees every unit, for completeness computed by the reminder job."""

    is_authenticated = True
    is_active = True
    is_superuser = True
