"""Pages of the indicators app: the catalogue, one indicator, programmes, target editing.

The catalogue is public knowledge (as in the API). A programme page is readable by whoever
may read the programme (`Programme.objects.visible_to`): everybody for a public programme.
An anonymous visitor asking for a programme that is not public is sent to the login page;
a logged-in user who may not read it gets a 404. Target editing needs a province officer
(or unit administrator) on the programme's unit; other readers get a 403.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxboard.errors import Forbidden, InvalidInput, NotFound
from dxboard.indicators import services, target_services
from dxboard.indicators.forms import CatalogueFilterForm, TargetRow, value_field
from dxboard.indicators.models import Indicator, Pillar, Programme, Target, TargetChange
from dxboard.numbers import vn_number
from dxboard.text import fold
from dxboard.units.models import Unit

HISTORY_SIZE = 20


# --- display helpers (also used by the dashboard) ---------------------------------------


def formula(indicator: Indicator) -> str:
    """ "Số hồ sơ trực tuyến / Tổng số hồ sơ × 100" or the single element's name."""
    text = indicator.numerator.name
    if indicator.is_ratio:
        text = f"{text} / {indicator.denominator.name}"
    if indicator.factor != 1:
        text = f"{text} × {vn_number(indicator.factor)}"
    return text


def _programme_or_none(request: HttpRequest, code: str) -> Programme | None:
    try:
        return services.get_programme(request.user, code)
    except NotFound:
        return None


