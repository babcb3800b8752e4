"""Factories for programmes, indicators and values; they go through the import services."""

from __future__ import annotations

from typing import Any

from dxboard.collection.values import ValueRow, save_values
from dxboard.indicators.models import Programme
from dxboard.indicators.services import import_metadata


def element(code: str, *, value_type="integer", units="sum", time="sum") -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Phần tử {code}",
        "valueType": value_type,
        "aggregationType": units,
        "timeAggregationType": time,
    }


def ratio(
    code: str,
    *,
    direction: str = "up",
    factor: int = 100,
    time: tuple[str, str] = ("sum", "sum"),
    units: str = "sum",
    unit: str = "%",
) -> dict[str, list]:
    """A ratio indicator `code` with elements `code-TU` / `code-MAU`."""
    return {
        "dataElements": [
            element(f"{code}-TU", units=units, time=time[0]),
            element(f"{code}-MAU", units=units, time=time[1]),
        ],
        "indicators": [
            {
                "code": code,
                "name": f"Chỉ tiêu {code}",
                "numerator": f"{code}-TU",
                "denominator": f"{code}-MAU",
                "factor": factor,
                "unit": unit,
                "direction": direction,
                "pillar": "chinh_quyen_so",
            }
        ],
    }


def single(
    code: str, *, direction: str = "up", units: str = "sum", time: str = "sum", value_type="integer"
) -> dict[str, list]:
    return {
        "dataElements": [element(code, units=units, time=time, value_type=value_type)],
        "indicators": [
            {
                "code": code,
                "name": f"Chỉ tiêu {code}",
                "numerator": code,
                "unit": "",
                "direction": direction,
                "pillar": "nhan_luc",
            }
        ],
    }


def make_programme(
    unit_code: str,
    parts: list[dict[str, list]],
    targets: list[tuple[str, int, float] | tuple[str, int, float, str]] = (),
    *,
    code: str = "CT-THU",
    thresholds: list[float] | None = None,
    is_public: bool = False,
    start: int = 2021,
    end: int = 2025,
) -> Programme:
    """A programme of `unit_code` with the indicators of `parts` and (indicator, year,
    value[, unit]) targets, loaded through `import_metadata`."""
    elements = [e for part in parts for e in part["dataElements"]]
    indicators = [i for part in parts for i in part["indicators"]]
    programme = {
        "code": code,
        "name": f"Chương trình {code}",
        "startYear": start,
        "endYear": end,
        "orgUnit": unit_code,
        "isPublic": is_public,
        "indicators": [i["code"] for i in indicators],
        "targets": [
            {
                "indicator": t[0],
                "year": t[1],
                "value": t[2],
                "orgUnit": t[3] if len(t) > 3 else unit_code,
            }
            for t in targets
        ],
    }
    if thresholds:
        programme["thresholds"] = thresholds
    import_metadata(
        None, {"dataElements": elements, "indicators": indicators, "programmes": [programme]}
    )
    return Programme.objects.select_related("owner_unit").get(code=code)


def put(*values: tuple[str, str, str, Any]) -> None:
    """Store (element, unit code, period, value) figures as computed values."""
    rows = [ValueRow(e, p, u, v) for e, u, p, v in values]
    summary = save_values(None, rows, "computed")
    assert summary.ok, summary.as_dict()
