"""Pages of the community team register. Views parse input and call the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxboard.errors import Forbidden, NotFound, ServiceError
from dxboard.spreadsheets import xlsx_response
from dxboard.units.services import default_unit

from . import excel, services
from .forms import ActivityForm, ImportForm, MemberForm, MemberLeaveForm, TeamForm
from .models import TeamStatus


def _root(request: HttpRequest):
    code = request.GET.get("unit", "").strip()
    if code:
        try:
            return services.get_unit(request.user, code)
        except NotFound as error:
            raise Http404(error.message) from error
    return default_unit(request.user)


def _team_or_404(request: HttpRequest, team_id: int):
    try:
        return services.get_team(request.user, team_id)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    status = request.GET.get("status", TeamStatus.ACTIVE)
    if status not in TeamStatus.values and status != "all":
        status = TeamStatus.ACTIVE
    text = request.GET.get("q", "").strip()[:100]
    teams = services.team_list(
        request.user, unit=root, status="" if status == "all" else status, text=text
    )
    page = Paginator(teams, 50).get_page(request.GET.get("page"))
    context = {
        "root": root,
        "page": page,
        "status": status,
        "statuses": TeamStatus.choices,
        "q": text,
        "can_create": services.writable_team_units(request.user).exists(),
    }
    if request.htmx:
        return render(request, "community/team_table_partial.html", context)
    if root is not None:
        totals = services.totals_for(root)
        communes = services.per_commune(root)
        context.update(
            totals=totals,
            chart={
                "communes": [row["commune"].name for row in communes],
                "withTeam": [row["units_with_team"] for row in communes],
                "withoutTeam": [row["units_total"] - row["units_with_team"] for row in communes],
                "members": [row["members"] for row in communes],
            },
            children=services.Unit.objects.visible_to(request.user)
            .in_force()
            .filter(parent=root, kind__in=["district", "commune"])
            .order_by("sort_key"),
        )
    return render(request, "community/team_list.html", context)


@login_required
def team_detail(request: HttpRequest, team_id: int, activity_form=None) -> HttpResponse:
    try:
        detail = services.team_detail(request.user, team_id)
    except NotFound as error:
        raise Http404(error.message) from error
    detail["activity_form"] = activity_form or ActivityForm()
    return render(request, "community/team_detail.html", detail)


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    units = list(services.writable_team_units(request.user))
    if not units:
        raise Http404(_("Bạn không quản lý đơn vị nào có thể lập tổ."))
    form = TeamForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("unit")
        unit = next(u for u in units if u.code == code)
        try:
            team = services.create_team(request.user, unit, **data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lập tổ “%(name)s”.") % {"name": team.name})
            return redirect("community:team_detail", team_id=team.pk)
    return render(request, "community/team_form.html", {"form": form, "team": None})


@login_required
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_or_404(request, team_id)
    if not services.can_write(request.user, team.unit):
        raise Http404(_("Không tìm thấy tổ công nghệ số."))
    initial = {
        f: getattr(team, f)
        for f in (
            "name",
            "founded_on",
            "decision_number",
            "decision_date",
            "decision_signer",
            "dissolved_on",
        )
    }
    initial["status"] = team.status
    form = TeamForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_team(request.user, team, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu thông tin tổ."))
            return redirect("community:team_detail", team_id=team.pk)
    return render(request, "community/team_form.html", {"form": form, "team": team})


@login_required
def member_add(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_or_404(request, team_id)
    if not services.can_write(request.user, team.unit):
        raise Http404(_("Không tìm thấy tổ công nghệ số."))
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_member(request.user, team, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã thêm thành viên %(name)s.") % {"name": member})
            return redirect("community:team_detail", team_id=team.pk)
    return render(request, "community/member_form.html", {"form": form, "team": team})


@login_required
def member_leave(request: HttpRequest, team_id: int, member_id: int) -> HttpResponse:
    try:
        member = services.get_member(request.user, team_id, member_id)
    except NotFound as error:
        raise Http404(error.message) from error
    team = member.team
    if not services.can_write(request.user, team.unit) or member.left_on is not None:
        raise Http404(_("Không tìm thấy thành viên."))
    form = MemberLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leaves(request.user, member, form.cleaned_data["left_on"])
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("%(name)s đã thôi tham gia tổ.") % {"name": member.full_name}
            )
            return redirect("community:team_detail", team_id=team.pk)
    return render(
        request, "community/member_leave.html", {"form": form, "team": team, "member": member}
    )


@login_required
@require_POST
def activity_add(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_or_404(request, team_id)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.add_activity(request.user, team, **form.cleaned_data)
        except Forbidden as error:
            raise Http404(error.message) from error
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã ghi hoạt động."))
            return redirect("community:team_detail", team_id=team.pk)
    return team_detail(request, team.pk, activity_form=form)


@login_required
def import_members(request: HttpRequest) -> HttpResponse:
    units = list(
        services.Unit.objects.visible_to(request.user, roles=services.WRITE_ROLES)
        .in_force()
        .filter(kind__in=["province", "district", "commune"])
        .order_by("depth", "sort_key")[:500]
    )
    if not units:
        raise Http404(_("Bạn không quản lý đơn vị nào có thể nhập danh sách."))
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    errors = []
    list_url = reverse("community:team_list")
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        try:
            result = excel.import_members(request.user, unit, form.cleaned_data["file"])
        except ServiceError as error:
            form.add_error(None, error.message)
            errors = error.details
        else:
            messages.success(
                request,
                _(
                    "Đã nhập %(rows)s dòng: %(created)s thành viên mới, %(updated)s cập nhật, "
                    "%(teams)s tổ mới."
                )
                % {
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "teams": result.teams_created,
                },
            )
            return redirect(f"{list_url}?unit={unit.code}")
    context = {
        "title": _("Nhập danh sách thành viên từ Excel"),
        "intro": _("Tổ chưa có sẽ được lập. Nếu có lỗi, không dòng nào được lưu."),
        "headers": excel.HEADERS,
        "form": form,
        "errors": errors,
        "back_url": list_url,
        "back_label": _("Tổ công nghệ số"),
        "template_url": reverse("community:export", args=[units[0].code]),
    }
    return render(request, "excel_import.html", context)


@login_required
def export_members(request: HttpRequest, code: str) -> HttpResponse:
    try:
        root = services.get_unit(request.user, code)
        content = excel.export_members(request.user, root)
    except NotFound as error:
        raise Http404(error.message) from error
    return xlsx_response(content, f"to-cnscd-{root.code}.xlsx")
