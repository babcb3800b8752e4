"""API of reported figures: DHIS2 `dataValueSets` import and reading values back."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from dxboard.api_input import PERIOD_HELP, UNIT_HELP
from dxboard.collection.values import get_values
from dxboard.reporting.services.api_import import import_data_value_set

router = Router(tags=["collection"])

CSV_TYPES = ("text/csv", "application/csv")


class ImportCountOut(Schema):
    imported: int
    updated: int
    ignored: int
    deleted: int


class ConflictOut(Schema):
    object: str
    path: str
    message: str


class ImportSummaryOut(Schema):
    status: str
    dryRun: bool
    importCount: ImportCountOut
    conflicts: list[ConflictOut]


class ImportErrorOut(ImportSummaryOut):
    error: dict


class DataValueOut(Schema):
    dataElement: str
    period: str
    orgUnit: str
    value: str
    comment: str
    version: int
    storedBy: str | None
    lastUpdated: datetime


@router.post(
    "/dataValueSets",
    response={200: ImportSummaryOut, 409: ImportErrorOut},
    summary="Nhập số liệu (DHIS2 dataValueSets, JSON hoặc CSV)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "dataSet": {"type": "string"},
                            "period": {"type": "string"},
                            "orgUnit": {"type": "string"},
                            "completeDate": {"type": "string", "format": "date"},
                            "dataValues": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "dataElement": {"type": "string"},
                                        "period": {"type": "string"},
                                        "orgUnit": {"type": "string"},
                                        "value": {"type": "string"},
                                        "comment": {"type": "string"},
                                    },
                                },
                            },
                        },
                    }
                },
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def import_data_values(
    request,
    dryRun: bool = False,
    atomic: bool = True,
):
    """All or nothing unless `atomic=false`; `dryRun=true` checks and counts only.

    DHIS2's top-level `period` and `orgUnit` apply to every value that lacks them; with
    `dataSet` (a report form code) and `completeDate` the unit's report is submitted.

    Answers DHIS2's import summary; when nothing could be saved, 409 with the summary and
    the usual error object.
    """
    summary = import_data_value_set(
        request.user,
        request.body,
        csv_format=(request.content_type or "") in CSV_TYPES,
        dry_run=dryRun,
        atomic=atomic,
    )
    body = summary.as_dict()
    if summary.status == "ERROR":
        body["error"] = {
            "code": "conflict",
            "message": _("Số liệu có lỗi; chưa lưu dòng nào."),
            "details": [d.as_dict() for d in summary.error_details()],
        }
        return Status(409, body)
    return Status(200, body)


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
            "storedBy": v.updated_by.username if v.updated_by else None,
            "lastUpdated": v.updated_at,
        }
        for v in values
    ]
