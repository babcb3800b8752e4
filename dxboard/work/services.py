"""The work page ("Việc của tôi"): what one person has to do today, from other apps' services.

One function, `my_work(user)`, gathers for the page, the home page and
`GET /api/v1/me/work`:

- forms due and late: open periods of the forms the user reports for, not yet submitted;
- reports returned to the user's units, with the reason;
- reports waiting for the user's approval (submitted, in a unit they approve for);
- field reports the user handles that are due within a working day or past it, and how many
  wait to be accepted;
- targets at risk in the user's units: indicators whose trend misses the programme's
  final target (the dashboard's projection);
- late units the user may chase (`reporting.remind`), with when they were last reminded.

Everything is scoped by the same rules as the apps' own pages (`visible_to`, the
permission registry); nothing here writes. The number of queries does not grow with the
number of forms, units or reports (each list is read in one go and capped at `LIMIT`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.accounts.models import Role
from dxboard.evaluation import services as evaluation
from dxboard.feedback import services as feedback
from dxboard.feedback.deadlines import add_working_hours
from dxboard.feedback.models import RUNNING_STATUSES
from dxboard.feedback.models import Status as ReportStatus
from dxboard.indicators.services import list_programmes
from dxboard.periods import Period, PeriodType, parse_period, period_of
from dxboard.reporting.models import ReportForm, Submission, SubmissionStatus
from dxboard.reporting.permissions import APPROVE, REMIND, SUBMIT
from dxboard.reporting.services import completeness as comp
from dxboard.reporting.services.calendar import PeriodInfo, open_periods, period_info
from dxboard.reporting.services.forms import expected_unit_ids, visible_forms
from dxboard.reporting.services.reminders import last_reminders, manageable_forms
from dxboard.units.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User
    from dxboard.feedback.models import FieldReport
    from dxboard.indicators.models import Programme

# Each list shows at most this many rows (the total is given beside it).
LIMIT = 50
# A field report is "near its deadline" when it is due within this many working hours
# (a working day): counted like the deadline itself, so a Friday evening sees Monday's.
NEAR_WORKING_HOURS = 8
# Programmes and units read for targets at risk: each costs one evaluation.
MAX_PROGRAMMES = 6


# --- the items -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormDue:
    form: ReportForm
    unit: Unit
    info: PeriodInfo
    status: str  # a SubmissionStatus value or "missing"
    today: dt.date

    @property
    def late(self) -> bool:
        return self.info.deadline < self.today

    @property
    def days_left(self) -> int:
        return (self.info.deadline - self.today).days

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)

    @property
    def status_label(self) -> str:
        if self.status == "missing":
            return _("Chưa nhập")
        return str(SubmissionStatus(self.status).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            **_submission_keys(self.form, self.unit, self.info.period),
            "deadline": self.info.deadline.isoformat(),
            "daysLeft": self.days_left,
            "late": self.late,
            "status": self.status,
            "statusLabel": self.status_label,
        }


@dataclass(frozen=True)
class SubmissionItem:
    """A report returned to the user, or waiting for their approval."""

    submission: Submission
    period: Period
    deadline: dt.date

    def as_dict(self) -> dict[str, Any]:
        s = self.submission
        return {
            **_submission_keys(s.form, s.unit, self.period),
            "deadline": self.deadline.isoformat(),
            "status": s.status,
            "submittedAt": s.submitted_at.isoformat() if s.submitted_at else None,
            "returnedReason": s.returned_reason if s.status == SubmissionStatus.RETURNED else "",
            "updatedAt": s.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class ReportItem:
    report: FieldReport
    now: dt.datetime

    @property
    def overdue(self) -> bool:
        return self.report.due_at is not None and self.report.due_at < self.now

    def as_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "id": r.pk,
            "publicId": r.public_id,
            "category": r.category.name,
            "unit": r.unit.name,
            "agency": r.agency.code,
            "agencyName": r.agency.name,
            "status": r.status,
            "statusLabel": r.get_status_display(),
            "dueAt": r.due_at.isoformat() if r.due_at else None,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class TargetAtRisk:
    programme: Programme
    unit: Unit
    code: str
    name: str
    unit_of_measure: str
    projected: Decimal | None
    final_target: Decimal | None
    achievement: Decimal | None
    end_year: int

    @property
    def heading(self) -> str:
        """What the page groups the rows under: the programme and the unit."""
        return f"{self.programme.name} – {self.unit.name}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme.code,
            "programmeName": self.programme.name,
            "unit": self.unit.code,
            "unitName": self.unit.name,
            "indicator": self.code,
            "indicatorName": self.name,
            "unitOfMeasure": self.unit_of_measure,
            "projected": _round(self.projected, 2),
            "finalTarget": _round(self.final_target, 2),
            "projectedAchievement": _round(self.achievement, 1),
            "endYear": self.end_year,
        }


@dataclass(frozen=True)
class LateUnit:
    form: ReportForm
    unit: Unit
    info: PeriodInfo
    last_reminded: dt.datetime | None
    today: dt.date

    @property
    def days_late(self) -> int:
        return (self.today - self.info.deadline).days

    def as_dict(self) -> dict[str, Any]:
        return {
            **_submission_keys(self.form, self.unit, self.info.period),
            "deadline": self.info.deadline.isoformat(),
            "daysLate": self.days_late,
            "lastRemindedAt": self.last_reminded.isoformat() if self.last_reminded else None,
        }


@dataclass
class Section:
    """One list of the page: its rows (at most LIMIT) and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "items": [item.as_dict() for item in self.items]}


