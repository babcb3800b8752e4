"""DXBoard's `ImportSummary` in the shape DHIS2 (2.36 and later) answers an import.

    {"httpStatus": "OK", "httpStatusCode": 200, "status": "OK", "message": "...",
     "response": {"responseType": "ImportSummary", "status": "SUCCESS",
                  "importOptions": {...}, "description": "...",
                  "importCount": {"imported", "updated", "ignored", "deleted"},
                  "conflicts": [{"object", "objects", "value", "property", "indexes"}],
                  "rejectedIndexes": [...], "dataSetComplete": "false"}}

A conflict's `value` is the message, as DHIS2 clients read it; `path` ("dataValues[3]",
"Dòng 5") is DXBoard's addition naming the row.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dxboard.collection.values import ImportConflict, ImportSummary
from dxboard.errors import ServiceError

from .options import ImportOptions

HTTP_STATUS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
               404: "Not Found", 409: "Conflict"}  # fmt: skip


def conflict_out(conflict: ImportConflict) -> dict[str, Any]:
    out: dict[str, Any] = {
        "object": conflict.object,
        "objects": {conflict.field: conflict.object} if conflict.field else {},
        "value": conflict.message,
        "path": conflict.path,
    }
    if conflict.field:
        out["property"] = conflict.field
    if conflict.index is not None:
        out["indexes"] = [conflict.index]
    return out


def import_summary(
    summary: ImportSummary, options: ImportOptions, *, data_set_complete: str = "false"
) -> dict[str, Any]:
    """The `response` part: DHIS2's ImportSummary."""
    description = {
        "SUCCESS": _("Nhập xong, không có lỗi."),
        "WARNING": _("Nhập xong; có dòng bị từ chối, xem conflicts."),
        "ERROR": _("Có lỗi; chưa lưu dòng nào, xem conflicts."),
    }[summary.status]
    return {
        "responseType": "ImportSummary",
        "status": summary.status,
        "importOptions": options.as_dhis2(),
        "description": description,
        "importCount": {
            "imported": summary.imported,
            "updated": summary.updated,
            "ignored": summary.ignored,
            "deleted": summary.deleted,
        },
        "conflicts": [conflict_out(c) for c in summary.conflicts],
        "rejectedIndexes": sorted({c.index for c in summary.conflicts if c.index is not None}),
        "dataSetComplete": data_set_complete,
    }


def web_message(
    summary: ImportSummary, options: ImportOptions, *, data_set_complete: str = "false"
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body): 200 when everything was saved, 409 as DHIS2 when not."""
    code = 200 if summary.status == "SUCCESS" else 409
    message = {
        "SUCCESS": _("Nhập thành công."),
        "WARNING": _("Có xung đột; xem bản tóm tắt nhập."),
        "ERROR": _("Có lỗi; xem bản tóm tắt nhập."),
    }[summary.status]
    body = {
        "httpStatus": HTTP_STATUS[code],
        "httpStatusCode": code,
        "status": "OK" if code == 200 else summary.status,
        "message": message,
        "response": import_summary(summary, options, data_set_complete=data_set_complete),
    }
    return code, body


def error_summary(error: ServiceError, options: ImportOptions | None = None) -> ImportSummary:
    """An error that stopped the whole document (unreadable file, bad option) as a summary
    whose conflicts name the parameter, row or field, the shape a DHIS2 client reads."""
    summary = ImportSummary(dry_run=bool(options and options.dry_run))
    summary.conflicts = [
        ImportConflict(detail.path, detail.path, detail.message) for detail in error.details
    ] or [ImportConflict(".", ".", str(error.message))]
    return summary


def plain_message(code: int, message: str) -> dict[str, Any]:
    """DHIS2's WebMessage without a response: authentication, not found, forbidden."""
    return {
        "httpStatus": HTTP_STATUS.get(code, "Error"),
        "httpStatusCode": code,
        "status": "ERROR",
        "message": str(message),
    }
