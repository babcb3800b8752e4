"""Pages of the scorecards: the set, the self-assessment form, the review, the ranking and
a unit's scorecard. Views parse input and call the services; NotFound and Forbidden go
to the styled 404/403 pages (`dxboard.middleware.ServiceErrorMiddleware`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dxboard import permissions
from dxboard.errors import ErrorDetail, Forbidden, InvalidInput, ServiceError
from dxboard.forms import BootstrapForm
from dxboard.indicators.models import Pillar
from dxboard.spreadsheets import xlsx_response

from . import excel, services
from .automatic import automatic_figures
from .cycle import rule_of
from .models import Participant, RuleType, Score, Scorecard, ScoreChange, Status
from .sets import json_path


class ImportForm(BootstrapForm):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx) hoặc JSON"))
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, chưa lưu"), required=False)


def _manager(user: Any, scorecard: Scorecard) -> bool:
    return permissions.can(user, "scorecards.manage", scorecard.owner_unit)


@login_required
def scorecard_list(request: HttpRequest) -> HttpResponse:
    scorecards = services.visible_scorecards(request.user)
    # The units the user self-assesses for (a province officer reviews, not assesses).
    own = (
        {
            p.scorecard_id: p
            for p in Participant.objects.visible_to(
                request.user, roles=permissions.roles_for("scorecards.self_assess")
            )
            .filter(scorecard__in=scorecards)
            .select_related("unit")
            .order_by("unit__depth")
        }
        if not request.user.is_superuser
        else {}
    )
    rows = [{"scorecard": s, "own": own.get(s.pk)} for s in scorecards]
    can_import = permissions.can(request.user, "scorecards.manage")
    return render(
        request, "scorecards/scorecard_list.html", {"rows": rows, "can_import": can_import}
    )


@login_required
def scorecard_detail(request: HttpRequest, code: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    groups = services.scorecard_tree(scorecard)
    rows = []
    for group in groups:
        criteria = [{"criterion": c, "rule": rule_of(c).describe()} for c in group.criteria.all()]
        rows.append({"group": group, "criteria": criteria})
    own = (
        Participant.objects.visible_to(
            request.user, roles=permissions.roles_for("scorecards.self_assess")
        )
        .filter(scorecard=scorecard)
        .select_related("unit")
        .order_by("unit__depth", "unit__sort_key")[:20]
    )
    return render(
        request,
        "scorecards/scorecard_detail.html",
        {
            "scorecard": scorecard,
            "rows": rows,
            "manager": _manager(request.user, scorecard),
            "own": list(own) if not _manager(request.user, scorecard) else [],
            "pillars": dict(Pillar.choices),
            "tiers": list(scorecard.tiers.all()),
        },
    )


@login_required
def import_scorecard(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, "scorecards.manage"):
        raise Forbidden(_("Chỉ chuyên viên Sở được nhập bộ chỉ số."))
    form = ImportForm(request.POST or None, request.FILES or None)  # type: ignore[no-untyped-call]
    errors: list[ErrorDetail] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.name.lower().endswith(".json"):
                try:
                    document = json.loads(upload.read().decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise InvalidInput(_("Tệp JSON không hợp lệ.")) from None
                where = json_path
            else:
                document, where = excel.read_scorecard_file(upload)
            dry_run = form.cleaned_data["dry_run"]
            scorecard = services.import_scorecard(
                request.user, document, dry_run=dry_run, where=where
            )
        except ServiceError as error:
            if isinstance(error, Forbidden):
                raise
            form.add_service_error(error)
            errors = error.details or [ErrorDetail(_("Tệp"), error.message)]
        else:
            if dry_run:
                messages.success(
                    request, _("Bộ chỉ số %(c)s hợp lệ; chưa lưu.") % {"c": scorecard.code}
                )
            else:
                messages.success(request, _("Đã nhập bộ chỉ số %(c)s.") % {"c": scorecard.code})
                return redirect("scorecards:detail", code=scorecard.code)
    context = {
        "title": _("Nhập bộ chỉ số"),
        "intro": _(
            "Dòng có STT không có dấu chấm (1, 2, …) là chỉ số chính; 1.1, 1.2 là chỉ số "
            "thành phần của nhóm 1. Thông tin bộ chỉ số (Mã bộ chỉ số, Năm, Loại đơn vị, "
            "Tổng điểm tối đa) ghi ở các dòng cuối như tệp xuất. Nếu có lỗi, không có gì "
            "được lưu."
        ),
        "headers": list(excel.TITLES.values())[:7],
        "form": form,
        "errors": errors,
        "back_url": reverse("scorecards:list"),
        "back_label": _("Bộ chỉ số"),
    }
    return render(request, "excel_import.html", context)


@login_required
def export_scorecard(request: HttpRequest, code: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    return xlsx_response(excel.export_scorecard(scorecard), f"bo-chi-so-{scorecard.code}.xlsx")


# --- a unit's self-assessment ------------------------------------------------------------


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def _inputs(criterion_code: str, score: Score | None, posted: Any) -> dict[str, str]:
    """What the form's fields hold: what was just posted (when refused), else the score."""
    keys = ("value", "numerator", "denominator", "points", "explanation", "reason")
    if posted:
        return {k: posted.get(f"c-{criterion_code}-{k}", "") for k in keys}
    if score is None:
        return dict.fromkeys(keys, "")
    return {
        "value": score.choice or _text(score.value),
        "numerator": _text(score.numerator),
        "denominator": _text(score.denominator),
        "points": _text(
            score.reviewed_points if score.reviewed_points is not None else score.self_points
        ),
        "explanation": "" if score.automatic else score.explanation,
        "reason": score.review_reason,
    }


