"""Completeness and timeliness of reports, per form and period, and per unit over time.

A unit has reported when its submission is submitted or approved. It is on time when it
was first submitted no later than the end of the deadline day (a submission at exactly
that instant is on time), late otherwise. A form is complete for a period when every
expected unit has reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from dxboard.periods import Period
from dxboard.units.models import Unit

from ..models import REPORTED_STATUSES, FormPeriod, ReportForm, Submission, SubmissionStatus
from .calendar import PeriodInfo, period_info, reporting_period
from .forms import expected_unit_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User


@dataclass
class UnitStatus:
    unit: Unit
    status: str  # a SubmissionStatus value or "missing"
    submitted_at: dt.datetime | None
    on_time: bool | None

    @property
    def reported(self) -> bool:
        return self.status in REPORTED_STATUSES

    @property
    def timeliness(self) -> str:
        if self.on_time is True:
            return "on_time"
        if self.on_time is False:
            return "late"
        return "missing"


@dataclass
class Completeness:
    form: ReportForm
    info: PeriodInfo
    expected: int = 0
    submitted: int = 0
    approved: int = 0
    on_time: int = 0
    late: int = 0
    units: list[UnitStatus] = field(default_factory=list)

    @property
    def period(self) -> Period:
        return self.info.period

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.missing == 0

    @property
    def percent(self) -> float:
        return 100.0 * self.submitted / self.expected if self.expected else 0.0

    @property
    def overdue(self) -> bool:
        return self.missing > 0 and timezone.now() > self.info.deadline_at

    def as_dict(self) -> dict:
        return {
            "form": self.form.code,
            "period": self.period.code,
            "deadline": self.info.deadline.isoformat(),
            "expected": self.expected,
            "submitted": self.submitted,
            "approved": self.approved,
            "onTime": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "complete": self.complete,
            "units": [
                {
                    "code": s.unit.code,
                    "name": s.unit.name,
                    "status": s.status,
                    "submittedAt": s.submitted_at.isoformat() if s.submitted_at else None,
                    "timeliness": s.timeliness,
                }
                for s in self.units
            ],
        }


def completeness(
    user: User | AnonymousUser,
    forms_periods: list[tuple[ReportForm, Period]],
    *,
    within: Unit | None = None,
    with_units: bool = False,
    today: dt.date | None = None,
) -> list[Completeness]:
    """Completeness of several (form, period) pairs in a fixed number of queries.

    Only units the user may see count; `within` narrows to one unit's subtree.
    """
    if not forms_periods:
        return []
    forms = list({f.pk: f for f, _p in forms_periods}.values())
    expected = expected_unit_ids(forms)
    visible = Unit.objects.visible_to(user).in_force()
    if within is not None:
        visible = visible.filter(path__startswith=within.path)
    all_ids = set().union(*expected.values())
    if user.is_superuser and within is None:
        visible_ids = all_ids
    else:
        visible_ids = set(visible.filter(pk__in=all_ids).values_list("pk", flat=True))
    explicit = {
        (fp.form_id, fp.period): fp
        for fp in FormPeriod.objects.filter(
            form__in=forms, period__in={p.code for _f, p in forms_periods}
        )
    }
    wanted = {(f.pk, p.code) for f, p in forms_periods}
    rows: dict[tuple[int, str], dict[int, tuple[str, dt.datetime | None]]] = {}
    for form_id, period, unit_id, status, first in Submission.objects.filter(
        form__in=forms, period__in={p.code for _f, p in forms_periods}
    ).values_list("form_id", "period", "unit_id", "status", "first_submitted_at"):
        if (form_id, period) in wanted:
            rows.setdefault((form_id, period), {})[unit_id] = (status, first)
    units: dict[int, Unit] = {}
    if with_units:
        needed = set().union(*(expected[f.pk] & visible_ids for f, _p in forms_periods))
        units = {u.pk: u for u in Unit.objects.filter(pk__in=needed)}
    result = []
    for form, period in forms_periods:
        info = period_info(
            form, period, today=today, explicit=explicit.get((form.pk, period.code)), lookup=False
        )
        item = Completeness(form, info)
        deadline_at = info.deadline_at
        submissions = rows.get((form.pk, period.code), {})
        ids = expected[form.pk] & visible_ids
        item.expected = len(ids)
        for unit_id in ids:
            status, first = submissions.get(unit_id, ("missing", None))
            on_time = None
            if status in REPORTED_STATUSES:
                item.submitted += 1
                on_time = first is not None and first <= deadline_at
                if on_time:
                    item.on_time += 1
                else:
                    item.late += 1
                if status == SubmissionStatus.APPROVED:
                    item.approved += 1
            if with_units:
                item.units.append(UnitStatus(units[unit_id], status, first, on_time))
        item.units.sort(key=lambda s: (s.reported, s.unit.sort_key))
        result.append(item)
    return result


def overview(
    user: User | AnonymousUser, forms: list[ReportForm], today: dt.date | None = None
) -> list[Completeness]:
    """Each form at its reporting period (the one due next): "17 of 20 forms complete"."""
    return completeness(user, [(f, reporting_period(f, today)) for f in forms], today=today)


def unit_history(
    user: User | AnonymousUser, form: ReportForm, unit: Unit, periods: list[Period]
) -> list[Completeness]:
    """One unit's status for a form over several periods."""
    return completeness(user, [(form, p) for p in periods], within=unit, with_units=True)


def late_units(user: User | AnonymousUser, form: ReportForm, period: Period) -> list[UnitStatus]:
    """Units that have not reported (once the deadline passed) or reported late."""
    item = completeness(user, [(form, period)], with_units=True)[0]
    after_deadline = timezone.now() > item.info.deadline_at
    return [s for s in item.units if s.on_time is False or (not s.reported and after_deadline)]
