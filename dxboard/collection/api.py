"""API of the figures store: reading values back (DHIS2 `dataValues`).

Writing goes through `POST /dataValueSets`, in the reporting app's router: an import can
submit a unit's report and must respect submitted reports' locks.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

from dxboard.api_input import PERIOD_HELP, UNIT_HELP
from dxboard.collection.values import get_values

router = Router(tags=["collection"])


class DataValueOut(Schema):
    dataElement: str
    period: str
    orgUnit: str
    value: str
    comment: str
    version: int
    storedBy: str | None
    lastUpdated: datetime


@router.get("/dataValues", response=list[DataValueOut], summary="Đọc số liệu đã nhập")
def list_data_values(
    request,
    orgUnit: str = Query(..., max_length=50, description=UNIT_HELP),
    period: str | None = Query(
        None, max_length=10, description=f"{PERIOD_HELP} Mọi kỳ nằm trong kỳ này."
    ),
    dataElement: str | None = Query(None, max_length=50, description="Mã phần tử số liệu."),
    children: bool = Query(False, description="Gồm cả các đơn vị cấp dưới."),
):
    """Values of a unit (with `children=true`, of its subtree), for periods inside `period`."""
    values = get_values(
        request.user,
        org_unit=orgUnit,
        period=period,
        data_element=dataElement,
        children=children,
    )
    return [
        {
            "dataElement": v.data_element.code,
            "period": v.period,
            "orgUnit": v.unit.code,
            "value": v.display_value,
            "comment": v.comment,
            "version": v.version,
            "storedBy": v.stored_by_label,
            "lastUpdated": v.updated_at,
        }
        for v in values
    ]
