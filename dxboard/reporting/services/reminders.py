"""Reminder e-mails to reporters: some days before a deadline and once it has passed.

Each (form, unit, period, kind) is reminded once (`ReminderLog`), so cron may run
`dxboard send_reminders` as often as it likes. How many days before and after the
deadline is set per form on the web (`ReminderSetting`, `set_reminder_days`); a person
chasing a late unit sends a reminder at once (`remind_now`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.accounts.models import Membership, Role
from dxboard.errors import Conflict, ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.units.models import Unit

from ..models import REPORTED_STATUSES, ReminderKind, ReminderLog, ReminderSetting, ReportForm
from ..models import Submission as SubmissionModel
from ..permissions import REMIND, REOPEN
from .calendar import PeriodInfo, parse_form_period, period_info, reporting_period
from .completeness import completeness
from .forms import expected_units, get_visible_form

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

DAYS_BEFORE = ReminderSetting.DEFAULT_DAYS_BEFORE
DAYS_AFTER = ReminderSetting.DEFAULT_DAYS_AFTER
MAX_DAYS_BEFORE = 60
# A person's "nhắc" goes at most once in this time per form, unit and period: a double
# click, or two officers chasing the same unit, must not flood the reporters' mailboxes.
MANUAL_SPACING = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ReminderDays:
    form: ReportForm
    days_before: int | None
    days_after: int | None
    custom: bool  # set on the web (False: the defaults)
    updated_at: dt.datetime | None = None


def reminder_days(
    form: ReportForm, setting: ReminderSetting | None = None, *, lookup: bool = True
) -> ReminderDays:
    """The days a form's automatic reminders go (its setting or the defaults).

    `lookup=False`: the caller read the settings of many forms at once; None means none."""
    if setting is None and lookup:
        setting = ReminderSetting.objects.filter(form=form).first()
    if setting is None:
        return ReminderDays(form, DAYS_BEFORE, DAYS_AFTER, False)
    return ReminderDays(form, setting.days_before, setting.days_after, True, setting.updated_at)


def _due(
    form: ReportForm, today: dt.date, days: ReminderDays | None = None
) -> list[tuple[PeriodInfo, str]]:
    """Periods of a form that need a reminder today, with the kind of reminder."""
    days = days or reminder_days(form)
    current = period_info(form, reporting_period(form, today), today=today)
    result = []
    if (
        days.days_before is not None
        and current.is_open
        and 0 <= (current.deadline - today).days <= days.days_before
    ):
        result.append((current, ReminderKind.BEFORE))
    previous = period_info(form, current.period.previous(), today=today)
    if (
        days.days_after is not None
        and previous.is_open
        and (today - previous.deadline).days >= days.days_after
    ):
        result.append((previous, ReminderKind.OVERDUE))
    return result


def send_reminders(today: dt.date | None = None) -> int:
    """Send the reminders due today; return the number of e-mails sent."""

    today = today or timezone.localdate()
    system = _SystemUser()
    forms = list(ReportForm.objects.filter(active=True).select_related("owner_unit"))
    settings_by_form = {s.form_id: s for s in ReminderSetting.objects.filter(form__in=forms)}
    pairs: list[tuple[ReportForm, PeriodInfo, str]] = []
    for form in forms:
        days = reminder_days(form, settings_by_form.get(form.pk), lookup=False)
        for info, kind in _due(form, today, days):
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
    reporters = _reporters(missing_units)
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


def _reporters(unit_ids: set[int]) -> dict[int, list[str]]:
    """The e-mail addresses of each unit's active reporters, in one query."""
    reporters: dict[int, list[str]] = defaultdict(list)
    for unit_id, email in (
        Membership.objects.filter(unit_id__in=unit_ids, role=Role.REPORTER, user__is_active=True)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    ):
        reporters[unit_id].append(email)
    return reporters


# --- a person chases a late unit ----------------------------------------------------------