def _shown(rule: Any, score: Score | None) -> str:
    if score is None:
        return "—"
    if score.choice:
        return next((t.name for t in rule.tiers if t.code == score.choice), score.choice)
    if rule.type == RuleType.YESNO and score.value is not None:
        return _("Có") if score.value > 0 else _("Không")
    if score.numerator is not None:
        return f"{_text(score.numerator)}/{_text(score.denominator)}"
    if rule.type == RuleType.MANUAL:
        return _("%(p)s điểm") % {"p": _text(score.self_points)}
    return _text(score.value) or "—"


def _form_rows(
    scorecard: Scorecard, participant: Participant, posted: Any = None
) -> list[dict[str, Any]]:
    groups = services.scorecard_tree(scorecard)
    criteria = [c for g in groups for c in g.criteria.all()]
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(participant=participant).prefetch_related("evidence_files")
    }
    live = {}
    if scorecard.status == Status.OPEN and participant.submitted_at is None:
        live = automatic_figures(scorecard, criteria, [participant.unit])
    results = {r.unit.pk: r for r in services.compute(scorecard, with_change=False, groups=groups)}
    result = results.get(participant.unit.pk)
    rows = []
    for group in groups:
        items: list[dict[str, Any]] = []
        for criterion in group.criteria.all():
            rule = rule_of(criterion)
            score = scores.get(criterion.pk)
            figure = live.get((participant.unit.pk, criterion.pk))
            live_points = (
                rule.points(
                    value=figure.value, numerator=figure.numerator, denominator=figure.denominator
                )
                if figure and not rule.needs_peers
                else None
            )
            points = result.criteria.get(criterion.code) if result else None
            items.append(
                {
                    "criterion": criterion,
                    "rule": rule,
                    "describe": rule.describe(),
                    "score": score,
                    "figure": figure,
                    "live_points": live_points,
                    # Against the best unit: unknown until the peers' figures are in.
                    "points": None
                    if figure and rule.needs_peers
                    else (live_points if live_points is not None else points),
                    "input": _inputs(criterion.code, score, posted),
                    "shown": _shown(rule, score),
                    "tiers": rule.tiers,
                    "is_ratio": rule.type == RuleType.RATIO,
                    "is_manual": rule.type == RuleType.MANUAL,
                    "is_tiers": rule.type == RuleType.TIERS,
                    "is_yesno": rule.type == RuleType.YESNO,
                }
            )
        # The group's total as the rows show it, automatic figures not yet stored included.
        total = sum((i["points"] for i in items if i["points"] is not None), Decimal(0))
        rows.append({"group": group, "items": items, "total": total})
    return rows


