"""Pages of the plans, tasks and projects register. Views parse input and call services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxboard.community.services import default_unit
from dxboard.errors import Forbidden, NotFound, ServiceError
from dxboard.units.models import Unit

from . import excel, services
from .forms import ImportForm, ItemForm, UpdateForm
from .models import OVERDUE, STATE_LABELS, Item


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> dict:
    user = request.user
    code = request.GET.get("unit", "").strip()
    try:
        unit = services.get_unit(user, code) if code else default_unit(user)
    except NotFound as error:
        raise Http404(error.message) from error
    plan = None
    if request.GET.get("plan"):
        plan = services.visible_plans(user).filter(code=request.GET["plan"]).first()
    state = request.GET.get("status", "")
    year = _int(request.GET.get("year"))
    return {
        "unit": unit,
        "plan": plan,
        "state": state if state in STATE_LABELS else "",
        "year": year if year and 2000 <= year <= 2100 else None,
    }


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    items = services.item_list(
        request.user, unit=f["unit"], year=f["year"], state=f["state"], plan=f["plan"]
    )
    rows = list(items)
    totals = services.totals_of(items)
    plans = list(services.visible_plans(request.user))
    years = sorted({y for p in plans for y in range(p.year_from, p.year_to + 1)})
    agencies = (
        Unit.objects.visible_to(request.user)
        .in_force()
        .filter(pk__in=services.visible_items(request.user).values("lead_agency"))
        .order_by("sort_key")
    )
    context = {
        **f,
        "items": rows,
        "overdue": [i for i in rows if i.state == OVERDUE],
        "totals": totals,
        "plans": plans,
        "years": years,
        "agencies": agencies,
        "states": list(STATE_LABELS.items()),
        "can_create": services.can_create(request.user),
        "timeline": [
            {
                "name": f"{i.code} {i.name[:40]}",
                "start": i.start_date.isoformat(),
                "end": i.deadline.isoformat(),
                "state": i.state,
                "progress": i.progress,
            }
            for i in rows[:60]
        ],
        "timeline_height": max(260, 26 * min(len(rows), 60) + 60),
        "state_labels": {k: str(v) for k, v in STATE_LABELS.items()},
        "query": request.GET.urlencode(),
    }
    if request.htmx:
        return render(request, "projects/item_table_partial.html", context)
    return render(request, "projects/project_list.html", context)


@login_required
def item_detail(request: HttpRequest, item_id: int, update_form=None) -> HttpResponse:
    try:
        detail = services.item_detail(request.user, item_id)
    except NotFound as error:
        raise Http404(error.message) from error
    item = detail["item"]
    detail["state_label"] = STATE_LABELS[item.state]
    detail["update_form"] = update_form or UpdateForm(
        initial={
            "status": item.status,
            "progress": item.progress,
            "disbursed_budget": item.disbursed_budget,
        }
    )
    return render(request, "projects/item_detail.html", detail)


@login_required
@require_POST
def item_update(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        item = services.get_item(request.user, item_id)
    except NotFound as error:
        raise Http404(error.message) from error
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            item = services.update_item(request.user, item, **form.cleaned_data)
        except Forbidden as error:
            raise Http404(error.message) from error
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã cập nhật tiến độ."))
            for warning in services.warnings_for(item):
                messages.warning(request, warning)
            return redirect("projects:item_detail", item_id=item.pk)
    return item_detail(request, item.pk, update_form=form)


def _item_form(request: HttpRequest, item: Item | None = None):
    user = request.user
    plans = list(services.visible_plans(user))
    agencies = list(services.lead_agency_choices(user))
    units = list(
        Unit.objects.visible_to(user).in_force().exclude(kind="hamlet").order_by("sort_key")
    )
    initial = {}
    if item is not None:
        initial = {
            "plan": item.plan.code,
            "kind": item.kind,
            "code": item.code,
            "name": item.name,
            "lead_agency": item.lead_agency.code,
            "coordinating": [u.code for u in item.coordinating_agencies.all()],
            "start_date": item.start_date,
            "deadline": item.deadline,
            "status": item.status,
            "progress": item.progress,
            "planned_budget": item.planned_budget,
            "disbursed_budget": item.disbursed_budget,
            "budget_source": item.budget_source,
        }
    form = ItemForm(
        request.POST or None, initial=initial, plans=plans, agencies=agencies, units=units
    )
    return form, {p.code: p for p in plans}, {u.code: u for u in units}


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    if not services.can_create(request.user):
        raise Http404(_("Bạn không quản lý đơn vị nào."))
    return _save_item(request, None)


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        item = services.get_item(request.user, item_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if not services.can_edit(request.user, item):
        raise Http404(_("Không tìm thấy nhiệm vụ, dự án."))
    return _save_item(request, item)


def _save_item(request: HttpRequest, item: Item | None) -> HttpResponse:
    form, plans, units = _item_form(request, item)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        plan = plans[data.pop("plan")]
        lead = units[data.pop("lead_agency")]
        coordinating = [units[c] for c in data.pop("coordinating")]
        try:
            if item is None:
                item = services.create_item(
                    request.user, plan, lead, coordinating=coordinating, **data
                )
            else:
                item = services.update_item(
                    request.user, item, lead_agency=lead, coordinating=coordinating, **data
                )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu “%(code)s”.") % {"code": item.code})
            for warning in services.warnings_for(item):
                messages.warning(request, warning)
            return redirect("projects:item_detail", item_id=item.pk)
    return render(request, "projects/item_form.html", {"form": form, "item": item})


@login_required
def import_items(request: HttpRequest) -> HttpResponse:
    if not services.can_create(request.user):
        raise Http404(_("Bạn không quản lý đơn vị nào."))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.import_items(request.user, form.cleaned_data["file"])
        except ServiceError as error:
            form.add_error(None, error.message)
            errors = error.details
        else:
            messages.success(
                request,
                _("Đã nhập %(rows)s dòng: %(created)s mới, %(updated)s cập nhật.")
                % {"rows": result.rows, "created": result.created, "updated": result.updated},
            )
            return redirect(reverse("projects:project_list"))
    return render(
        request, "projects/import.html", {"form": form, "errors": errors, "headers": excel.HEADERS}
    )


@login_required
def export_items(request: HttpRequest, code: str) -> HttpResponse:
    try:
        unit = services.get_unit(request.user, code)
    except NotFound as error:
        raise Http404(error.message) from error
    year = _int(request.GET.get("year"))
    items = services.item_list(request.user, unit=unit, year=year)
    response = HttpResponse(
        excel.export_items(request.user, items),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-du-an-{unit.code}.xlsx"'
    return response
