"""Pages of the plans, tasks and projects register. Views parse input and call services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxboard.errors import Forbidden, NotFound, ServiceError
from dxboard.spreadsheets import xlsx_response
from dxboard.units.models import Unit
from dxboard.units.services import default_unit

from . import excel, services
from .forms import DocumentForm, ImportForm, ItemForm, PlanForm, UpdateForm
from .models import OVERDUE, STATE_LABELS, Item


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> dict:
    user = request.user
    code = request.GET.get("unit", "").strip()
    home = default_unit(user)
    try:
        unit = services.get_unit(user, code) if code else home
    except NotFound as error:
        raise Http404(error.message) from error
    plan = None
    if request.GET.get("plan"):
        plan = services.visible_plans(user).filter(code=request.GET["plan"]).first()
    state = request.GET.get("status", "")
    year = _int(request.GET.get("year"))
    return {
        "home_unit": home,
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
        "can_create_plan": services.can_create_plan(request.user),
        "timeline": [
            {
                "code": i.code,
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


def _item_or_404(request: HttpRequest, item_id: int) -> Item:
    try:
        return services.get_item(request.user, item_id)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def item_detail(request: HttpRequest, item_id: int, update_form=None) -> HttpResponse:
    try:
        detail = services.item_detail(request.user, item_id)
    except NotFound as error:
        raise Http404(error.message) from error
    item = detail["item"]
    detail["state_label"] = STATE_LABELS[item.state]
    detail["document_form"] = DocumentForm(auto_id="doc_%s")
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
    item = _item_or_404(request, item_id)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            item = services.update_item(request.user, item, **form.cleaned_data)
        except Forbidden as error:
            raise Http404(error.message) from error
        except ServiceError as error:
            form.add_service_error(error)
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
    units = Unit.objects.visible_to(user).in_force().exclude(kind="hamlet")
    if item is not None:
        # An editor may not see every agency already coordinating (another commune): keep
        # them on offer, or saving the form would silently drop them.
        units = units | Unit.objects.filter(dx_items_coordinated=item)
    units = list(units.distinct().order_by("sort_key"))
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
    elif request.GET.get("plan"):
        initial = {"plan": request.GET["plan"]}
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
    item = _item_or_404(request, item_id)
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
            form.add_service_error(error)
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
    list_url = reverse("projects:project_list")
    if request.method == "POST" and form.is_valid():
        try:
            result = excel.import_items(request.user, form.cleaned_data["file"])
        except ServiceError as error:
            form.add_service_error(error)
            errors = error.details
        else:
            messages.success(
                request,
                _("Đã nhập %(rows)s dòng: %(created)s mới, %(updated)s cập nhật.")
                % {"rows": result.rows, "created": result.created, "updated": result.updated},
            )
            return redirect(list_url)
    home = default_unit(request.user)
    context = {
        "title": _("Nhập nhiệm vụ, dự án từ Excel"),
        "intro": _(
            "Kinh phí ghi bằng đồng (ví dụ 56.800.000.000). Dòng trùng kế hoạch và mã sẽ "
            "cập nhật nhiệm vụ đã có. Nếu có lỗi, không dòng nào được lưu."
        ),
        "headers": excel.HEADERS,
        "form": form,
        "errors": errors,
        "back_url": list_url,
        "back_label": _("Nhiệm vụ, dự án"),
        "template_url": reverse("projects:export", args=[home.code]) if home else "",
    }
    return render(request, "excel_import.html", context)


@login_required
def export_items(request: HttpRequest, code: str) -> HttpResponse:
    try:
        unit = services.get_unit(request.user, code)
    except NotFound as error:
        raise Http404(error.message) from error
    year = _int(request.GET.get("year"))
    if year is not None and not 2000 <= year <= 2100:  # as the list page's filter
        year = None
    items = services.item_list(request.user, unit=unit, year=year)
    return xlsx_response(
        excel.export_items(request.user, items), f"nhiem-vu-du-an-{unit.code}.xlsx"
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    owners = list(services.plan_owner_choices(request.user))
    if not owners:
        raise Http404(_("Chỉ chuyên viên Sở hoặc quản trị mới lập kế hoạch."))
    form = PlanForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner_code = data.pop("owner_unit")
        owner = next(u for u in owners if u.code == owner_code)
        try:
            plan = services.create_plan(request.user, owner, **data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lập kế hoạch “%(name)s”.") % {"name": plan.name})
            return redirect(f"{reverse('projects:project_list')}?plan={plan.code}")
    return render(request, "projects/plan_form.html", {"form": form})


@login_required
def document_add(request: HttpRequest, item_id: int) -> HttpResponse:
    """Link a document to an item: a page without JavaScript, a partial swap with htmx."""
    item = _item_or_404(request, item_id)
    if not services.can_edit(request.user, item):
        raise Http404(_("Không tìm thấy nhiệm vụ, dự án."))
    form = DocumentForm(request.POST or None, auto_id="doc_%s")
    saved = ""
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_document(request.user, item, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            saved = _("Đã thêm văn bản %(number)s.") % {"number": document.number}
            if not request.htmx:
                messages.success(request, saved)
                return redirect("projects:item_detail", item_id=item.pk)
            form = DocumentForm(auto_id="doc_%s")  # empty again, for the next document
    if request.htmx:
        context = {
            "item": item,
            "documents": list(item.documents.all()),
            "can_edit": True,
            "document_form": form,
            "saved": saved,
            "updates": list(item.updates.select_related("user")[:100]) if saved else [],
        }
        return render(request, "projects/document_list_partial.html", context)
    return render(request, "projects/document_form.html", {"form": form, "item": item})