@login_required
def assessment(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    participant = services.get_participant(request.user, scorecard, unit)
    errors: list[ErrorDetail] = []
    if request.method == "POST":
        entries = _entries_from_post(request, scorecard, participant)
        try:
            changed = services.save_scores(request.user, scorecard, entries)
        except (InvalidInput, ServiceError) as error:
            if not isinstance(error, InvalidInput) and error.status in (403, 404):
                raise
            errors = error.details or [ErrorDetail("", error.message)]
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã lưu %(n)s điểm.") % {"n": changed})
            return redirect("scorecards:assessment", code=code, unit=unit)
    reviewing = scorecard.status == Status.REVIEW and _manager(request.user, scorecard)
    editable = (
        scorecard.status == Status.OPEN
        and participant.submitted_at is None
        and permissions.can(request.user, "scorecards.self_assess", participant.unit)
    )
    changes = (
        ScoreChange.objects.filter(score__participant=participant)
        .select_related("user", "score__criterion")
        .order_by("-at", "-pk")[:50]
    )
    return render(
        request,
        "scorecards/assessment.html",
        {
            "scorecard": scorecard,
            "participant": participant,
            "rows": _form_rows(scorecard, participant, request.POST if errors else None),
            "editable": editable,
            "reviewing": reviewing,
            "can_submit": editable
            and permissions.can(request.user, "scorecards.submit", participant.unit),
            "late": services.is_late(scorecard, participant),
            "errors": errors,
            "changes": changes,
            "manager": _manager(request.user, scorecard),
        },
    )


def _entries_from_post(
    request: HttpRequest, scorecard: Scorecard, participant: Participant
) -> list[dict[str, Any]]:
    """One entry per criterion whose fields were filled in (blank rows are left alone)."""
    entries = []
    reviewing = scorecard.status == Status.REVIEW
    # The review form shows every score's points: only those the reviewer changed (or
    # gave a reason for) are adjustments; the others came back as they were shown.
    shown = (
        {
            s.criterion_id: _inputs("", s, None)["points"]
            for s in Score.objects.filter(participant=participant)
        }
        if reviewing
        else {}
    )
    for group in services.scorecard_tree(scorecard):
        for criterion in group.criteria.all():
            prefix = f"c-{criterion.code}-"
            fields = {
                key: request.POST.get(prefix + key, "").strip()
                for key in ("value", "numerator", "denominator", "points", "explanation", "reason")
            }
            if reviewing:
                if not fields["points"]:
                    continue
                if not fields["reason"] and _same_number(
                    fields["points"], shown.get(criterion.pk, "")
                ):
                    continue
                entries.append(
                    {
                        "unit": participant.unit.code,
                        "criterion": criterion.code,
                        "points": fields["points"],
                        "reason": fields["reason"],
                    }
                )
                continue
            if criterion.is_automatic:
                continue
            if not any(fields[k] for k in ("value", "numerator", "denominator", "points")):
                continue
            entry = {"unit": participant.unit.code, "criterion": criterion.code}
            entry.update({k: v for k, v in fields.items() if v and k != "reason"})
            entries.append(entry)
    return entries


def _same_number(posted: str, shown: str) -> bool:
    """Whether a posted number is the one the form showed ("10" and "10,0" are)."""
    try:
        return Decimal(posted.replace(" ", "").replace(",", ".")) == Decimal(
            shown.replace(",", ".")
        )
    except ArithmeticError:
        return posted == shown


@login_required
@require_POST
def submit(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    try:
        services.submit(request.user, scorecard, unit)
    except InvalidInput as error:
        messages.error(
            request,
            error.message + " " + "; ".join(f"{d.path}: {d.message}" for d in error.details[:10]),
        )
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã nộp kết quả tự đánh giá."))
    return redirect("scorecards:assessment", code=code, unit=unit)


class EvidenceForm(BootstrapForm):
    criterion = forms.CharField(max_length=50)
    file = forms.FileField(label=gettext_lazy("Tài liệu kiểm chứng"))


@login_required
@require_POST
def evidence_upload(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    services.get_participant(request.user, scorecard, unit)
    form = EvidenceForm(request.POST, request.FILES)  # type: ignore[no-untyped-call]
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một tệp."))
    else:
        upload = form.cleaned_data["file"]
        try:
            content = upload.read()
            services.add_evidence(
                request.user, scorecard, unit, form.cleaned_data["criterion"], upload.name, content
            )
        except ServiceError as error:
            if error.status in (403, 404):
                raise
            detail = "; ".join(f"{d.path}: {d.message}" for d in error.details)
            messages.error(request, f"{error.message} {detail}".strip())
        else:
            messages.success(request, _("Đã tải lên “%(n)s”.") % {"n": upload.name})
    return redirect("scorecards:assessment", code=code, unit=unit)


@login_required
def evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    item = services.get_evidence(request.user, evidence_id)
    response = FileResponse(
        item.file.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- review, cycle, ranking --------------------------------------------------------------


@login_required
def review(request: HttpRequest, code: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    permissions.require(request.user, "scorecards.manage", scorecard.owner_unit)
    results = {r.unit.pk: r for r in services.compute(scorecard, with_change=False)}
    participants = list(
        Participant.objects.filter(scorecard=scorecard)
        .select_related("unit", "submitted_by")
        .order_by("unit__sort_key")
    )
    rows = [
        {"p": p, "late": services.is_late(scorecard, p), "result": results.get(p.unit.pk)}
        for p in participants
    ]
    late = [r for r in rows if r["late"]]
    return render(
        request,
        "scorecards/review.html",
        {
            "scorecard": scorecard,
            "rows": rows,
            "late": late,
            "submitted": sum(1 for r in rows if r["p"].submitted_at),
            "statuses": Status,
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, code: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    action = request.POST.get("action", "")
    try:
        if action == "review":
            services.start_review(request.user, scorecard)
        elif action == "confirm":
            services.confirm(request.user, scorecard, request.POST.get("decision", ""))
        elif action == "publish":
            services.publish(request.user, scorecard)
        elif action == "exclude":
            services.set_ranked(
                request.user,
                scorecard,
                request.POST.get("unit", ""),
                request.POST.get("ranked") == "1",
                request.POST.get("reason", ""),
            )
        else:
            raise InvalidInput(_("Thao tác không hợp lệ."))
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã cập nhật: %(s)s.") % {"s": Status(scorecard.status).label})
    return redirect("scorecards:review", code=code)


def _sorts(groups: list[Any]) -> set[str]:
    return {f"group:{g.code}" for g in groups} | {f"pillar:{p}" for p in Pillar.values}


def _chart_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@login_required
def ranking(request: HttpRequest, code: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    groups = services.scorecard_tree(scorecard)
    sort = request.GET.get("sort", "")
    if sort not in _sorts(groups):
        sort = ""
    peers = request.GET.get("peers", "").strip()
    try:
        results, full = services.results_for(request.user, scorecard, peers_code=peers, sort=sort)
    except InvalidInput as error:
        # An unknown peer group (a stale link): say so and rank among every unit.
        messages.error(request, error.message)
        peers = ""
        results, full = services.results_for(request.user, scorecard, sort=sort)
    kind, _sep, sort_code = sort.partition(":")
    pillars = sorted({g.pillar for g in groups if g.pillar}, key=Pillar.values.index)

    def shown(r: services.UnitResult) -> dict[str, Any]:
        """Points, maximum, rank and last year's rank of what the ranking is by."""
        change = r.change
        if kind == "group":
            g = r.group(sort_code)
            values = (g.points, g.max_points, g.rank) if g else (Decimal(0), Decimal(0), None)
            before = change.previous_groups.get(sort_code) if change else None
        elif kind == "pillar":
            p = r.pillars.get(sort_code)
            values = (p.points, p.max_points, p.rank) if p else (Decimal(0), Decimal(0), None)
            before = change.previous_pillars.get(sort_code) if change else None
        else:
            values = (r.points, r.max_points, r.rank)
            before = change.previous_rank if change else None
        rank = values[2]
        return {
            "points": values[0],
            "max": values[1],
            "rank": rank,
            "previous_rank": before,
            # Positive when the unit moved up.
            "moved": before - rank if before is not None and rank is not None else None,
        }

    rows = [{"r": r, "shown": shown(r)} for r in results]
    chart = {
        "units": [r.unit.name for r in results],
        "points": [_chart_number(row["shown"]["points"]) for row in rows],
        "ranked": [r.ranked for r in results],
        "label": _("Điểm"),
    }
    return render(
        request,
        "scorecards/ranking.html",
        {
            "scorecard": scorecard,
            "rows": rows,
            "full": full,
            "groups": groups,
            "pillars": [(p, Pillar(p).label) for p in pillars],
            "sort": sort,
            "peers": peers,
            "peer_groups": services.peer_groups(request.user, scorecard),
            "chart": chart,
            "has_change": any(r.change for r in results),
            # Points of criteria or groups not ranked: the ranks compare the rest.
            "has_unranked": any(r.ranking_points != r.points for r in results),
        },
    )


@login_required
def results_export(request: HttpRequest, code: str) -> HttpResponse:
    """The ranking page's table as an Excel file, with the page's sort and peer group."""
    scorecard = services.get_scorecard(request.user, code)
    sort = request.GET.get("sort", "")
    if sort not in _sorts(services.scorecard_tree(scorecard)):
        sort = ""
    peers = request.GET.get("peers", "").strip()
    try:
        results, full = services.results_for(request.user, scorecard, peers_code=peers, sort=sort)
    except InvalidInput as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
    peers_name = next(
        (g.name for g in services.peer_groups(request.user, scorecard) if g.code == peers), ""
    )
    content = excel.export_results(scorecard, results, sort=sort, full=full, peers_name=peers_name)
    return xlsx_response(content, f"xep-hang-{scorecard.code}.xlsx")


@login_required
def unit_card(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    scorecard = services.get_scorecard(request.user, code)
    participant = services.get_participant(request.user, scorecard, unit)
    groups = services.scorecard_tree(scorecard)
    everyone = services.compute(scorecard, groups=groups)
    mine = next(r for r in everyone if r.unit.pk == participant.unit.pk)
    full = scorecard.is_published or _manager(request.user, scorecard)
    summary = services.peer_summary(everyone) if full else []
    chart = {
        "groups": [g.name for g in mine.groups if g.max_points],
        "unit": [float(g.points) for g in mine.groups if g.max_points],
        "average": [float(s["average"]) for s in summary if s["max"]],
        "best": [float(s["best"]) for s in summary if s["max"]],
        "max": [float(g.max_points) for g in mine.groups if g.max_points],
        "labels": {
            "unit": participant.unit.name,
            "average": _("Trung bình"),
            "best": _("Cao nhất"),
            "max": _("Điểm tối đa"),
        },
    }
    if not full:
        mine.rank = None
        mine.change = None
        for g in mine.groups:
            g.rank = None
    peers_count = sum(1 for r in everyone if r.ranked)
    by_code = {s["code"]: s for s in summary}
    return render(
        request,
        "scorecards/unit_card.html",
        {
            "scorecard": scorecard,
            "participant": participant,
            "result": mine,
            "group_rows": [
                {
                    "g": g,
                    "average": by_code.get(g.code, {}).get("average"),
                    "best": by_code.get(g.code, {}).get("best"),
                }
                for g in mine.groups
            ],
            "pillar_rows": [(Pillar(code).label, p) for code, p in mine.pillars.items()],
            "chart": chart,
            "full": full,
            "peers_count": peers_count,
        },
    )
