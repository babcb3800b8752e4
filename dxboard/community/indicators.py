"""Computed indicator values from the team register.

NL-02 (members per 100 inhabitants) = NL-02-THANHVIEN / NL-02-DANSO × 100 and
XH-08 (hamlets with a team) = XH-08-COTO / XH-08-TONG, written for every commune as data
values with source "computed".

Values are written for communes only. The evaluation engine adds up a unit's subtree
(these data elements aggregate by "sum" over units), so a district's or the province's
figure is the sum of its communes; a value stored on the province as well would be
counted twice. The figures are those of the register at the end of the period (teams
founded and members joined by then), so past periods keep their history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import InvalidInput
from dxboard.periods import parse_period
from dxboard.units.models import Unit

from . import services

MEMBERS = "NL-02-THANHVIEN"
POPULATION = "NL-02-DANSO"
UNITS_WITH_TEAM = "XH-08-COTO"
UNITS_TOTAL = "XH-08-TONG"
DATA_ELEMENTS = (MEMBERS, POPULATION, UNITS_WITH_TEAM, UNITS_TOTAL)


def indicator_rows(period_code: str, unit: Unit, today: date | None = None) -> list[dict[str, Any]]:
    """The rows to write: four data elements for each commune in `unit`'s subtree.

    The register is read as it stood at the end of the period, or today for the current
    period. A commune without a population gets no NL-02-DANSO row.
    """
    period = parse_period(period_code)
    as_of = min(period.end, today or timezone.localdate())
    rows: list[dict[str, Any]] = []
    for figures in services.per_commune(unit, as_of=as_of):
        values = {
            MEMBERS: figures["members"],
            POPULATION: figures["population"],
            UNITS_WITH_TEAM: figures["units_with_team"],
            UNITS_TOTAL: figures["units_total"],
        }
        for element, value in values.items():
            if value is None:
                continue
            rows.append(
                {
                    "dataElement": element,
                    "period": period.code,
                    "orgUnit": figures["commune"].code,
                    "value": value,
                }
            )
    return rows


def publish_indicator_values(period_code: str, unit: Unit, today: date | None = None):
    """Write the computed values through the collection module; return its import summary.

    Raises InvalidInput with one detail per rejected row (for example when the catalogue
    lacks one of the data elements); then nothing is written.
    """
    from dxboard.collection.values import save_values

    rows = indicator_rows(period_code, unit, today)
    result = save_values(None, rows, source="computed")
    if not result.ok:
        raise InvalidInput(
            _("Không ghi được số liệu tính từ danh sách tổ."), result.error_details()
        )
    return result
