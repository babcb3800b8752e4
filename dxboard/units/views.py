"""Pages of the units app: the tree with search, the unit page, editing, import, groups.

Every page reads units through `Unit.objects.visible_to`; a unit outside the user's
scope is a 404. htmx requests get the `*_partial.html` template, other requests the
full page, so every page also works without JavaScript.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dxboard.errors import Forbidden, InvalidInput, NotFound, ServiceError

from . import import_templates, imports, services
from .forms import GroupForm, ImportForm, UnitForm
from .models import Unit, UnitKind, UnitSuccession
from .resolve import parse_as_of, unit_as_of

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "units_import_file"


def _with_child_counts(queryset):
    return queryset.annotate(
        child_count=Count("children", filter=Q(children__valid_to__isnull=True))
    )


def _get_unit_or_404(user, code: str) -> Unit:
    try:
        return services.get_visible_unit(user, code)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    """The units the user may see: an expandable tree, or search results for `?q=`."""
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    former = request.GET.get("former") == "1"
    context: dict = {
        "query": query,
        "kind": kind if kind in UnitKind.values else "",
        "former": former,
        "kinds": UnitKind.choices,
    }
    if query or context["kind"]:
        results = Unit.objects.visible_to(request.user).select_related("parent")
        if not former:
            results = results.in_force()
        if context["kind"]:
            results = results.filter(kind=kind)
        results = results.search(query).order_by("depth", "sort_key", "pk")
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, searching=True)
    else:
        roots = _with_child_counts(services.tree_roots(request.user)).order_by("sort_key")
        context.update(roots=list(roots), searching=False)
    context["can_manage"] = services.can_manage_any(request.user)
    if request.htmx and request.htmx.target == "tree-results":
        return render(request, "units/tree_results_partial.html", context)
    return render(request, "units/tree.html", context)


@login_required
@require_GET
def children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of one unit, for the tree's lazy loading."""
    unit = _get_unit_or_404(request.user, code)
    if not request.htmx:
        return redirect("units:detail", code=unit.code)
    nodes = _with_child_counts(
        Unit.objects.visible_to(request.user).in_force().filter(parent=unit)
    ).order_by("kind", "sort_key")
    return render(request, "units/tree_children_partial.html", {"nodes": nodes})


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's page: today's unit with this code, or with `?asOf=2024-12-31` the unit
    that had it on that day (former Long An for 80)."""
    user = request.user
    try:
        as_of = parse_as_of(request.GET.get("asOf", "")[:20])
    except InvalidInput as error:
        raise NotFound(error.message) from error
    if as_of is None:
        unit = _get_unit_or_404(user, code)
    else:
        unit = unit_as_of(code, as_of, among=Unit.objects.visible_to(user))
    ancestors = list(unit.ancestors())
    visible_ids = set(
        Unit.objects.visible_to(user)
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    children = _with_child_counts(unit.children.in_force()).order_by("kind", "sort_key")
    former_children = unit.children.exclude(valid_to__isnull=True).order_by("sort_key")
    # Linked only where the user may open them: a commune officer sees the communes merged
    # into theirs, which lie elsewhere in the tree, by name.
    predecessors = [
        (s, s.predecessor.is_visible_to(user))
        for s in UnitSuccession.objects.filter(successor=unit).select_related("predecessor")
    ]
    successors = [
        (s, s.successor.is_visible_to(user))
        for s in UnitSuccession.objects.filter(predecessor=unit).select_related("successor")
    ]
    history = services.predecessor_ids(unit)
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "breadcrumbs": [(a, a.pk in visible_ids) for a in ancestors],
            "children": children,
            "former_children": former_children,
            "predecessors": predecessors,
            "successors": successors,
            "history_count": len(history),
            "groups": services.visible_groups(user).filter(units=unit),
            "can_edit": services.can_manage(user, unit),
            "can_add_child": unit.in_force and services.can_manage(user, unit),
        },
    )


def _form_data(form: UnitForm) -> dict:
    data = dict(form.cleaned_data)
    for name, field in form.fields.items():
        if field.disabled:
            data.pop(name, None)
    return data


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not services.can_manage_any(request.user):
        raise PermissionDenied(_("Bạn không có quyền tạo đơn vị."))
    initial = {"kind": UnitKind.HAMLET, "parent": request.GET.get("parent", "")}
    form = UnitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(request.user, **_form_data(form))
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã tạo đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect("units:detail", code=unit.code)
    return render(request, "units/form.html", {"form": form, "unit": None})


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _get_unit_or_404(request.user, code)
    if not services.can_manage(request.user, unit):
        raise PermissionDenied(_("Bạn không có quyền sửa đơn vị này."))
    initial = {
        name: getattr(unit, name)
        for name in UnitForm.base_fields
        if name != "parent" and hasattr(unit, name)
    }
    initial["parent"] = unit.parent.code if unit.parent else ""
    form = UnitForm(
        request.POST or None,
        user=request.user,
        official=unit.official,
        current_kind=unit.kind,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        for name, field in form.fields.items():
            if field.disabled:
                changes.pop(name, None)
        try:
            unit = services.update_unit(request.user, unit, **changes)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect("units:detail", code=unit.code)
    return render(request, "units/form.html", {"form": form, "unit": unit})


@login_required
def import_units(request: HttpRequest) -> HttpResponse:
    """Upload a file, see every row and error (nothing written), then confirm."""
    if not services.can_manage_any(request.user):
        raise PermissionDenied(_("Bạn không có quyền nhập đơn vị."))
    form = ImportForm()
    check = None
    filename = ""
    if request.method == "POST" and request.POST.get("action") == "confirm":
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored:
            messages.error(request, _("Hãy tải tệp lên và kiểm tra trước khi nhập."))
            return redirect("units:import")
        content = base64.b64decode(stored["content"])
        try:
            result = imports.import_units(request.user, stored["filename"], content)
        except ServiceError as error:
            check = imports.ImportCheck(errors=error.details)
            messages.error(request, error.message)
        else:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(request, _("Đã nhập %(count)d đơn vị.") % {"count": len(result.rows)})
            return redirect("units:import")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name
            content = upload.read(imports.MAX_FILE_BYTES + 1)
            check = imports.check_units_file(request.user, filename, content)
            if check.ok:
                request.session[IMPORT_SESSION_KEY] = {
                    "filename": filename,
                    "content": base64.b64encode(content).decode("ascii"),
                }
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
    return render(
        request,
        "units/import.html",
        {"form": form, "check": check, "filename": filename, "columns": imports.COLUMNS},
    )


@login_required
@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The import template as Excel (`template.xlsx`) or CSV UTF-8 (`template.csv`)."""
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("Chỉ có mẫu .xlsx và .csv."))
    if fmt == "csv":
        response = HttpResponse(
            import_templates.template_csv(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.csv"'
        return response
    response = HttpResponse(
        import_templates.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi.xlsx"'
    return response


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    can_create = services.can_manage_any(request.user)
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(_("Bạn không có quyền tạo nhóm đơn vị."))
        if form.is_valid():
            try:
                group = services.create_group(request.user, **form.cleaned_data)
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Đã tạo nhóm “%(name)s”.") % {"name": group.name})
                return redirect("units:group_detail", code=group.code)
    groups = services.visible_groups(request.user).annotate(member_count=Count("units"))
    return render(
        request,
        "units/group_list.html",
        {"groups": groups, "form": form, "can_create": can_create},
    )


@login_required
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        group = services.get_visible_group(request.user, code)
    except NotFound as error:
        raise Http404(error.message) from error
    can_edit = services.can_manage(request.user, group.owner_unit)
    if request.method == "POST":
        action = request.POST.get("action")
        codes = request.POST.get("codes", "").replace(",", " ").split()
        try:
            if action == "add" and codes:
                services.add_group_members(request.user, group, codes)
                messages.success(request, _("Đã thêm %(count)d đơn vị.") % {"count": len(codes)})
            elif action == "remove" and codes:
                services.remove_group_members(request.user, group, codes)
                messages.success(request, _("Đã bỏ đơn vị khỏi nhóm."))
            elif action == "update":
                services.update_group(
                    request.user,
                    group,
                    name=request.POST.get("name", ""),
                    description=request.POST.get("description", ""),
                )
                messages.success(request, _("Đã lưu nhóm."))
            else:
                messages.error(request, _("Hãy nhập mã đơn vị."))
        except Forbidden as error:
            raise PermissionDenied(error.message) from error
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("units:group_detail", code=group.code)
    members = group.units.select_related("parent").order_by("sort_key")
    return render(
        request,
        "units/group_detail.html",
        {"group": group, "members": members, "can_edit": can_edit},
    )
