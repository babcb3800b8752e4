"""Pages of "Việc của tôi": the work list, the "nhắc" button, the reminder days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxboard import permissions
from dxboard.errors import Conflict, InvalidInput
from dxboard.reporting.permissions import REOPEN
from dxboard.reporting.services import reminders

from . import services


@login_required
def index(request: HttpRequest) -> HttpResponse:
    work = services.my_work(request.user)
    return render(request, "work/index.html", {"work": work})


@login_required
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    """Send the reminder now; NotFound and Forbidden become the styled 404 / 403."""
    data = request.POST
    try:
        log = reminders.remind_now(
            request.user, data.get("form", ""), data.get("unit", ""), data.get("period", "")
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đã gửi thư nhắc %(unit)s nộp báo cáo %(form)s kỳ %(period)s tới: %(to)s.")
            % {
                "unit": log.unit.name,
                "form": log.form.code,
                "period": data.get("period", ""),
                "to": log.recipients,
            },
        )
    return redirect(reverse("work:index") + "#late-units")


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, REOPEN.name):
        raise PermissionDenied(_("Trang này dành cho đơn vị ban hành biểu mẫu báo cáo."))
    forms = list(reminders.manageable_forms(request.user))
    errors: dict[str, dict[str, str]] = {}
    posted: dict[str, dict[str, str]] = {}
    if request.method == "POST":
        code = request.POST.get("form", "")
        before = request.POST.get("days_before", "")
        after = request.POST.get("days_after", "")
        try:
            reminders.set_reminder_days(request.user, code, before, after)
        except InvalidInput as error:
            messages.error(request, error.message)
            errors[code] = {d.path: d.message for d in error.details}
            posted[code] = {"days_before": before, "days_after": after}
        else:
            messages.success(
                request, _("Đã lưu lịch nhắc hạn của biểu mẫu %(form)s.") % {"form": code}
            )
            return redirect("work:reminders")
    rows = []
    for form in forms:
        days = reminders.reminder_days(form, getattr(form, "reminder_setting", None), lookup=False)
        values = posted.get(form.code) or {
            "days_before": "" if days.days_before is None else str(days.days_before),
            "days_after": "" if days.days_after is None else str(days.days_after),
        }
        rows.append(
            {"form": form, "days": days, "values": values, "errors": errors.get(form.code, {})}
        )
    status = 400 if errors else 200
    return render(request, "work/reminders.html", {"rows": rows}, status=status)
