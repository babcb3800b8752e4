"""DX plans, tasks and projects API: summary, item list, item detail."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from dxboard.api_input import UNIT_HELP

from . import services

router = Router(tags=["projects"])


class ProjectSummaryOut(Schema):
    count: int
    done: int
    overdue: int
    plannedBudget: int = Field(..., description="Đồng")
    disbursedBudget: int = Field(..., description="Đồng")


class ItemOut(Schema):
    id: int
    kind: str
    plan: str
    code: str
    name: str
    leadAgency: str
    leadAgencyName: str
    startDate: date
    deadline: date
    status: str = Field(..., description="not_started, in_progress, done, cancelled, overdue")
    storedStatus: str
    progress: int
    plannedBudget: int
    disbursedBudget: int
    budgetSource: str


class DocumentOut(Schema):
    number: str
    date: date | None
    title: str
    url: str


class UpdateOut(Schema):
    at: str
    user: str | None
    oldStatus: str
    newStatus: str
    oldProgress: int | None
    newProgress: int | None
    oldDisbursed: int | None
    newDisbursed: int | None
    note: str


class ItemDetailOut(ItemOut):
    coordinatingAgencies: list[str]
    documents: list[DocumentOut]
    updates: list[UpdateOut]
    warnings: list[str]


class ItemFilter(Schema):
    unit: str | None = Field(None, max_length=50, description=UNIT_HELP)
    year: int | None = Field(None, ge=2000, le=2100)
    status: str | None = Field(None, pattern="^(not_started|in_progress|done|cancelled|overdue)$")


def _item(item) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "plan": item.plan.code,
        "code": item.code,
        "name": item.name,
        "leadAgency": item.lead_agency.code,
        "leadAgencyName": item.lead_agency.name,
        "startDate": item.start_date,
        "deadline": item.deadline,
        "status": item.state,
        "storedStatus": item.status,
        "progress": item.progress,
        "plannedBudget": item.planned_budget,
        "disbursedBudget": item.disbursed_budget,
        "budgetSource": item.budget_source,
    }


@router.get(
    "/projects/summary", response=ProjectSummaryOut, summary="Tổng hợp nhiệm vụ, dự án của đơn vị"
)
def projects_summary(
    request,
    unit: str = Query(..., max_length=50, description=UNIT_HELP),
    year: int | None = Query(None, ge=2000, le=2100),
):
    """Items led within the unit's subtree and active in the year; overdue as of today."""
    root = services.get_unit(request.user, unit)
    return services.summary(request.user, root, year).as_api()


@router.get("/projects/items", response=list[ItemOut], summary="Danh sách nhiệm vụ, dự án")
def projects_item_list(request, filters: Query[ItemFilter]):
    root = services.get_unit(request.user, filters.unit) if filters.unit else None
    items = services.item_list(
        request.user, unit=root, year=filters.year, state=filters.status or ""
    )
    return [_item(i) for i in items]


@router.get("/projects/items/{item_id}", response=ItemDetailOut, summary="Một nhiệm vụ, dự án")
def projects_item_detail(request, item_id: int):
    detail = services.item_detail(request.user, item_id)
    body = _item(detail["item"])
    body.update(
        coordinatingAgencies=[u.code for u in detail["coordinating"]],
        documents=[
            {"number": d.number, "date": d.date, "title": d.title, "url": d.url}
            for d in detail["documents"]
        ],
        updates=[
            {
                "at": u.at.isoformat(),
                "user": str(u.user) if u.user else None,
                "oldStatus": u.old_status,
                "newStatus": u.new_status,
                "oldProgress": u.old_progress,
                "newProgress": u.new_progress,
                "oldDisbursed": u.old_disbursed,
                "newDisbursed": u.new_disbursed,
                "note": u.note,
            }
            for u in detail["updates"]
        ],
        warnings=[str(w) for w in detail["warnings"]],
    )
    return body