@dataclass
class Work:
    today: dt.date
    forms_due: Section
    returned: Section
    to_approve: Section
    field_reports: Section
    reports_to_accept: int
    targets_at_risk: Section
    late_units: Section
    can_remind: bool
    can_set_reminders: bool
    handles_reports: bool

    @property
    def late_forms(self) -> int:
        return sum(1 for item in self.forms_due.items if item.late)

    @property
    def empty(self) -> bool:
        sections = (
            self.forms_due,
            self.returned,
            self.to_approve,
            self.field_reports,
            self.targets_at_risk,
            self.late_units,
        )
        return not any(s.total for s in sections) and not self.reports_to_accept

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "formsDue": self.forms_due.as_dict(),
            "returned": self.returned.as_dict(),
            "toApprove": self.to_approve.as_dict(),
            "fieldReports": {**self.field_reports.as_dict(), "toAccept": self.reports_to_accept},
            "targetsAtRisk": self.targets_at_risk.as_dict(),
            "lateUnits": self.late_units.as_dict(),
            "canRemind": self.can_remind,
            "canSetReminders": self.can_set_reminders,
        }


def _submission_keys(form: ReportForm, unit: Unit, period: Period) -> dict[str, str]:
    return {
        "form": form.code,
        "formName": form.name,
        "unit": unit.code,
        "unitName": unit.name,
        "period": period.code,
        "periodLabel": period.label,
    }


def _round(value: Decimal | None, places: int) -> float | None:
    return None if value is None else float(round(value, places))


def _section(rows: list) -> Section:
    return Section(rows[:LIMIT], len(rows))


# --- gathering -----------------------------------------------------------------------------


