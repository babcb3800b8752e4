"""DXBoard's `ImportSummary` in the shape DHIS2 (2.36 and later) answers an import.

    {"httpStatus": "OK", "httpStatusCode": 200, "status": "OK", "message": "...",
     "response": {"responseType": "ImportSummary", "status": "SUCCESS",
                  "importOptions": {...}, "description": "...",
                  "importCount": {"imported", "updated", "ignored", "deleted"},
                  "conflicts": [{"object", "objects", "value", "errorCode", "property",
                                 "indexes"}],
                  "rejectedIndexes": [...], "dataSetComplete": "false" or the date}}

The fields are those a DHIS2 2.40 server answers. A conflict's `value` is the message, as
DHIS2 clients read it; `errorCode` is DHIS2's code for the same conflict (E7610 unknown
data element, E7611 period, E7612 org unit, E7613/E7615 category/attribute option combo,
E7617 no write access to the unit, E7619 a value not of the element's type), left out
where DHIS2 has none (a duplicate row, a numerator above its denominator); `objects` names the object's
type as DHIS2 does (an org unit is an `organisationUnit`); `path` ("dataValues[3]",
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


# DHIS2's key in `objects` for the property at fault, where it differs from the property.
OBJECT_TYPES = {"orgUnit": "organisationUnit"}


def conflict_out(conflict: ImportConflict) -> dict[str, Any]:
    field = conflict.field
    out: dict[str, Any] = {
        "object": conflict.object,
        "objects": {OBJECT_TYPES.get(field, field): conflict.object} if field else {},
        "value": conflict.message,
        "path": conflict.path,
    }
    if conflict.error_code:
        out["errorCode"] = conflict.error_code
    if conflict.field:
        out["property"] = conflict.field
    if conflict.index is not None:
        out["indexes"] = [conflict.index]
    return out


def import_summary(summary: ImportSummary, options: ImportOptions) -> dict[str, Any]:
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
        # DHIS2 answers the completeDate of a report the import completed, else "false".
        "dataSetComplete": summary.data_set_complete or "false",
    }


def web_message(summary: ImportSummary, options: ImportOptions) -> tuple[int, dict[str, Any]]:
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
        "response": import_summary(summary, options),
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
