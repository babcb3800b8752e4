"""The field-report figures that feed the indicator catalogue as computed data values.

CQ-11 (resolved rate), CQ-12 (on-time rate) and CQ-13 (satisfaction) are ratios; their
numerators and denominators are the data elements below, written for each commune, each
handling agency and the province, for a period. Nobody types them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.periods import parse_period
from dxboard.units.models import ADMINISTRATIVE_KINDS, Unit, UnitKind

from .stats import Figures, figure_expressions, reports_for, to_figures

# data element code -> Figures attribute
DATA_ELEMENTS = {
    "CQ-11-DAXL": "resolved",
    "CQ-11-TIEPNHAN": "accepted",
    "CQ-12-DUNGHAN": "on_time",
    "CQ-12-DAXL": "resolved",
    "CQ-13-HAILONG": "satisfied",
    "CQ-13-DANHGIA": "ratings",
}
EMPTY = Figures(0, 0, 0, 0, 0, 0, 0, None)


def indicator_rows(period_code: str, unit: Unit) -> list[dict]:
    """Rows {"dataElement", "period", "orgUnit", "value"} for `unit`, its communes and agencies.

    Communes count the reports that happened there; agencies the reports they handle.
    Communes and agencies without reports get zeros. Three grouped queries in all.
    """
    period = parse_period(period_code)
    reports = reports_for(unit, period.start, period.end)
    expressions = figure_expressions()
    per_unit: dict[str, Figures] = {unit.code: to_figures(reports.aggregate(**expressions))}
    in_subtree = Unit.objects.in_force().filter(path__startswith=unit.path).exclude(pk=unit.pk)
    commune_codes = list(in_subtree.filter(kind=UnitKind.COMMUNE).values_list("code", flat=True))
    agency_codes = list(
        in_subtree.exclude(kind__in=ADMINISTRATIVE_KINDS).values_list("code", flat=True)
    )
    if unit.kind in ADMINISTRATIVE_KINDS:
        for row in reports.order_by().values("unit__code").annotate(**expressions):
            if row["unit__code"] in commune_codes:
                per_unit[row["unit__code"]] = to_figures(row)
        for code in commune_codes:
            per_unit.setdefault(code, EMPTY)
        agency_rows = reports.order_by().values("agency__code").annotate(**expressions)
        for row in agency_rows:
            if row["agency__code"] in agency_codes:
                per_unit[row["agency__code"]] = to_figures(row)
        for code in agency_codes:
            per_unit.setdefault(code, EMPTY)
    rows = []
    for org_unit, figures in per_unit.items():
        for element, attribute in DATA_ELEMENTS.items():
            rows.append(
                {
                    "dataElement": element,
                    "period": period.code,
                    "orgUnit": org_unit,
                    "value": getattr(figures, attribute),
                }
            )
    return rows


def publish_indicator_values(period_code: str, unit: Unit) -> int:
    """Compute the rows and save them as computed values; returns how many were written.

    All or nothing: when the collection app refuses a row (e.g. a data element missing
    from the catalogue), nothing is saved and InvalidInput lists each refusal.
    """
    from dxboard.collection.values import save_values

    rows = indicator_rows(period_code, unit)
    summary = save_values(None, rows, source="computed")
    if not summary.ok:
        raise InvalidInput(
            _("Không ghi được số liệu chỉ tiêu phản ánh."),
            [ErrorDetail(c.path, c.message) for c in summary.conflicts],
        )
    return summary.imported + summary.updated
