"""`GET /api/v1/me/work`: the items of the "Việc của tôi" page, for apps and integrations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from . import services

router = Router(tags=["work"])


class SubmissionKeys(Schema):
    form: str
    formName: str
    unit: str
    unitName: str
    period: str
    periodLabel: str


class FormDueOut(SubmissionKeys):
    deadline: str
    daysLeft: int
    late: bool
    status: str
    statusLabel: str


class SubmissionOut(SubmissionKeys):
    deadline: str
    status: str
    submittedAt: str | None
    returnedReason: str
    updatedAt: str


class FieldReportOut(Schema):
    id: int
    publicId: str
    category: str
    unit: str
    agency: str
    agencyName: str
    status: str
    statusLabel: str
    dueAt: str | None
    overdue: bool


class TargetAtRiskOut(Schema):
    programme: str
    programmeName: str
    unit: str
    unitName: str
    indicator: str
    indicatorName: str
    unitOfMeasure: str
    projected: float | None
    finalTarget: float | None
    projectedAchievement: float | None
    endYear: int


class LateUnitOut(SubmissionKeys):
    deadline: str
    daysLate: int
    lastRemindedAt: str | None


class FormsDueSection(Schema):
    total: int
    items: list[FormDueOut]


class SubmissionSection(Schema):
    total: int
    items: list[SubmissionOut]


class FieldReportSection(Schema):
    total: int
    toAccept: int
    items: list[FieldReportOut]


class TargetSection(Schema):
    total: int
    items: list[TargetAtRiskOut]


class LateUnitSection(Schema):
    total: int
    items: list[LateUnitOut]


class WorkOut(Schema):
    today: str
    formsDue: FormsDueSection
    returned: SubmissionSection
    toApprove: SubmissionSection
    fieldReports: FieldReportSection
    targetsAtRisk: TargetSection
    lateUnits: LateUnitSection
    canRemind: bool
    canSetReminders: bool


@router.get("/me/work", response=WorkOut, summary="Việc của tôi")
def my_work(request: HttpRequest):
    """What the caller has to do: forms due and late, reports returned to them or waiting
    for their approval, field reports near their deadline, targets at risk in their units,
    late units they may remind. Each list holds at most 50 items; `total` counts them all."""
    return services.my_work(request.user).as_dict()