@transaction.atomic
def remind_now(
    user: User | AnonymousUser,
    form_code: str,
    unit_code: str,
    period_code: str,
    *,
    now: dt.datetime | None = None,
) -> ReminderLog:
    """E-mail a unit's reporters now that its report of `period_code` is awaited.

    The sender holds `reporting.remind` on the unit (a province officer, an approver
    above it). Refused, naming the field, for a period that is not open (closed, locked,
    not yet open: the unit could not act on it), a unit that does not report the form or
    has reported already, a unit with no reporter to write to, and a second reminder
    within `MANUAL_SPACING`.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    form = get_visible_form(user, (form_code or "").strip())
    unit = Unit.objects.visible_to(user).in_force().filter(code=(unit_code or "").strip()).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị."))
    permissions.require(
        user, REMIND.name, unit, _("Bạn không có quyền nhắc đơn vị này nộp báo cáo.")
    )
    period = parse_form_period(form, (period_code or "").strip())
    if not expected_units(form, period).filter(pk=unit.pk).exists():
        message = _("%(unit)s không phải báo cáo biểu mẫu %(form)s.") % {
            "unit": unit.name,
            "form": form.code,
        }
        raise InvalidInput(message, [ErrorDetail("unit", message)])
    info = period_info(form, period, today=today)
    if not info.is_open:
        message = _("Không nhắc được: %(reason)s") % {"reason": info.closed_message()}
        raise InvalidInput(message, [ErrorDetail("period", message)])
    reported = SubmissionModel.objects.filter(
        form=form, unit=unit, period=period.code, status__in=REPORTED_STATUSES
    ).exists()
    if reported:
        message = _("%(unit)s đã nộp báo cáo kỳ %(period)s; không cần nhắc.") % {
            "unit": unit.name,
            "period": period.label,
        }
        raise Conflict(message, [ErrorDetail("unit", message)])
    to = sorted(set(_reporters({unit.pk}).get(unit.pk, [])))
    if not to:
        message = _(
            "%(unit)s chưa có cán bộ báo cáo nào có thư điện tử; hãy liên hệ trực tiếp."
        ) % {"unit": unit.name}
        raise InvalidInput(message, [ErrorDetail("unit", message)])
    last = (
        ReminderLog.objects.select_for_update()
        .filter(form=form, unit=unit, period=period.code, kind=ReminderKind.MANUAL)
        .order_by("-sent_at")
        .first()
    )
    if last is not None and now - last.sent_at < MANUAL_SPACING:
        message = _("%(unit)s vừa được nhắc lúc %(time)s; hãy chờ ít nhất một giờ.") % {
            "unit": unit.name,
            "time": timezone.localtime(last.sent_at).strftime("%H:%M %d/%m/%Y"),
        }
        raise Conflict(message, [ErrorDetail("unit", message)])
    kind = ReminderKind.OVERDUE if info.deadline < today else ReminderKind.BEFORE
    log = ReminderLog.objects.create(
        form=form,
        unit=unit,
        period=period.code,
        kind=ReminderKind.MANUAL,
        recipients=", ".join(to),
        sent_by=user,
        sent_at=now,
    )
    # Sent inside the transaction: a mail server that refuses leaves no log of a
    # reminder that never went.
    _message(form, info, unit, kind, to, sender=user).send(fail_silently=False)
    return log


def last_reminders(
    forms_periods: list[tuple[ReportForm, str]],
) -> dict[tuple[int, int, str], dt.datetime]:
    """When each (form, unit, period) was last reminded, any kind, in one query."""
    if not forms_periods:
        return {}
    wanted = set((f.pk, p) for f, p in forms_periods)
    result: dict[tuple[int, int, str], dt.datetime] = {}
    for form_id, unit_id, period, sent_at in ReminderLog.objects.filter(
        form__in={f.pk for f, _p in forms_periods}, period__in={p for _f, p in forms_periods}
    ).values_list("form_id", "unit_id", "period", "sent_at"):
        if (form_id, period) not in wanted:
            continue
        key = (form_id, unit_id, period)
        if key not in result or sent_at > result[key]:
            result[key] = sent_at
    return result


# --- the days of the automatic reminders ---------------------------------------------------


def manageable_forms(user: User | AnonymousUser):
    """Active forms whose reminders the user sets: issued by a unit they manage."""
    managed = permissions.units_for(user, REOPEN.name)
    return (
        ReportForm.objects.filter(active=True, owner_unit__in=managed)
        .select_related("owner_unit", "reminder_setting")
        .order_by("code")
    )


def _days(raw: object, path: str, label: str) -> tuple[int | None, ErrorDetail | None]:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None, None
    if not text.isdigit():
        message = _("%(label)s: “%(value)s” không phải số ngày (số nguyên, không âm).") % {
            "label": label,
            "value": text[:20],
        }
        return None, ErrorDetail(path, message)
    return int(text), None


@transaction.atomic
def set_reminder_days(
    user: User | AnonymousUser,
    form_code: str,
    days_before: object,
    days_after: object,
    *,
    today: dt.date | None = None,
) -> ReminderSetting:
    """Set when a form's automatic reminders go; a blank value turns that reminder off.

    `days_before` must fall while the period is open (not before its cut-off window
    starts, at most 60 days); `days_after` at least 1 and within the days the period stays
    open after its deadline (`form.grace_days`): a reminder for a closed period could not
    be acted on. Every refused field is named; nothing is saved unless all are valid.
    """
    today = today or timezone.localdate()
    form = get_visible_form(user, (form_code or "").strip())
    # The form is readable (in line with a membership) even where its issuing unit is
    # above the user's: that is "not allowed", not "not found".
    if not permissions.can(user, REOPEN.name, form.owner_unit):
        raise Forbidden(
            _("Chỉ chuyên viên của đơn vị ban hành biểu mẫu mới đặt được lịch nhắc hạn.")
        )
    errors: list[ErrorDetail] = []
    before, error = _days(days_before, "daysBefore", _("Nhắc trước hạn"))
    if error:
        errors.append(error)
    after, error = _days(days_after, "daysAfter", _("Nhắc sau hạn"))
    if error:
        errors.append(error)
    if before is not None:
        info = period_info(form, reporting_period(form, today), today=today)
        opens = (info.deadline - info.window_start).days
        limit = min(opens, MAX_DAYS_BEFORE)
        if before > limit:
            errors.append(
                ErrorDetail(
                    "daysBefore",
                    _(
                        "Nhắc trước hạn %(days)s ngày rơi vào lúc kỳ báo cáo chưa mở; "
                        "tối đa %(limit)s ngày."
                    )
                    % {"days": before, "limit": limit},
                )
            )
    if after is not None:
        if after < 1:
            errors.append(
                ErrorDetail("daysAfter", _("Nhắc sau hạn ít nhất 1 ngày (0 là ngày hạn nộp)."))
            )
        elif after > form.grace_days:
            errors.append(
                ErrorDetail(
                    "daysAfter",
                    _(
                        "Nhắc sau hạn %(days)s ngày rơi vào lúc kỳ báo cáo đã đóng (kỳ chỉ còn "
                        "nhận %(grace)s ngày sau hạn); tối đa %(grace)s ngày."
                    )
                    % {"days": after, "grace": form.grace_days},
                )
            )
    if errors:
        raise InvalidInput(
            _("Lịch nhắc hạn của biểu mẫu %(form)s chưa hợp lệ.") % {"form": form.code}, errors
        )
    setting, _created = ReminderSetting.objects.update_or_create(
        form=form,
        defaults={
            "days_before": before,
            "days_after": after,
            "updated_by": user,
            "updated_at": timezone.now(),
        },
    )
    return setting


def _message(
    form: ReportForm,
    info: PeriodInfo,
    unit,
    kind: str,
    to: list[str],
    *,
    sender: User | AnonymousUser | None = None,
) -> EmailMessage:
    values = {
        "form": f"{form.code} – {form.name}",
        "period": info.period.label,
        "unit": unit.name,
        "deadline": info.deadline.strftime("%d/%m/%Y"),
    }
    if sender is not None:
        values["sender"] = sender.get_full_name() if hasattr(sender, "get_full_name") else ""
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
    if values.get("sender"):
        body += "\n\n" + _("(Thư nhắc do %(sender)s gửi từ trang “Việc của tôi”.)") % values
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)


class _SystemUser:
    """Sees every unit, for completeness computed by the reminder job."""

    is_authenticated = True
    is_active = True
    is_superuser = True
