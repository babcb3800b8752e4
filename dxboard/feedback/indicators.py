"""The field-report figures that feed the indicator catalogue as computed data values.

CQ-11 (resolved rate), CQ-12 (on-time rate) and CQ-13 (satisfaction) are ratios; their
numerators and denominators are the data elements below, written for each commune, each
handling agency and the province, for a period. Nobody types them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue
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
    """Rows {"dataElement", "period", "orgUnit", "value"} for the administrative units of
    `unit`'s subtree where reports happened, and zeros for its communes without reports.

    Each report is counted once, on the unit where it happened, because the evaluation
    engine sums a subtree: a figure stored on the province as well as on its communes (or
    on the handling agencies) would be counted twice there. The province's figure is the
    sum of its communes'; an agency's figures are read from the statistics, not stored.
    Earlier figures stored elsewhere in the subtree come back with an empty value, which
    deletes them. One grouped query for the reports.
    """
    if unit.kind not in ADMINISTRATIVE_KINDS:
        raise InvalidInput(
            _("Số liệu chỉ tiêu phản ánh được tính cho tỉnh, xã; không tính riêng cho cơ quan."),
            [ErrorDetail("unit", _("Chọn một đơn vị hành chính."))],
        )
    period = parse_period(period_code)
    expressions = figure_expressions()
    reports = reports_for(unit, period.start, period.end)
    per_unit: dict[str, Figures | None] = {
        row["unit__code"]: to_figures(row)
        for row in reports.order_by().values("unit__code").annotate(**expressions)
    }
    in_subtree = Unit.objects.in_force().filter(path__startswith=unit.path)
    for code in in_subtree.filter(kind=UnitKind.COMMUNE).values_list("code", flat=True):
        per_unit.setdefault(code, EMPTY)
    stale = (
        DataValue.objects.filter(
            data_element__code__in=DATA_ELEMENTS, period=period.code, unit__in=in_subtree
        )
        .exclude(unit__code__in=per_unit)
        .values_list("unit__code", flat=True)
        .distinct()
    )
    for code in stale:
        per_unit[code] = None
    rows = []
    for org_unit, figures in per_unit.items():
        for element, attribute in DATA_ELEMENTS.items():
            rows.append(
                {
                    "dataElement": element,
                    "period": period.code,
                    "orgUnit": org_unit,
                    "value": "" if figures is None else getattr(figures, attribute),
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
    return summary.imported + summary.updated + summary.deleted
