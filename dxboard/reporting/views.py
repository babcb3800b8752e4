"""Pages of periodic reporting. Views call the services; they never save models themselves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxboard.accounts.models import Role
from dxboard.collection.models import DataValueAudit
from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dxboard.numbers import format_vn
from dxboard.periods import periods_between
from dxboard.units.models import Unit

from . import excel
from .models import PeriodState, ReportForm, Submission, SubmissionEvent, SubmissionStatus
from .services import completeness as comp
from .services import workflow
from .services.calendar import open_periods, parse_form_period, period_info, reporting_period
from .services.forms import expected_unit_ids, get_visible_form, units_for_user, visible_forms
from .services.validation import Finding, check_values
from .services.workflow import EntryContext, load_entry

STATUS_CLASSES = {
    SubmissionStatus.DRAFT: "text-bg-secondary",
    SubmissionStatus.SUBMITTED: "text-bg-primary",
    SubmissionStatus.APPROVED: "text-bg-success",
    SubmissionStatus.RETURNED: "text-bg-warning",
    "missing": "text-bg-light border",
}


def _services(view: Callable) -> Callable:
    """Turn service errors the page does not handle itself into 404 / 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except Forbidden as error:
            raise PermissionDenied(error.message) from error

    return wrapper


# --- landing page ------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    forms = list(visible_forms(user).filter(active=True).prefetch_related("form_periods"))
    # Forms that no unit in the user's scope reports are left out of the count.
    overview = [item for item in comp.overview(user, forms) if item.expected]
    complete = sum(1 for item in overview if item.complete)
    todo = _todo(user, forms)
    return render(
        request,
        "reporting/index.html",
        {
            "overview": overview,
            "complete_count": complete,
            "updating_count": len(overview) - complete,
            "todo": todo,
            "status_classes": STATUS_CLASSES,
        },
    )


def _todo(user, forms: list[ReportForm]) -> list[dict]:
    """Open periods of the forms the user reports for as a reporter, with their status."""
    reporter_units = (
        {u.pk: u for u in Unit.objects.visible_to(user, roles=[Role.REPORTER]).in_force()}
        if not user.is_superuser
        else {}
    )
    if not reporter_units:
        return []
    expected = expected_unit_ids(forms)
    pairs = []
    for form in forms:
        units = [reporter_units[i] for i in expected[form.pk] if i in reporter_units]
        if not units:
            continue
        for info in open_periods(form):
            pairs.extend((form, info, unit) for unit in units)
    statuses = {
        (s.form_id, s.unit_id, s.period): s
        for s in Submission.objects.filter(
            form__in=[p[0] for p in pairs],
            unit_id__in={p[2].pk for p in pairs},
            period__in={p[1].period.code for p in pairs},
        )
    }
    rows = []
    for form, info, unit in pairs:
        submission = statuses.get((form.pk, unit.pk, info.period.code))
        rows.append(
            {
                "form": form,
                "info": info,
                "unit": unit,
                "submission": submission,
                "status": submission.status if submission else "missing",
            }
        )
    # What still needs doing first, then by deadline.
    done = {SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED}
    rows.sort(
        key=lambda r: (r["status"] in done, r["info"].deadline, r["form"].code, r["unit"].sort_key)
    )
    return rows[:200]


# --- one form ----------------------------------------------------------------------------


@login_required
@_services
def form_detail(request: HttpRequest, code: str) -> HttpResponse:
    form = get_visible_form(request.user, code)
    current = reporting_period(form)
    try:
        period = parse_form_period(form, request.GET.get("period") or current.code)
    except InvalidInput as error:
        messages.error(request, error.message)
        period = current
    item = comp.completeness(request.user, [(form, period)], with_units=True)[0]
    choices = {p.code: p for p in periods_between(_back(current, 7), current.next())}
    choices[period.code] = period
    can_manage = (
        Unit.objects.visible_to(request.user, roles=workflow.REOPEN_ROLES)
        .filter(pk=form.owner_unit_id)
        .exists()
    )
    late = [s for s in item.units if s.on_time is False or (not s.reported and item.overdue)]
    return render(
        request,
        "reporting/form_detail.html",
        {
            "form": form,
            "item": item,
            "info": item.info,
            "period_choices": sorted(choices.values(), key=lambda p: p.start, reverse=True),
            "late_units": late,
            "can_manage": can_manage,
            # The Excel round trip is for those who report this form for some unit.
            "reports_it": units_for_user(request.user, form).exists(),
            "period_states": PeriodState.choices,
            "status_classes": STATUS_CLASSES,
        },
    )


@login_required
@require_POST
@_services
def period_state(request: HttpRequest, code: str, period: str) -> HttpResponse:
    state = request.POST.get("state") or None
    try:
        workflow.set_period_state(request.user, code, period, state)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã cập nhật trạng thái kỳ báo cáo."))
    return redirect(f"{reverse('reporting:form', args=[code])}?period={period}")