def _not_readable(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors log in first; logged-in users who may not read get a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404(_("Không tìm thấy chương trình."))


# --- catalogue ---------------------------------------------------------------------------


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """All indicators grouped by pillar, with search (`q`, diacritics ignored) and filters."""
    form = CatalogueFilterForm(request.GET or None)
    indicators = services.list_indicators().annotate(programme_count=Count("programme_indicators"))
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["pillar"]:
            indicators = indicators.filter(pillar=data["pillar"])
        if data["direction"]:
            indicators = indicators.filter(direction=data["direction"])
        if data["kind"]:
            indicators = indicators.filter(kind=data["kind"])
        query = data["q"].strip()
    rows = list(indicators)
    if query:
        words = fold(query).split()
        rows = [
            i
            for i in rows
            if all(w in fold(f"{i.code} {i.name} {i.name_en}") for w in words)
            or query.upper() == i.code
        ]
    groups = []
    for pillar, label in Pillar.choices:
        items = [i for i in rows if i.pillar == pillar]
        for item in items:
            item.formula_text = formula(item)
        if items:
            groups.append({"pillar": pillar, "label": label, "indicators": items})
    context = {"form": form, "groups": groups, "count": len(rows), "query": query}
    if request.htmx and request.htmx.target == "catalogue-results":
        return render(request, "indicators/catalogue_results_partial.html", context)
    return render(request, "indicators/catalogue.html", context)


@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = services.list_indicators().filter(code=code).first()
    if indicator is None:
        raise Http404(_("Không tìm thấy chỉ tiêu."))
    indicator.formula_text = formula(indicator)
    programmes = list(
        services.list_programmes(request.user)
        .filter(programme_indicators__indicator=indicator)
        .order_by("-start_year", "code")
    )
    targets: dict[int, dict[int, Decimal]] = {}
    for programme_id, year, value in Target.objects.filter(
        programme__in=[p.pk for p in programmes],
        indicator=indicator,
        unit_id=F("programme__owner_unit_id"),
    ).values_list("programme_id", "year", "value"):
        targets.setdefault(programme_id, {})[year] = value
    places = indicator.decimals
    for programme in programmes:
        own = targets.get(programme.pk, {})
        programme.target_cells = [
            (year, vn_number(own.get(year), None if own.get(year) is None else places))
            for year in range(programme.start_year, programme.end_year + 1)
        ]
    elements = [indicator.numerator] + ([indicator.denominator] if indicator.is_ratio else [])
    return render(
        request,
        "indicators/indicator_detail.html",
        {"indicator": indicator, "elements": elements, "programmes": programmes},
    )


# --- programmes --------------------------------------------------------------------------


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = services.list_programmes(request.user).annotate(
        indicator_count=Count("programme_indicators")
    )
    return render(request, "indicators/programme_list.html", {"programmes": programmes})


def _thresholds(programme: Programme) -> list[str]:
    return [vn_number(t) for t in programme.thresholds]


@require_GET
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme_or_none(request, code)
    if programme is None:
        return _not_readable(request)
    indicators = services.programme_indicators(programme)
    years = list(range(programme.start_year, programme.end_year + 1))
    own: dict[tuple[int, int], Decimal] = {}
    sources: set[str] = set()
    for indicator_id, year, value, source in Target.objects.filter(
        programme=programme, unit_id=programme.owner_unit_id
    ).values_list("indicator_id", "year", "value", "source_document"):
        own[(indicator_id, year)] = value
        if source:
            sources.add(source)
    rows = []
    for indicator in indicators:
        cells = []
        for year in years:
            value = own.get((indicator.pk, year))
            cells.append(vn_number(value, None if value is None else indicator.decimals))
        rows.append({"indicator": indicator, "formula": formula(indicator), "cells": cells})
    child_units = (
        Target.objects.filter(programme=programme)
        .exclude(unit_id=programme.owner_unit_id)
        .values("unit_id")
        .distinct()
        .count()
    )
    return render(
        request,
        "indicators/programme_detail.html",
        {
            "programme": programme,
            "years": years,
            "rows": rows,
            "sources": sorted(sources),
            "thresholds": _thresholds(programme),
            "child_units": child_units,
            "can_edit": target_services.can_edit_targets(request.user, programme),
        },
    )


# --- targets -----------------------------------------------------------------------------


def _cell_text(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return ""
    # Counts are grouped ("12.316"); ratios are not, so "97,5" never reads as a thousand.
    return vn_number(value, grouping=not indicator.is_ratio)


def _audit_text(text: str) -> str:
    """A number stored in the audit ("1234.5") as Vietnamese text ("1.234,5"); ∅ if none."""
    if not text:
        return "∅"
    try:
        return vn_number(Decimal(text))
    except ArithmeticError:
        return text


def _row_context(
    programme: Programme,
    indicator: Indicator,
    years: list[int],
    existing: dict[tuple[int, int], Target],
    fallback: dict[tuple[int, int], Decimal],
    posted: TargetRow | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
) -> dict:
    cells = []
    sources = [
        existing[(indicator.pk, y)].source_document
        for y in years
        if (indicator.pk, y) in existing and existing[(indicator.pk, y)].source_document
    ]
    for year in years:
        target = existing.get((indicator.pk, year))
        text = posted.raw[year] if posted else _cell_text(indicator, target and target.value)
        hint = fallback.get((indicator.pk, year))
        cells.append(
            {
                "year": year,
                "name": value_field(year),
                "text": text,
                "placeholder": _cell_text(indicator, hint) if hint is not None else "",
                "error": (errors or {}).get(str(year), ""),
            }
        )
    return {
        "programme": programme,
        "indicator": indicator,
        "cells": cells,
        "source": posted.source if posted else (sources[-1] if sources else ""),
        "row_error": (errors or {}).get("", ""),
        "saved": saved,
    }


def _grid(programme: Programme, unit: Unit, years: list[int]):
    existing = {
        (t.indicator_id, t.year): t for t in Target.objects.filter(programme=programme, unit=unit)
    }
    fallback: dict[tuple[int, int], Decimal] = {}
    if unit.pk != programme.owner_unit_id:
        # A child without its own target uses the programme unit's one (ratios only).
        fallback = {
            (i, y): v
            for i, y, v in Target.objects.filter(
                programme=programme,
                unit_id=programme.owner_unit_id,
                indicator__kind="ratio",
            ).values_list("indicator_id", "year", "value")
        }
    return existing, fallback


@login_required
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The yearly targets grid of one unit (the programme's unit or a child): one form per
    indicator row, saved with htmx (the row is swapped) or by a normal post."""
    programme = _programme_or_none(request, code)
    if programme is None:
        raise Http404(_("Không tìm thấy chương trình."))
    if not target_services.can_edit_targets(request.user, programme):
        raise PermissionDenied(_("Chỉ chuyên viên Sở được sửa chỉ tiêu kế hoạch."))
    units = target_services.target_units(programme)
    unit_code = (request.POST.get("unit") if request.method == "POST" else None) or request.GET.get(
        "unit", ""
    )
    unit = next((u for u in units if u.code == unit_code), units[0])
    indicators = services.programme_indicators(programme)
    years = list(range(programme.start_year, programme.end_year + 1))
    posted_row: dict | None = None
    if request.method == "POST":
        indicator = next((i for i in indicators if i.code == request.POST.get("indicator")), None)
        if indicator is None:
            raise Http404(_("Chỉ tiêu không thuộc chương trình."))
        row = TargetRow(indicator, years, request.POST)
        errors: dict[str, str] = {str(k): v for k, v in row.errors.items()}
        changed = 0
        if row.is_valid():
            try:
                changed = len(
                    target_services.set_targets(request.user, programme, unit, row.inputs())
                )
            except InvalidInput as error:
                for detail in error.details:
                    errors[detail.path if detail.path in map(str, years) else ""] = detail.message
            except Forbidden as error:
                raise PermissionDenied(error.message) from error
        if not errors:
            if request.htmx:
                existing, fallback = _grid(programme, unit, years)
                context = _row_context(programme, indicator, years, existing, fallback, saved=True)
                context.update(unit=unit, changed=changed)
                return render(request, "indicators/targets_row_partial.html", context)
            if changed:
                messages.success(
                    request,
                    _("Đã lưu %(count)s thay đổi của chỉ tiêu %(code)s.")
                    % {"count": changed, "code": indicator.code},
                )
            else:
                messages.info(request, _("Không có thay đổi."))
            url = reverse("indicators:targets_edit", args=[programme.code])
            return redirect(f"{url}?{urlencode({'unit': unit.code})}#row-{indicator.code}")
        existing, fallback = _grid(programme, unit, years)
        posted_row = _row_context(
            programme, indicator, years, existing, fallback, posted=row, errors=errors
        )
        if request.htmx:
            posted_row.update(unit=unit)
            return render(request, "indicators/targets_row_partial.html", posted_row)
    existing, fallback = _grid(programme, unit, years)
    rows = []
    for indicator in indicators:
        if posted_row and posted_row["indicator"].pk == indicator.pk:
            rows.append(posted_row)
        else:
            rows.append(_row_context(programme, indicator, years, existing, fallback))
    history = list(
        TargetChange.objects.filter(programme=programme)
        .select_related("indicator", "unit", "user")
        .order_by("-at", "-pk")[:HISTORY_SIZE]
    )
    for change in history:
        change.old_display = _audit_text(change.old_value)
        change.new_display = _audit_text(change.new_value)
    return render(
        request,
        "indicators/targets_edit.html",
        {
            "programme": programme,
            "unit": unit,
            "units": units,
            "years": years,
            "rows": rows,
            "history": history,
            "has_errors": posted_row is not None,
        },
        status=400 if posted_row is not None else 200,
    )
