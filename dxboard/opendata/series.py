"""The series a dataset page charts, when its data is one (figures over periods).

The page shows it as a table, readable without JavaScript; the vendored ECharts draws it
from that table (`opendata/series.js`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dxboard.evaluation.services import bucket_names
from dxboard.evaluation.views import statuses
from dxboard.opendata.models import Dataset, SourceKind
from dxboard.opendata.tables import Table, Value

# Per source: the numeric columns summed per period.
SUMMED = {
    SourceKind.FEEDBACK: ["received", "resolved", "on_time"],
    SourceKind.COMMUNITY: ["teams", "members"],
    SourceKind.COMPLETENESS: ["reported"],
}


@dataclass(frozen=True)
class Series:
    title: str
    periods: list[str]
    names: list[str]
    values: list[list[float | int]]  # one list per name, one value per period


def _periods(table: Table, rows: Sequence[tuple[Value, ...]]) -> list[str]:
    index = table.field_ids.index("period_label")
    seen: dict[str, None] = {}
    for row in rows:
        seen.setdefault(str(row[index]), None)
    return list(seen)


def series_of(dataset: Dataset, table: Table) -> Series | None:
    ids = table.field_ids
    values: list[list[float | int]] = []
    if "period_label" not in ids or not table.rows:
        return None
    label = ids.index("period_label")
    if dataset.source == SourceKind.EVALUATION:
        # The covered unit's indicators per status bucket: "7 met, 9 above 70 %…"
        assert dataset.programme is not None
        buckets = {
            name: info.label
            for name, info in statuses(dataset.programme).items()
            if name in bucket_names(dataset.programme)
        }
        unit, status = ids.index("unit_code"), ids.index("status")
        rows = [r for r in table.rows if r[unit] == dataset.coverage.code]
        periods = _periods(table, rows)
        for bucket in buckets:
            counts: dict[str, float | int] = dict.fromkeys(periods, 0)
            for row in rows:
                if row[status] == bucket:
                    counts[str(row[label])] += 1
            values.append(list(counts.values()))
        if not any(any(v) for v in values):
            return None
        return Series(
            str(_("Số chỉ tiêu theo mức đạt")),
            periods,
            [str(label) for label in buckets.values()],
            values,
        )
    columns = SUMMED.get(SourceKind(dataset.source))
    if not columns:
        return None
    periods = _periods(table, table.rows)
    fields = {f.id: f for f in table.fields}
    values = []
    for column in columns:
        index = ids.index(column)
        sums: dict[str, float | int] = dict.fromkeys(periods, 0)
        for row in table.rows:
            sums[str(row[label])] += row[index] or 0  # type: ignore[operator]
        values.append(list(sums.values()))
    return Series(
        str(dataset.get_source_display()),
        periods,
        [fields[c].label for c in columns],
        values,
    )
