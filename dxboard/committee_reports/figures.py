"""The figures part of a report, read from the other apps' services.

`collect(user, programme, unit, period)` returns plain JSON-ready data (numbers as
decimal strings), so an issued report stores exactly what it printed and renders the same
later. Nothing here recomputes a figure: evaluation, completeness, field-report
statistics, community teams and projects are asked through their own services.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Q

from dxboard.community.services import totals_for
from dxboard.evaluation import services as evaluation
from dxboard.evaluation.services import MET, NO_DATA, NO_TARGET
from dxboard.feedback import stats
from dxboard.indicators.models import Programme
from dxboard.periods import Period, PeriodType
from dxboard.projects.models import Item, ItemKind
from dxboard.projects.services import totals_of
from dxboard.units.models import Unit

from . import sources

Progress = Callable[[int, str], None]
# A request's user, or `SystemUser` for the command line: the services it is passed to
# read only is_authenticated, is_active, is_superuser and the memberships.
Reader = Any
# How many units "that lag most" the report names, and how many indicators it highlights.
LAGGING_UNITS = 5
HIGHLIGHTS = 5
CAP = Decimal(100)


class SystemUser:
    """The command line's reader: sees everything, like the evaluation's `user=None`."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True


def _text(value: Decimal | float | int | None) -> str | None:
    return None if value is None else str(value)


def _no_progress(percent: int, step: str) -> None:
    return None


def collect(
    user: Reader,
    programme: Programme,
    unit: Unit,
    period: Period,
    progress: Progress = _no_progress,
) -> dict[str, Any]:
    """Every figure of the report for a programme, unit and period (see module doc)."""
    progress(5, "evaluation")
    result = evaluation.evaluate(programme, unit, period, user=user)
    names = evaluation.bucket_names(programme)
    summary = result.summary
    data: dict[str, Any] = {
        "programme": {"code": programme.code, "name": programme.name},
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind},
        "period": {"code": period.code, "type": str(period.type)},
        "thresholds": [_text(t) for t in programme.thresholds],
        "summary": {
            "total": summary.total,
            "buckets": [summary.counts.get(name, 0) for name in names],
            "noData": summary.no_data,
            "noTarget": summary.no_target,
        },
        "indicators": [
            {
                "code": row.code,
                "name": row.name,
                "unit": row.unit_of_measure,
                "decimals": row.decimals,
                "actual": _text(row.actual),
                "target": _text(row.target),
                "achievement": _text(row.achievement),
                "status": _status_index(row.status, names),
            }
            for row in result.indicators
        ],
    }
    progress(30, "units")
    data["lagging"] = _lagging(user, programme, unit, period)
    progress(55, "forms")
    data["completeness"] = _completeness(user, unit, period)
    progress(70, "feedback")
    feedback = stats.figures(unit, period.start, period.end)
    data["feedback"] = {
        "received": feedback.received,
        "accepted": feedback.accepted,
        "resolved": feedback.resolved,
        "onTime": feedback.on_time,
        "overdue": feedback.overdue,
    }
    progress(80, "community")
    teams = totals_for(unit, as_of=period.end)
    data["community"] = {
        "teams": teams.teams,
        "members": teams.members,
        "unitsWithTeam": teams.units_with_team,
        "unitsTotal": teams.units_total,
    }
    progress(85, "projects")
    items = Item.objects.with_state(period.end).filter(
        lead_agency__path__startswith=unit.path, kind=ItemKind.PROJECT
    )
    projects = totals_of(items.active_in(period.year))
    data["projects"] = {
        "count": projects.count,
        "done": projects.done,
        "overdue": projects.overdue,
        "planned": projects.planned_budget,
        "disbursed": projects.disbursed_budget,
    }
    progress(90, "ranking")
    data["ranking"] = [
        {
            "set": row.set_code,
            "rank": row.rank,
            "unitName": row.unit_name,
            "points": _text(row.points),
            "maxPoints": _text(row.max_points),
            "index": _text(row.index),
        }
        for row in sources.scorecard_results(unit, period.year)
        if row.ranked
    ]
    return data


def _status_index(status: str, names: list[str]) -> int | str:
    """0–3 for the programme's buckets (met first), or "noData" / "noTarget"."""
    if status in (NO_DATA, NO_TARGET):
        return status
    return names.index(status)


def _lagging(
    user: Reader, programme: Programme, unit: Unit, period: Period
) -> list[dict[str, Any]]:
    """The child units with the lowest share of indicators met (only those with data);
    among equal shares (a province's communes often all meet none), the lowest mean
    achievement first, each indicator counted up to 100 % so one far above its target
    does not hide the others."""
    children = list(unit.children.filter(valid_to__isnull=True))
    if not children:
        return []
    results = evaluation.evaluate_many(programme, children, [period], user=user)
    rows = []
    for child in children:
        summary = results[(child.code, period.code)].summary
        scored = summary.total - summary.no_data - summary.no_target
        if scored <= 0:
            continue
        met = summary.counts.get(MET, 0)
        achievements = [
            min(row.achievement, CAP)
            for row in results[(child.code, period.code)].indicators
            if row.achievement is not None
        ]
        mean = sum(achievements, Decimal(0)) / len(achievements) if achievements else CAP
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "met": met,
                "scored": scored,
                "rate": _text(Decimal(met) * 100 / Decimal(scored)),
                "sort": (mean, child.sort_key),
            }
        )
    rows.sort(key=lambda r: (Decimal(r["rate"]), r["sort"]))
    for row in rows:
        del row["sort"]
    return [r for r in rows if Decimal(r["rate"]) < 100][:LAGGING_UNITS]


def _completeness(user: Reader, unit: Unit, period: Period) -> dict[str, Any]:
    """Forms whose reporting units lie in the unit's subtree, complete in every one of
    their periods inside the report's period ("17/20 biểu mẫu có đủ số liệu")."""
    forms = (
        sources.visible_forms(user)
        .filter(active=True)
        .filter(Q(owner_unit__path__startswith=unit.path) | Q(pk__in=_forms_above(unit)))
        .order_by("code")
    )
    pairs = [
        (form, sub) for form in forms for sub in period.sub_periods(PeriodType(form.period_type))
    ]
    by_form: dict[int, list[Any]] = {}
    names: dict[int, str] = {}
    for item in sources.completeness(user, pairs, within=unit):
        if item.expected:
            by_form.setdefault(item.form.pk, []).append(item)
            names[item.form.pk] = item.form.name
    incomplete = [names[pk] for pk, items in by_form.items() if not all(i.complete for i in items)]
    return {
        "forms": len(by_form),
        "complete": len(by_form) - len(incomplete),
        "incomplete": incomplete,
    }


def _forms_above(unit: Unit) -> list[int]:
    """Forms issued by the unit's ancestors (a province form that communes fill in)."""
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    return list(
        sources.ReportForm.objects.filter(owner_unit_id__in=ancestors).values_list("pk", flat=True)
    )
