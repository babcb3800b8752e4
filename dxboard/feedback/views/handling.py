"""Handlers' pages: the inbox of an agency and a report's page with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxboard.errors import Forbidden, NotFound, ServiceError
from dxboard.units.models import Unit

from .. import services
from ..models import Category, Severity, Status


def _require_handler(request: HttpRequest) -> None:
    if not services.is_handler(request.user):
        raise PermissionDenied(_("Trang này dành cho cán bộ xử lý phản ánh."))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _require_handler(request)
    now = timezone.now()
    reports = services.handled_reports(request.user)
    agencies = Unit.objects.filter(pk__in=reports.values("agency")).order_by("sort_key")
    agency_code = request.GET.get("agency", "")
    if agency_code:
        reports = reports.filter(agency__code=agency_code)
    counts = dict(reports.order_by().values_list("status").annotate(n=Count("pk")))
    overdue_count = reports.overdue(now).count()
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    overdue = request.GET.get("overdue") == "1"
    if status in Status.values:
        reports = reports.filter(status=status)
    elif not status:
        # Default view: the work still to do.
        reports = reports.exclude(status__in=[Status.REJECTED, Status.CLOSED])
    if category:
        reports = reports.filter(category__code=category)
    if overdue:
        reports = reports.overdue(now)
    reports = (
        reports.with_overdue(now)
        .select_related("category", "unit", "agency")
        .order_by("due_at", "-created_at")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/inbox.html",
        {
            "page": page,
            "counts": [(s, counts.get(s.value, 0)) for s in Status],
            "overdue_count": overdue_count,
            "categories": Category.objects.filter(active=True),
            "agencies": agencies,
            "filters": {
                "status": status,
                "category": category,
                "overdue": overdue,
                "agency": agency_code,
            },
            "statuses": Status,
        },
    )


def _get_report(request: HttpRequest, report_id: int):
    try:
        return services.get_handled_report(request.user, report_id)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _get_report(request, report_id)
    root = "/".join(report.unit.path.split("/")[:2]) + "/"
    return render(
        request,
        "feedback/report_detail.html",
        {
            "report": report,
            "photos": report.photos.all(),
            "events": report.events.select_related("actor", "agency"),
            "notes": report.notes.select_related("author"),
            "extensions": report.extensions.select_related("requested_by", "decided_by"),
            "next_statuses": services.TRANSITIONS[report.status],
            "supervisor": services.is_supervisor(request.user, report),
            "severities": Severity.choices,
            "handling_units": services.handling_units()
            .filter(path__startswith=root)
            .order_by("kind", "sort_key")
            .only("code", "name", "kind"),
            "Status": Status,
        },
    )


@login_required
@require_POST
def report_action(request: HttpRequest, report_id: int) -> HttpResponse:
    """Every handling step, posted from the report page, through the services."""
    report = _get_report(request, report_id)
    user, data = request.user, request.POST
    action = data.get("action", "")
    note = data.get("note", "")
    steps = {
        "accept": lambda: services.accept(
            user, report, severity=data.get("severity", ""), note=note
        ),
        "reject": lambda: services.reject(user, report, reason=note),
        "assign": lambda: services.assign(user, report, agency=data.get("agency", ""), note=note),
        "start": lambda: services.start(user, report, note=note),
        "resolve": lambda: services.resolve(
            user, report, public_answer=data.get("public_answer", ""), note=note
        ),
        "close": lambda: services.close(user, report, note=note),
        "note": lambda: services.add_note(user, report, note),
        "request_extension": lambda: services.request_extension(
            user, report, hours=_int(data.get("hours")), reason=data.get("reason", "")
        ),
        "approve_extension": lambda: services.decide_extension(
            user, _int(data.get("extension")), approve=True
        ),
        "refuse_extension": lambda: services.decide_extension(
            user, _int(data.get("extension")), approve=False
        ),
    }
    if action not in steps:
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("feedback:report_detail", report_id=report.pk)
    try:
        steps[action]()
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except NotFound as error:
        raise Http404(error.message) from error
    except ServiceError as error:
        details = " ".join(d.message for d in error.details if d.message != error.message)
        messages.error(request, f"{error.message} {details}".strip())
    else:
        messages.success(request, _("Đã cập nhật phản ánh %(id)s.") % {"id": report.public_id})
    if not services.handled_reports(user).filter(pk=report.pk).exists():
        # Reassigned to a unit this user does not handle: back to the inbox.
        return redirect("feedback:inbox")
    return redirect("feedback:report_detail", report_id=report.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
