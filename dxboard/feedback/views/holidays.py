"""The holiday calendar page: province officers and administrators keep it up to date."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dxboard.feedback.permissions import EDIT_HOLIDAYS
from dxboard.units.models import UnitKind

from ..holidays import OFFICIAL_SCHEDULES, default_holidays, load_default_holidays
from ..models import Holiday


def _may_edit(user) -> bool:
    """Province officers and unit administrators of a province (or above), and superusers."""
    return (
        user.is_superuser
        or user.memberships.filter(
            role__in=EDIT_HOLIDAYS.roles,
            unit__kind__in=[UnitKind.PROVINCE, UnitKind.NATION],
        ).exists()
    )


def _parse_day(text: str) -> date | None:
    text = (text or "").strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return parse_date(text)
    except ValueError:
        return None


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    if not _may_edit(request.user):
        raise PermissionDenied(_("Chỉ chuyên viên Sở hoặc quản trị được sửa lịch nghỉ lễ."))
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if not 1900 <= year <= 2100:  # date() refuses years past 9999, and none is useful here
        year = timezone.localdate().year
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            day = _parse_day(request.POST.get("date", ""))
            name = request.POST.get("name", "").strip()[:150]
            if day is None or not name:
                messages.error(request, _("Hãy nhập ngày (dd/mm/yyyy) và tên ngày nghỉ."))
            else:
                try:
                    with transaction.atomic():
                        Holiday.objects.create(date=day, name=name)
                except IntegrityError:
                    messages.error(
                        request, _("Ngày %(d)s đã có trong lịch.") % {"d": f"{day:%d/%m/%Y}"}
                    )
                else:
                    messages.success(
                        request, _("Đã thêm ngày nghỉ %(d)s.") % {"d": f"{day:%d/%m/%Y}"}
                    )
                    year = day.year
        elif action == "delete":
            deleted, _rows = Holiday.objects.filter(pk=request.POST.get("holiday") or 0).delete()
            if deleted:
                messages.success(request, _("Đã xóa ngày nghỉ."))
        elif action == "defaults":
            count = load_default_holidays([year])
            messages.success(request, _("Đã thêm %(n)s ngày nghỉ mặc định.") % {"n": count})
        return redirect(f"{request.path}?year={year}")
    today = timezone.localdate()
    years = sorted(
        {d.year for d in Holiday.objects.dates("date", "year")}
        | set(OFFICIAL_SCHEDULES)
        | {year, today.year, today.year + 1}
    )
    stored = Holiday.objects.filter(date__year=year)
    return render(
        request,
        "feedback/holidays.html",
        {
            "year": year,
            "years": years,
            "holidays": stored,
            # Until the year has rows, deadlines use these defaults: show them as such.
            "defaults": [] if stored.exists() else default_holidays(year),
        },
    )
