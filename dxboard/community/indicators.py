"""Computed indicator values from the team register.

NL-02 (members per 100 inhabitants) = NL-02-THANHVIEN / NL-02-DANSO × 100 and
XH-08 (hamlets with a team) = XH-08-COTO / XH-08-TONG, written for every commune and
for the province as data values with source "computed".
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dxboard.errors import InvalidInput
from dxboard.periods import parse_period
from dxboard.units.models import Unit

from . import services

MEMBERS = "NL-02-THANHVIEN"
POPULATION = "NL-02-DANSO"
UNITS_WITH_TEAM = "XH-08-COTO"
UNITS_TOTAL = "XH-08-TONG"


def indicator_rows(period_code: str, unit: Unit) -> list[dict[str, Any]]:
    """The rows to write: four data elements for each commune under `unit` and `unit` itself."""
    period = parse_period(period_code).code
    rows: list[dict[str, Any]] = []

    def add(code: str, figures: dict[str, Any]) -> None:
        values = {
            MEMBERS: figures["members"],
            POPULATION: figures["population"],
            UNITS_WITH_TEAM: figures["units_with_team"],
            UNITS_TOTAL: figures["units_total"],
        }
        for element, value in values.items():
            if value is None:
                continue
            rows.append({"dataElement": element, "period": period, "orgUnit": code, "value": value})

    for figures in services.per_commune(unit):
        if figures["commune"].pk != unit.pk:
            add(figures["commune"].code, figures)
    totals = services.totals_for(unit)
    add(
        unit.code,
        {
            "members": totals.members,
            "population": totals.population,
            "units_with_team": totals.units_with_team,
            "units_total": totals.units_total,
        },
    )
    return rows


def publish_indicator_values(period_code: str, unit: Unit):
    """Write the computed values through the collection module; return its import summary.

    Raises InvalidInput with one detail per rejected row (for example when the catalogue
    lacks one of the data elements); then nothing is written.
    """
    from dxboard.collection.values import save_values

    rows = indicator_rows(period_code, unit)
    result = save_values(None, rows, source="computed")
    if not result.ok:
        raise InvalidInput(
            _("Không ghi được số liệu tính từ danh sách tổ."), result.error_details()
        )
    return result