@login_required
@_services
def unit_history(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    form = get_visible_form(request.user, code)
    target = Unit.objects.visible_to(request.user).in_force().filter(code=unit).first()
    if target is None:
        raise Http404
    last = reporting_period(form)
    periods = periods_between(_back(last, 7), last)
    items = comp.unit_history(request.user, form, target, list(reversed(periods)))
    rows = [(i, i.units[0] if i.units else None) for i in items]
    return render(
        request,
        "reporting/unit_history.html",
        {"form": form, "unit": target, "rows": rows, "status_classes": STATUS_CLASSES},
    )


def _back(period, steps: int):
    for _step in range(steps):
        period = period.previous()
    return period


# --- entry -------------------------------------------------------------------------------


def _field_rows(
    ctx: EntryContext, raw: dict, comments: dict, findings: list[Finding], typed: dict | None = None
) -> list[dict]:
    sections = []
    for section in ctx.structure:
        rows = []
        for f in section.fields:
            stored = ctx.stored.get(f.code)
            own = [x for x in findings if x.code == f.code]
            comment = comments.get(f.code, "")
            rows.append(
                {
                    "code": f.code,
                    "label": f.label,
                    "uom": f.unit_of_measure,
                    "required": f.required,
                    "value_type": f.value_type,
                    "previous": format_vn(ctx.previous.get(f.code)),
                    "value": raw.get(f.code, ""),
                    "version": stored.version if stored else 0,
                    "findings": own,
                    "comment": comment,
                    "show_comment": bool(comment) or any(not x.is_error for x in own),
                    "typed": (typed or {}).get(f.code),
                }
            )
        sections.append({"title": section.section.title, "rows": rows})
    return sections


def _posted(request: HttpRequest, ctx: EntryContext) -> tuple[dict, dict, dict]:
    values, comments, versions = {}, {}, {}
    for f in ctx.fields:
        if f"v_{f.code}" in request.POST:
            values[f.code] = request.POST.get(f"v_{f.code}", "").strip()
            comments[f.code] = request.POST.get(f"c_{f.code}", "").strip()
            versions[f.code] = request.POST.get(f"ver_{f.code}") or 0
    return values, comments, versions


def _entry_context(ctx: EntryContext, sections: list, **extra) -> dict:
    events = (
        SubmissionEvent.objects.filter(submission=ctx.submission).select_related("user")[:20]
        if ctx.submission
        else []
    )
    return {
        "ctx": ctx,
        "sections": sections,
        "events": events,
        "status_classes": STATUS_CLASSES,
        "status": ctx.status if ctx.submission else "missing",
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
@_services
def entry(request: HttpRequest, code: str, unit: str, period: str) -> HttpResponse:
    ctx = load_entry(request.user, code, unit, period)
    if request.method == "GET":
        result = ctx.check(require=False)
        sections = _field_rows(ctx, ctx.raw_values(), ctx.comments(), result.findings)
        return render(request, "reporting/entry.html", _entry_context(ctx, sections))
    values, comments, versions = _posted(request, ctx)
    action = request.POST.get("action", "save")
    try:
        saved = workflow.save_draft(
            request.user,
            code,
            unit,
            period,
            values,
            comments,
            version=request.POST.get("version") or 0,
            value_versions=versions,
        )
    except Conflict as error:
        fresh = load_entry(request.user, code, unit, period)
        current = fresh.raw_values()
        typed = {c: v for c, v in values.items() if v != current.get(c, "")}
        messages.error(request, error.message)
        result = fresh.check(require=False)
        sections = _field_rows(fresh, current, fresh.comments(), result.findings, typed)
        return render(request, "reporting/entry.html", _entry_context(fresh, sections), status=409)
    except InvalidInput as error:
        messages.error(request, error.message)
        result = check_values(ctx.form, ctx.fields, values, previous=ctx.previous, require=False)
        extra = [
            Finding(d.path, "error", d.message)
            for d in error.details
            if d.path in values and not result.for_field(d.path)
        ]
        sections = _field_rows(ctx, values, comments, result.findings + extra)
        return render(request, "reporting/entry.html", _entry_context(ctx, sections), status=400)
    if action == "submit":
        try:
            workflow.submit(request.user, code, unit, period, note=request.POST.get("note", ""))
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
            if saved.changed:
                # The changes were kept as a draft (issue 18: say so, not silently).
                messages.warning(
                    request,
                    _("Đã lưu nháp %(n)s số liệu vừa sửa; báo cáo chưa được nộp.")
                    % {"n": saved.changed},
                )
            fresh = load_entry(request.user, code, unit, period)
            result = fresh.check(require=True)
            sections = _field_rows(fresh, fresh.raw_values(), fresh.comments(), result.findings)
            return render(
                request,
                "reporting/entry.html",
                _entry_context(fresh, sections, submit_errors=error.details),
                status=400,
            )
        messages.success(request, _("Đã nộp báo cáo. Lãnh đạo đơn vị sẽ xem và phê duyệt."))
    elif saved.changed:
        messages.success(request, _("Đã lưu nháp %(n)s số liệu.") % {"n": saved.changed})
    else:
        messages.info(request, _("Không có số liệu nào thay đổi."))
    return redirect("reporting:entry", code=code, unit=unit, period=period)


@login_required
@require_POST
@_services
def validate_field(
    request: HttpRequest, code: str, unit: str, period: str, element: str
) -> HttpResponse:
    """Check the typed form as it stands and return one field's feedback (htmx)."""
    ctx = load_entry(request.user, code, unit, period)
    if element not in {f.code for f in ctx.fields}:
        raise Http404
    values, comments, _versions = _posted(request, ctx)
    raw = {**ctx.raw_values(), **values}
    result = check_values(ctx.form, ctx.fields, raw, previous=ctx.previous, require=False)
    stored_comments = ctx.comments()
    rows = []
    for f in ctx.fields:
        own = result.for_field(f.code)
        comment = comments.get(f.code, stored_comments.get(f.code, ""))
        rows.append(
            {
                "code": f.code,
                "findings": own,
                "comment": comment,
                "show_comment": bool(comment) or any(not x.is_error for x in own),
            }
        )
    # The field typed in, plus the other fields out of band: a rule over two fields
    # (numerator and denominator) shows on the first one even while typing the second.
    row = next(r for r in rows if r["code"] == element)
    others = [r for r in rows if r["code"] != element]
    return render(
        request,
        "reporting/validate_partial.html",
        {"row": row, "others": others, "ctx": ctx, "editable": ctx.editable},
    )


@login_required
@require_POST
@_services
def review(request: HttpRequest, code: str, unit: str, period: str) -> HttpResponse:
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    steps = {
        "approve": (
            lambda: workflow.approve(request.user, code, unit, period, reason),
            _("Đã duyệt báo cáo."),
        ),
        "return": (
            lambda: workflow.return_submission(request.user, code, unit, period, reason),
            _("Đã trả lại báo cáo cho đơn vị."),
        ),
        "reopen": (
            lambda: workflow.reopen(request.user, code, unit, period, reason),
            _("Đã mở lại báo cáo."),
        ),
    }
    if action not in steps:
        messages.error(request, _("Thao tác không hợp lệ."))
    else:
        step, done = steps[action]
        try:
            step()
        except (InvalidInput, Conflict) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect("reporting:entry", code=code, unit=unit, period=period)


@login_required
@_services
def history(request: HttpRequest, code: str, unit: str, period: str, element: str) -> HttpResponse:
    ctx = load_entry(request.user, code, unit, period)
    field = next((f for f in ctx.fields if f.code == element), None)
    if field is None:
        raise Http404
    audits = (
        DataValueAudit.objects.visible_to(request.user)
        .filter(unit=ctx.unit, period=ctx.period.code, data_element__code=element)
        .select_related("user")
        .order_by("-at", "-pk")
    )
    return render(request, "reporting/history.html", {"ctx": ctx, "field": field, "audits": audits})


# --- Excel -------------------------------------------------------------------------------


@login_required
@_services
def excel_download(request: HttpRequest, code: str, period: str) -> HttpResponse:
    unit = request.GET.get("unit") or None
    try:
        data = excel.build_workbook(request.user, code, period, unit)
    except InvalidInput as error:
        raise Http404(error.message) from error
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{excel.filename(code, period, unit)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@_services
def excel_upload(request: HttpRequest, code: str, period: str) -> HttpResponse:
    form = get_visible_form(request.user, code)
    parsed = parse_form_period(form, period)
    errors: list = []
    message = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            message = _("Chọn tệp .xlsx để tải lên.")
        else:
            try:
                data = excel.read_upload(upload, upload.size)
                result = excel.import_workbook(request.user, code, period, data)
            except InvalidInput as error:
                message, errors = error.message, error.details
            else:
                messages.success(
                    request,
                    _(
                        "Đã nhận tệp: %(n)s số liệu thay đổi ở %(u)s đơn vị. Hãy kiểm tra rồi nộp "
                        "báo cáo."
                    )
                    % {"n": result.changed, "u": len(result.units)},
                )
                if result.unchanged:
                    messages.info(
                        request,
                        _("Bỏ qua các trang không thay đổi: %(s)s.")
                        % {"s": ", ".join(result.unchanged)},
                    )
                if result.missing:
                    messages.warning(
                        request,
                        _("Bỏ qua các trang không có trong tệp: %(s)s.")
                        % {"s": ", ".join(result.missing)},
                    )
                if len(result.units) == 1:
                    return redirect(
                        "reporting:entry", code=code, unit=result.units[0][0], period=period
                    )
                return redirect(f"{reverse('reporting:form', args=[code])}?period={period}")
    return render(
        request,
        "reporting/excel_upload.html",
        {
            "form": form,
            "period": parsed,
            "info": period_info(form, parsed),
            "message": message,
            "errors": errors,
            "max_mb": excel.MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=400 if message else 200,
    )
