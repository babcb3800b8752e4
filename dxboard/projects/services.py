"""Plan, task and project services: permissions, writes with an update log, summaries.

Views, the JSON API, Excel import and the demo all go through these functions. An item
is visible to users of its lead agency's units (and above) and of its coordinating
agencies; the province's officers and the lead agency's officers edit it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.projects.permissions import CREATE_PLAN, EDIT_ITEM
from dxboard.text import one_line
from dxboard.units.models import Unit, membership_paths

from .models import (
    OVERDUE,
    Item,
    ItemDocument,
    ItemStatus,
    ItemUpdate,
    Plan,
    check_budget_bound,
)

WRITE_ROLES = EDIT_ITEM.roles
PLAN_ROLES = CREATE_PLAN.roles
ITEM_FIELDS = (
    "kind",
    "code",
    "name",
    "start_date",
    "deadline",
    "status",
    "progress",
    "planned_budget",
    "disbursed_budget",
    "budget_source",
    "note",
)


# --- budget --------------------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")


def parse_budget(raw: Any) -> int:
    """An amount in đồng: 56800000000, "56.800.000.000" or "56 800 000 000".

    Anything else ("56,8 tỷ", "1,5", "-3") raises ValueError with a message asking for
    a whole number of đồng.
    """
    if raw is None or raw == "":
        return 0
    if isinstance(raw, bool):
        raise ValueError(_("hãy ghi số tiền bằng đồng."))
    if isinstance(raw, int) or (isinstance(raw, float) and raw.is_integer()):
        amount = int(raw)
    else:
        text = str(raw).strip().replace("\u00a0", " ")
        if text.isdigit():
            amount = int(text)
        elif _GROUPED.match(text):
            amount = int(re.sub(r"[. ]", "", text))
        else:
            raise ValueError(
                _(
                    "“%(value)s” không phải số tiền hợp lệ. Hãy ghi số tiền bằng đồng, "
                    "ví dụ 56800000000 hoặc 56.800.000.000 (không ghi “tỷ”, “triệu”)."
                )
                % {"value": text}
            )
    if amount < 0:
        raise ValueError(_("số tiền không được âm."))
    check_budget_bound(amount)
    return amount


# --- permissions ---------------------------------------------------------------------------


def visible_items(user):
    units = Unit.objects.visible_to(user)
    coordinated = Item.coordinating_agencies.through.objects.filter(
        item_id=OuterRef("pk"), unit__in=units
    )
    return Item.objects.filter(Q(lead_agency__in=units) | Exists(coordinated))


def can_edit(user, item: Item) -> bool:
    return (
        user.is_authenticated
        and Unit.objects.visible_to(user, roles=WRITE_ROLES).filter(pk=item.lead_agency_id).exists()
    )


def can_create(user) -> bool:
    return user.is_authenticated and Unit.objects.visible_to(user, roles=WRITE_ROLES).exists()


def plan_owner_choices(user):
    """Units that may issue a plan in the user's name: where they are a DX officer or admin."""
    return (
        Unit.objects.visible_to(user, roles=PLAN_ROLES)
        .in_force()
        .exclude(kind="hamlet")
        .order_by("depth", "kind", "sort_key")
    )


def can_create_plan(user) -> bool:
    return user.is_authenticated and plan_owner_choices(user).exists()