def my_work(
    user: User | AnonymousUser, *, now: dt.datetime | None = None, with_targets: bool = True
) -> Work:
    """Everything the user has to do, in a bounded number of queries.

    `with_targets=False` leaves out the targets at risk (an evaluation per programme), for
    a caller that only needs the other counts quickly.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    forms = list(visible_forms(user).filter(active=True).prefetch_related("form_periods"))
    expected = expected_unit_ids(forms) if forms else {}
    open_by_form = {form.pk: open_periods(form, today) for form in forms}
    # As a reporter only: a province officer may also enter any unit's report, but that
    # is not their own work (the reporting page's "to do" reads the same).
    reporter_units = _units(user, SUBMIT.name, roles=[Role.REPORTER])
    forms_due = _forms_due(forms, expected, open_by_form, reporter_units, today)
    returned = _submissions(user, SubmissionStatus.RETURNED, reporter_units, forms, today)
    approver_units = _units(user, APPROVE.name)
    to_approve = _submissions(user, SubmissionStatus.SUBMITTED, approver_units, forms, today)
    reports, to_accept = _field_reports(user, now)
    remind_units = _units(user, REMIND.name)
    late = _late_units(user, forms, open_by_form, remind_units, reporter_units, today)
    return Work(
        today=today,
        forms_due=_section(forms_due),
        returned=_section(returned),
        to_approve=_section(to_approve),
        field_reports=_section(reports),
        reports_to_accept=to_accept,
        targets_at_risk=_section(_targets_at_risk(user, today) if with_targets else []),
        late_units=_section(late),
        can_remind=bool(remind_units),
        can_set_reminders=manageable_forms(user).exists(),
        handles_reports=feedback.is_handler(user),
    )


def _units(
    user: User | AnonymousUser, action: str, *, roles: list[str] | None = None
) -> dict[int, Unit]:
    """The units in force on which the user may perform the action (none for a superuser,
    who acts on every unit but does no unit's own work); `roles` narrows to some of the
    action's roles."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return {}
    allowed = permissions.roles_for(action)
    chosen = [r for r in roles if r in allowed] if roles is not None else list(allowed)
    units = Unit.objects.visible_to(user, roles=chosen).in_force()
    return {unit.pk: unit for unit in units}


def _forms_due(forms, expected, open_by_form, reporter_units, today):
    """Open periods of the forms the user reports for, not yet submitted (returned ones are
    listed apart), what is late first, then by deadline."""
    if not reporter_units:
        return []
    pairs = []
    for form in forms:
        units = [reporter_units[i] for i in expected[form.pk] if i in reporter_units]
        for info in open_by_form[form.pk] if units else ():
            pairs.extend((form, info, unit) for unit in units)
    if not pairs:
        return []
    statuses = {
        (form_id, unit_id, period): status
        for form_id, unit_id, period, status in Submission.objects.filter(
            form__in={p[0].pk for p in pairs},
            unit_id__in={p[2].pk for p in pairs},
            period__in={p[1].period.code for p in pairs},
        ).values_list("form_id", "unit_id", "period", "status")
    }
    rows = []
    for form, info, unit in pairs:
        status = statuses.get((form.pk, unit.pk, info.period.code), "missing")
        if status != SubmissionStatus.DRAFT and status != "missing":
            continue  # submitted, approved, or returned (listed apart)
        rows.append(FormDue(form, unit, info, status, today))
    rows.sort(key=lambda r: (r.info.deadline, r.form.code, r.unit.sort_key))
    return rows


def _submissions(user, status: str, units: dict[int, Unit], forms, today) -> list:
    """Submissions in `status` of the forms the user reads, in the given units, newest
    first (one query)."""
    if not units or not forms:
        return []
    query = (
        Submission.objects.filter(status=status, unit_id__in=units, form__in=forms)
        .select_related("form", "unit")
        .order_by("-updated_at")[: LIMIT * 4]
    )
    # The province may have moved a period's deadline (FormPeriod, prefetched on `forms`).
    explicit = {(f.pk, fp.period): fp for f in forms for fp in f.form_periods.all()}
    rows = []
    for submission in query:
        try:
            period = parse_period(submission.period)
        except ValueError:
            continue
        info = period_info(
            submission.form,
            period,
            today=today,
            explicit=explicit.get((submission.form_id, period.code)),
            lookup=False,
        )
        rows.append(SubmissionItem(submission, period, info.deadline))
    return rows


def _field_reports(user, now: dt.datetime) -> tuple[list[ReportItem], int]:
    """Running field reports the user handles that are due soon or overdue (soonest
    first), and how many wait to be accepted."""
    if not feedback.is_handler(user) or user.is_superuser:
        return [], 0
    handled = feedback.handled_reports(user)
    soon = add_working_hours(now, NEAR_WORKING_HOURS)
    near = (
        handled.filter(status__in=RUNNING_STATUSES, due_at__lte=soon)
        .select_related("category", "unit", "agency")
        .order_by("due_at")[: LIMIT * 4]
    )
    to_accept = handled.filter(status=ReportStatus.RECEIVED).count()
    return [ReportItem(report, now) for report in near], to_accept


def _late_units(user, forms, open_by_form, remind_units, reporter_units, today) -> list:
    """Units the user may chase that have not reported a period whose deadline passed and
    which is still open; their own units are in "forms due" instead."""
    if not remind_units:
        return []
    pairs = [
        (form, info.period)
        for form in forms
        for info in open_by_form[form.pk]
        if info.deadline < today
    ]
    if not pairs:
        return []
    items = comp.completeness(user, pairs, with_units=True, today=today)
    reminded = last_reminders([(f, p.code) for f, p in pairs])
    rows = []
    for item in items:
        for status in item.units:
            unit = status.unit
            if status.reported or unit.pk not in remind_units or unit.pk in reporter_units:
                continue
            key = (item.form.pk, unit.pk, item.period.code)
            rows.append(LateUnit(item.form, unit, item.info, reminded.get(key), today))
    rows.sort(key=lambda r: (r.info.deadline, r.form.code, r.unit.sort_key))
    return rows


# --- targets at risk -----------------------------------------------------------------------


def _own_units(user) -> list[Unit]:
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return []
    units = {m.unit.pk: m.unit for m in user.memberships.select_related("unit")}
    return sorted((u for u in units.values() if u.in_force), key=lambda u: u.sort_key)


def _until(programme: Programme, today: dt.date) -> tuple[Period, str] | None:
    """Project from the whole years up to last year; from quarters in a programme's first
    year (as the dashboard does for a period in that year). None before any data."""
    year = today.year - 1
    if year >= programme.start_year + 1:
        return parse_period(str(min(year, programme.end_year))), PeriodType.YEAR
    last_quarter = period_of(today, PeriodType.QUARTER).previous()
    if last_quarter.year < programme.start_year:
        return None
    return last_quarter, PeriodType.QUARTER


def _targets_at_risk(user, today: dt.date) -> list[TargetAtRisk]:
    """Indicators of the programmes running this year whose trend, in one of the user's
    own units, misses the programme's final target."""
    units = _own_units(user)
    if not units:
        return []
    programmes = [
        p
        for p in list_programmes(user).filter(start_year__lte=today.year, end_year__gte=today.year)
        if any(u.path.startswith(p.owner_unit.path) for u in units)
    ][:MAX_PROGRAMMES]
    rows = []
    for programme in programmes:
        until = _until(programme, today)
        if until is None:
            continue
        for unit in units:
            if not unit.path.startswith(programme.owner_unit.path):
                continue
            projections = evaluation.projections(
                programme, unit, user=user, until=until[0], period_type=until[1]
            )
            for projection in projections.values():
                projected, achievement = evaluation.bounded_projection(projection)
                if achievement is None:
                    continue
                if evaluation.status_for(programme, achievement) == evaluation.MET:
                    continue
                indicator = projection.indicator
                rows.append(
                    TargetAtRisk(
                        programme,
                        unit,
                        indicator.code,
                        indicator.name,
                        indicator.unit_of_measure,
                        projected,
                        projection.final_target,
                        achievement,
                        programme.end_year,
                    )
                )
    # By programme and unit (the page groups them), the furthest from the target first.
    rows.sort(key=lambda r: (r.programme.code, r.unit.sort_key, r.achievement, r.code))
    return rows
