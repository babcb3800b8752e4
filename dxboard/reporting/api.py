"""API of periodic reporting: forms, completeness and a unit's values for a form and period.

Writing values goes through `POST /dataValueSets` (at the end of this module), which
calls `services.workflow.complete_from_api` when the payload carries `completeDate`.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from dxboard.api_input import PERIOD_HELP, UNIT_HELP
from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.units.models import Unit

from .models import Submission
from .services import completeness as comp
from .services.api_import import import_data_value_set
from .services.calendar import parse_form_period, period_info, reporting_period
from .services.forms import form_structure, get_visible_form, visible_forms
from .services.workflow import load_entry

router = Router(tags=["collection"])


class FormOut(Schema):
    code: str
    name: str
    periodType: str
    active: bool


class FieldOut(Schema):
    dataElement: str
    label: str
    unitOfMeasure: str
    valueType: str
    required: bool


class SectionOut(Schema):
    title: str
    fields: list[FieldOut]


class RuleOut(Schema):
    left: str
    operator: str
    right: str
    importance: str
    message: str


class FormDetailOut(FormOut):
    description: str
    orgUnit: str
    cutoffDay: int
    deadlineDays: int
    currentPeriod: str
    currentDeadline: str
    sections: list[SectionOut]
    rules: list[RuleOut]


class UnitStatusOut(Schema):
    code: str
    name: str
    status: str
    submittedAt: str | None
    timeliness: str


class CompletenessOut(Schema):
    form: str
    period: str
    deadline: str
    expected: int
    submitted: int
    approved: int
    onTime: int
    late: int
    missing: int
    complete: bool
    units: list[UnitStatusOut]


class CompletenessQuery(Schema):
    period: str | None = Field(None, max_length=10, description="Mã kỳ (mặc định: kỳ sắp đến hạn)")
    unit: str | None = Field(
        None, max_length=50, description="Chỉ tính các đơn vị thuộc đơn vị này"
    )


class DataValueOut(Schema):
    dataElement: str
    period: str
    orgUnit: str
    value: str
    comment: str
    storedBy: str | None
    lastUpdated: str


class DataValueSetOut(Schema):
    dataSet: str
    period: str
    orgUnit: str
    status: str
    completeDate: str | None
    dataValues: list[DataValueOut]


class DataValueSetQuery(Schema):
    period: str = Field(..., max_length=10, description=PERIOD_HELP)
    orgUnit: str = Field(..., max_length=50, description=UNIT_HELP)


def _form_out(form) -> dict:
    return {
        "code": form.code,
        "name": form.name,
        "periodType": form.period_type,
        "active": form.active,
    }


@router.get("/forms", response=list[FormOut], summary="Danh sách biểu mẫu báo cáo")
def list_report_forms(request: HttpRequest):
    return [_form_out(f) for f in visible_forms(request.user).order_by("code")]


@router.get(
    "/forms/{code}", response=FormDetailOut, summary="Một biểu mẫu: các phần, trường, quy tắc"
)
def get_report_form(request: HttpRequest, code: str):
    form = get_visible_form(request.user, code)
    current = period_info(form, reporting_period(form))
    return {
        **_form_out(form),
        "description": form.description,
        "orgUnit": form.owner_unit.code,
        "cutoffDay": form.cutoff_day,
        "deadlineDays": form.deadline_days,
        "currentPeriod": current.period.code,
        "currentDeadline": current.deadline.isoformat(),
        "sections": [
            {
                "title": s.section.title,
                "fields": [
                    {
                        "dataElement": f.code,
                        "label": f.label,
                        "unitOfMeasure": f.unit_of_measure,
                        "valueType": f.value_type,
                        "required": f.required,
                    }
                    for f in s.fields
                ],
            }
            for s in form_structure(form)
        ],
        "rules": [
            {
                "left": r.left,
                "operator": r.operator,
                "right": r.right,
                "importance": r.importance,
                "message": r.message,
            }
            for r in form.rules.filter(active=True)
        ],
    }


@router.get(
    "/forms/{code}/completeness",
    response=CompletenessOut,
    summary="Tình hình nộp báo cáo của một biểu mẫu trong một kỳ",
)
def report_form_completeness(request: HttpRequest, code: str, query: Query[CompletenessQuery]):
    form = get_visible_form(request.user, code)
    period = parse_form_period(form, query.period) if query.period else reporting_period(form)
    within = None
    if query.unit:
        within = Unit.objects.visible_to(request.user).in_force().filter(code=query.unit).first()
        if within is None:
            message = _("Không tìm thấy đơn vị “%(code)s”.") % {"code": query.unit}
            raise NotFound(message, [ErrorDetail("unit", message)])
    item = comp.completeness(request.user, [(form, period)], within=within, with_units=True)[0]
    return item.as_dict()


@router.get(
    "/forms/{code}/dataValueSet",
    response=DataValueSetOut,
    summary="Số liệu của một đơn vị cho một biểu mẫu và kỳ (dạng DHIS2 dataValueSets)",
)
def get_report_form_values(request: HttpRequest, code: str, query: Query[DataValueSetQuery]):
    return data_value_set(request.user, code, query.period, query.orgUnit)


def data_value_set(user, form_code: str, period: str, org_unit: str) -> dict:
    """A unit's values for a form and period in DHIS2's dataValueSets shape (read only)."""
    if not period or not org_unit:
        raise InvalidInput(_("Cần period và orgUnit."))
    ctx = load_entry(user, form_code, org_unit, period)
    submission: Submission | None = ctx.submission
    complete = submission.first_submitted_at if submission else None
    return {
        "dataSet": ctx.form.code,
        "period": ctx.period.code,
        "orgUnit": ctx.unit.code,
        "status": submission.status if submission else "missing",
        "completeDate": complete.isoformat() if complete else None,
        "dataValues": [
            {
                "dataElement": code,
                "period": ctx.period.code,
                "orgUnit": ctx.unit.code,
                "value": value.display_value,
                "comment": value.comment,
                "storedBy": value.stored_by_label,
                "lastUpdated": value.updated_at.isoformat(),
            }
            for code, value in sorted(ctx.stored.items())
        ],
    }


# --- DHIS2 dataValueSets import ----------------------------------------------------------

CSV_TYPES = ("text/csv", "application/csv")


class ImportCountOut(Schema):
    imported: int
    updated: int
    ignored: int
    deleted: int


class ConflictOut(Schema):
    object: str
    value: str = Field(description="Thông báo lỗi (nơi các client DHIS2 đọc nó).")
    path: str
    message: str


class TakenUnitOut(Schema):
    """Which unit a code was read as for a period (a code names the unit in force then)."""

    orgUnit: str
    period: str
    name: str
    validFrom: date | None
    validTo: date | None


class ImportSummaryOut(Schema):
    status: str
    dryRun: bool
    importCount: ImportCountOut
    conflicts: list[ConflictOut]
    orgUnits: list[TakenUnitOut] = []


class ImportErrorOut(ImportSummaryOut):
    error: dict


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