def get_item(user, item_id: int) -> Item:
    item = (
        visible_items(user)
        .with_state()
        .select_related("plan", "lead_agency")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound(_("Không tìm thấy nhiệm vụ, dự án."))
    return item


def get_unit(user, code: str) -> Unit:
    unit = Unit.objects.visible_to(user).in_force().filter(code=code).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": code})
    return unit


def visible_plans(user):
    """Plans owned by a unit the user sees, or by a unit above one of theirs.

    A commune officer sees the province's plans, so they can file their items in them.
    """
    if not user.is_authenticated:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.select_related("owner_unit")
    ancestor_ids = {
        int(part) for path in membership_paths(user) for part in path.strip("/").split("/") if part
    }
    return Plan.objects.filter(
        Q(owner_unit__in=Unit.objects.visible_to(user)) | Q(owner_unit_id__in=ancestor_ids)
    ).select_related("owner_unit")


def lead_agency_choices(user):
    """Units where the user may lead an item: agencies and communes in their write scope."""
    return (
        Unit.objects.visible_to(user, roles=WRITE_ROLES)
        .in_force()
        .exclude(kind="hamlet")
        .order_by("depth", "kind", "sort_key")
    )


# --- writes --------------------------------------------------------------------------------


def _validation_details(error: ValidationError) -> list[ErrorDetail]:
    return [
        ErrorDetail(field if field != "__all__" else ".", str(message))
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def _check(obj) -> None:
    try:
        obj.full_clean(exclude=["coordinating_agencies"])
    except ValidationError as error:
        details = _validation_details(error)
        raise InvalidInput(details[0].message, details) from error


def over_budget_message() -> str:
    return _(
        "Kinh phí đã giải ngân lớn hơn kinh phí kế hoạch. Nếu đúng như vậy, đánh dấu “Xác nhận "
        "giải ngân vượt kế hoạch” rồi lưu lại; nếu không, hãy sửa số tiền."
    )


def _require_confirmed(item: Item, confirmed: bool) -> None:
    """Disbursed above planned is saved only when confirmed (issue 18: a notice was not enough)."""
    if item.over_budget and not confirmed:
        message = over_budget_message()
        raise InvalidInput(message, [ErrorDetail("disbursed_budget", message)])


def warnings_for(item: Item) -> list[str]:
    if item.over_budget:
        return [_("Kinh phí đã giải ngân lớn hơn kinh phí kế hoạch; hãy kiểm tra lại.")]
    return []


def create_plan(user, owner_unit: Unit, **fields: Any) -> Plan:
    if not Unit.objects.visible_to(user, roles=PLAN_ROLES).filter(pk=owner_unit.pk).exists():
        raise Forbidden(_("Chỉ chuyên viên Sở hoặc quản trị mới lập kế hoạch."))
    plan = Plan(owner_unit=owner_unit, **fields)
    # Codes are unique across provinces; say so plainly rather than Django's generic text.
    if plan.code and Plan.objects.filter(code=plan.code).exists():
        message = _("Đã có kế hoạch mang mã “%(code)s”.") % {"code": plan.code}
        raise InvalidInput(message, [ErrorDetail("code", message)])
    _check(plan)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:  # the same code saved meanwhile by someone else
        raise InvalidInput(_("Dữ liệu trùng hoặc không hợp lệ.")) from error
    return plan


@transaction.atomic
def create_item(
    user,
    plan: Plan,
    lead_agency: Unit,
    *,
    coordinating: list[Unit] | tuple = (),
    documents: list[dict[str, Any]] | tuple = (),
    confirm_over_budget: bool = False,
    **fields: Any,
) -> Item:
    item = Item(plan=plan, lead_agency=lead_agency)
    if not can_edit(user, item):
        raise NotFound(_("Không tìm thấy cơ quan chủ trì trong phạm vi của bạn."))
    for key in ITEM_FIELDS:
        if key in fields and fields[key] is not None:
            setattr(item, key, fields[key])
    _check(item)
    _require_confirmed(item, confirm_over_budget)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise InvalidInput(_("Dữ liệu trùng hoặc không hợp lệ.")) from error
    item.coordinating_agencies.set([u for u in coordinating if u.pk != lead_agency.pk])
    for document in documents:
        ItemDocument.objects.create(item=item, **document)
    ItemUpdate.objects.create(
        item=item,
        user=user if user.is_authenticated else None,
        new_status=item.status,
        new_progress=item.progress,
        new_disbursed=item.disbursed_budget,
        note=_("Tạo mới"),
    )
    return item


@transaction.atomic
def update_item(
    user,
    item: Item,
    *,
    note: str = "",
    coordinating=None,
    confirm_over_budget: bool = False,
    **fields: Any,
) -> Item:
    """Change an item and log the change of status, progress and disbursed budget.

    A change of the budgets that leaves more disbursed than planned needs
    `confirm_over_budget`; other changes of an item already over budget do not.
    """
    if not can_edit(user, item):
        if visible_items(user).filter(pk=item.pk).exists():
            raise Forbidden(_("Chỉ cơ quan chủ trì và chuyên viên Sở được cập nhật."))
        raise NotFound(_("Không tìm thấy nhiệm vụ, dự án."))
    item = Item.objects.select_for_update().get(pk=item.pk)
    before = (item.status, item.progress, item.disbursed_budget)
    budgets = (item.planned_budget, item.disbursed_budget)
    if "lead_agency" in fields:
        item.lead_agency = fields.pop("lead_agency")
        if not can_edit(user, item):
            raise NotFound(_("Không tìm thấy cơ quan chủ trì trong phạm vi của bạn."))
    for key in ITEM_FIELDS:
        if key in fields and fields[key] is not None:
            setattr(item, key, fields[key])
    if item.status == ItemStatus.DONE and "progress" not in fields:
        item.progress = 100
    _check(item)
    if (item.planned_budget, item.disbursed_budget) != budgets:
        _require_confirmed(item, confirm_over_budget)
    item.save()
    if coordinating is not None:
        item.coordinating_agencies.set([u for u in coordinating if u.pk != item.lead_agency_id])
    after = (item.status, item.progress, item.disbursed_budget)
    if before != after or note:
        ItemUpdate.objects.create(
            item=item,
            user=user if user.is_authenticated else None,
            old_status=before[0] if before[0] != after[0] else "",
            new_status=after[0] if before[0] != after[0] else "",
            old_progress=before[1] if before[1] != after[1] else None,
            new_progress=after[1] if before[1] != after[1] else None,
            old_disbursed=before[2] if before[2] != after[2] else None,
            new_disbursed=after[2] if before[2] != after[2] else None,
            note=note,
        )
    return item


@transaction.atomic
def add_document(user, item: Item, **fields: Any) -> ItemDocument:
    """Link a document (decision, contract, report) to an item; the log records it."""
    if not can_edit(user, item):
        if visible_items(user).filter(pk=item.pk).exists():
            raise Forbidden(_("Chỉ cơ quan chủ trì và chuyên viên Sở được cập nhật."))
        raise NotFound(_("Không tìm thấy nhiệm vụ, dự án."))
    document = ItemDocument(item=item, **fields)
    document.number = one_line(document.number)
    document.title = one_line(document.title)
    try:
        document.full_clean()
    except ValidationError as error:
        details = _validation_details(error)
        raise InvalidInput(details[0].message, details) from error
    document.save()
    ItemUpdate.objects.create(
        item=item,
        user=user if user.is_authenticated else None,
        note=_("Thêm văn bản %(number)s") % {"number": document.number},
    )
    return document


# --- reads ---------------------------------------------------------------------------------


def item_list(
    user,
    *,
    unit: Unit | None = None,
    year: int | None = None,
    state: str = "",
    plan: Plan | None = None,
    today: date | None = None,
):
    """Items the user can see, with `state` (status or "overdue"), soonest deadline first."""
    items = visible_items(user).with_state(today).select_related("plan", "lead_agency")
    if unit is not None:
        items = items.filter(lead_agency__path__startswith=unit.path)
    if year:
        items = items.active_in(year)
    if plan is not None:
        items = items.filter(plan=plan)
    if state:
        items = items.filter(state=state)
    return items.order_by("deadline", "code")


@dataclass(frozen=True)
class ProjectTotals:
    count: int
    done: int
    overdue: int
    planned_budget: int
    disbursed_budget: int

    def as_api(self) -> dict[str, int]:
        return {
            "count": self.count,
            "done": self.done,
            "overdue": self.overdue,
            "plannedBudget": self.planned_budget,
            "disbursedBudget": self.disbursed_budget,
        }

    @property
    def disbursed_percent(self) -> float | None:
        if not self.planned_budget:
            return None
        return round(self.disbursed_budget * 100 / self.planned_budget, 1)


def totals_of(items) -> ProjectTotals:
    """Totals of an item queryset annotated with `state`, in one aggregate query."""
    row = items.order_by().aggregate(
        count=Count("pk"),
        done=Count("pk", filter=Q(status=ItemStatus.DONE)),
        overdue=Count("pk", filter=Q(state=OVERDUE)),
        planned=Coalesce(Sum("planned_budget"), 0),
        disbursed=Coalesce(Sum("disbursed_budget"), 0),
    )
    return ProjectTotals(
        row["count"], row["done"], row["overdue"], row["planned"], row["disbursed"]
    )


def summary(user, unit: Unit, year: int | None = None, today: date | None = None):
    """Count, done, overdue and budgets of items led within a visible unit's subtree."""
    if not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise NotFound(_("Không tìm thấy đơn vị."))
    items = Item.objects.with_state(today).filter(lead_agency__path__startswith=unit.path)
    if year:
        items = items.active_in(year)
    return totals_of(items)


def item_detail(user, item_id: int) -> dict[str, Any]:
    item = get_item(user, item_id)
    return {
        "item": item,
        "coordinating": list(item.coordinating_agencies.order_by("sort_key")),
        "documents": list(item.documents.all()),
        "updates": list(item.updates.select_related("user")[:100]),
        "can_edit": can_edit(user, item),
        "warnings": warnings_for(item),
        "today": timezone.localdate(),
    }
