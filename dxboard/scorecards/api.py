"""Scorecards API: sets, scores, the cycle's transitions and results.

Published results are public: any signed-in user or API token (an integrator's) reads
them. Before publication a unit reads only its own scores.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dxboard.api_errors import ErrorOut
from dxboard.api_input import ObjectBody
from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.indicators.models import Pillar

from . import services
from .models import Scorecard

router = Router(tags=["scorecards"])
# Schema names start with "Sc" (or "Scorecard"): the OpenAPI components of every app share
# one namespace.

PILLARS = "^(" + "|".join(Pillar.values) + ")$"
NUMBER_OR_TEXT = 'Số (12 hoặc "12,5"); với cách tính theo mức: mã của mức.'


class ScRuleIn(Schema):
    type: Literal["ratio", "steps", "tiers", "yesno", "best", "manual"] = Field(
        ...,
        description="ratio: a/b × tối đa; steps: theo ngưỡng; tiers: theo mức; "
        "yesno: có/không; best: so với đơn vị cao nhất; manual: chấm trực tiếp",
    )
    lowerIsBetter: bool = Field(False, description="Càng thấp càng tốt (ratio, steps, best)")
    steps: list[dict[str, float | str]] | None = Field(
        None, description='Ngưỡng [{"min": 4, "points": 20}, …]', max_length=20
    )
    tiers: list[dict[str, float | str]] | None = Field(
        None,
        description='Mức [{"code": "pho", "name": "Phó Chủ tịch", "share": 0.5}, …]',
        max_length=20,
    )


class ScCriterionIn(Schema):
    code: str = Field(..., max_length=50)
    stt: str | None = Field(None, max_length=20, description="Số thứ tự, ví dụ 1.2")
    name: str = Field(..., max_length=500)
    maxPoints: float | str | None = Field(None, description="Điểm tối đa")
    rule: ScRuleIn | None = None
    method: str | None = Field(None, max_length=5000, description="Cách xác định và tính điểm")
    evidence: str | None = Field(None, max_length=5000, description="Tài liệu kiểm chứng")
    source: str | None = Field(None, max_length=300, description="Nguồn thu thập dữ liệu")
    verifier: str | None = Field(None, max_length=300, description="Đơn vị phối hợp xác minh")
    ranked: bool = True
    indicator: str | None = Field(None, max_length=50, description="Mã chỉ tiêu của chương trình")
    numerator: str | None = Field(None, max_length=50, description="Mã phần tử số liệu (tử số)")
    denominator: str | None = Field(None, max_length=50, description="Mã phần tử số liệu (mẫu số)")


class ScGroupIn(Schema):
    code: str = Field(..., max_length=50)
    stt: str | None = Field(None, max_length=20)
    name: str = Field(..., max_length=300)
    maxPoints: float | str | None = None
    pillar: str | None = Field(
        None, pattern=PILLARS, description="Trụ cột: " + ", ".join(Pillar.values)
    )
    ranked: bool = True
    criteria: list[ScCriterionIn] = Field(..., max_length=200)


class ScTierIn(Schema):
    name: str = Field(..., max_length=100)
    minIndex: float = Field(..., ge=0, le=1)


class ScorecardIn(ObjectBody):
    code: str = Field(..., max_length=50)
    name: str = Field(..., max_length=300)
    year: int = Field(..., ge=2000, le=2100)
    unitKind: Literal["department", "commune", "province", "district"]
    maxPoints: float | str | None = None
    ownerUnit: str | None = Field(None, max_length=50, description="Mã đơn vị ban hành")
    programme: str | None = Field(None, max_length=50, description="Chương trình cung cấp số liệu")
    legalReference: str | None = Field(None, max_length=300)
    opensOn: str | None = Field(None, description="YYYY-MM-DD (mặc định: hôm nay)")
    closesOn: str | None = Field(None, description="YYYY-MM-DD (mặc định: sau 30 ngày)")
    tiers: list[ScTierIn] | None = Field(None, max_length=10)
    groups: list[ScGroupIn] = Field(..., max_length=30)


class ScorecardOut(Schema):
    code: str
    name: str
    year: int
    unitKind: str
    maxPoints: float
    status: str = Field(..., description="open, review, confirmed, published")
    ownerUnit: str


class ScScoreIn(Schema):
    unit: str = Field(..., max_length=50)
    criterion: str = Field(..., max_length=50)
    value: float | str | None = Field(None, description=NUMBER_OR_TEXT)
    numerator: float | str | None = Field(None, description="a (cách tính ratio)")
    denominator: float | str | None = Field(None, description="b (cách tính ratio)")
    points: float | str | None = Field(None, description="Điểm (chấm trực tiếp, hoặc thẩm định)")
    explanation: str | None = Field(None, max_length=2000, description="Giải trình")
    reason: str | None = Field(None, max_length=1000, description="Lý do điều chỉnh (thẩm định)")


class ScScoresIn(ObjectBody):
    scores: list[ScScoreIn] = Field(..., min_length=1, max_length=5000)


class ScSavedOut(Schema):
    changed: int


class ScTransitionIn(ObjectBody):
    action: Literal["submit", "review", "confirm", "publish"] = Field(
        ...,
        description="submit: đơn vị nộp; review: đóng nộp, thẩm định; "
        "confirm: Hội đồng xác nhận; publish: công bố",
    )
    unit: str | None = Field(None, max_length=50, description="Đơn vị nộp (submit)")
    decision: str | None = Field(None, max_length=200, description="Số quyết định (confirm)")


class ScGroupResultOut(Schema):
    code: str
    points: float
    maxPoints: float
    rank: int | None


class ScChangeOut(Schema):
    points: float
    index: float
    rank: int | None = Field(..., description="Thứ hạng năm trước − thứ hạng năm nay")


class ScResultOut(Schema):
    unit: str
    unitName: str
    points: float
    maxPoints: float
    rankingPoints: float = Field(
        ..., description="Điểm tính xếp hạng: không gồm chỉ số, nhóm chỉ số không xếp hạng"
    )
    index: float = Field(..., description="Điểm / điểm tối đa (0–1)")
    rank: int | None
    ranked: bool
    submitted: bool
    tier: str
    change: ScChangeOut | None
    groups: list[ScGroupResultOut]


class ScResultsOut(Schema):
    scorecard: str
    status: str
    complete: bool = Field(..., description="false: chỉ các đơn vị của bạn, chưa công bố")
    results: list[ScResultOut]


class ScResultsFilter(Schema):
    group: str | None = Field(None, max_length=50, description="Xếp hạng theo nhóm chỉ số")
    pillar: str | None = Field(None, pattern=PILLARS, description="Xếp hạng theo trụ cột")
    peers: str | None = Field(None, max_length=50, description="Mã nhóm đơn vị để so sánh")


def _out(scorecard: Scorecard) -> dict[str, Any]:
    return {
        "code": scorecard.code,
        "name": scorecard.name,
        "year": scorecard.year,
        "unitKind": scorecard.unit_kind,
        "maxPoints": float(scorecard.max_points),
        "status": scorecard.status,
        "ownerUnit": scorecard.owner_unit.code,
    }


def _f(value: Decimal) -> float:
    return float(value)


@router.get("/scorecards", response=list[ScorecardOut], summary="Danh sách bộ chỉ số")
def scorecards_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The sets the user may see: published ones, and those of the units in line with theirs."""
    return [_out(s) for s in services.visible_scorecards(request.user)]


@router.post(
    "/scorecards",
    response={201: ScorecardOut, 200: ScorecardOut, 409: ErrorOut},
    summary="Nhập bộ chỉ số",
)
def scorecards_create(
    request: HttpRequest, body: ScorecardIn, dryRun: bool = False
) -> Status[dict[str, Any]]:
    """All or nothing; every error names its JSON path and the criterion's STT. Groups'
    maxima must add up to the set's, criteria's to their group's. `?dryRun=true` checks only."""
    document = body.model_dump(exclude_none=True)
    scorecard = services.import_scorecard(request.user, document, dry_run=dryRun)
    return Status(200 if dryRun else 201, _out(scorecard))


@router.get("/scorecards/{code}", summary="Một bộ chỉ số với cây chỉ số")
def scorecards_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """The set in the shape `POST /scorecards` takes, with its status."""
    scorecard = services.get_scorecard(request.user, code)
    return services.scorecard_document(scorecard)


@router.post(
    "/scorecards/{code}/scores",
    response={200: ScSavedOut, 409: ErrorOut},
    summary="Chấm điểm hoặc điều chỉnh điểm",
)
def scorecards_scores(request: HttpRequest, code: str, body: ScScoresIn) -> dict[str, int]:
    """While the campaign is open: the unit's self-assessment (`value`, or `numerator` and
    `denominator`, or `points` for a manual criterion; `explanation`). During the review:
    the province officer's adjustment (`points` and `reason`). All or nothing."""
    scorecard = services.get_scorecard(request.user, code)
    entries = [s.model_dump(exclude_none=True) for s in body.scores]
    return {"changed": services.save_scores(request.user, scorecard, entries)}


@router.post(
    "/scorecards/{code}/transitions",
    response={200: ScorecardOut, 409: ErrorOut},
    summary="Chuyển bước đợt đánh giá",
)
def scorecards_transition(request: HttpRequest, code: str, body: ScTransitionIn) -> dict[str, Any]:
    """submit (the unit's head, with `unit`), review, confirm (with the council's
    `decision`), publish (province officer)."""
    scorecard = services.get_scorecard(request.user, code)
    if body.action == "submit":
        services.submit(request.user, scorecard, body.unit or "")
    elif body.action == "review":
        services.start_review(request.user, scorecard)
    elif body.action == "confirm":
        services.confirm(request.user, scorecard, body.decision or "")
    else:
        services.publish(request.user, scorecard)
    return _out(scorecard)


@router.get("/scorecards/{code}/results", response=ScResultsOut, summary="Kết quả và xếp hạng")
def scorecards_results(
    request: HttpRequest, code: str, filters: Query[ScResultsFilter]
) -> dict[str, Any]:
    """Points, index and ranks (1, 2, 2, 4; units not ranked take no rank). With `group` or
    `pillar`, `points`, `maxPoints` and `rank` are those of that group or pillar; `peers`
    ranks among the units of a unit group. Before publication a unit sees only its own."""
    scorecard = services.get_scorecard(request.user, code)
    if filters.group and not scorecard.groups.filter(code=filters.group).exists():
        message = _("Không có nhóm chỉ số “%(c)s” trong bộ chỉ số.") % {"c": filters.group}
        raise InvalidInput(message, [ErrorDetail("group", message)])
    sort = (
        f"group:{filters.group}"
        if filters.group
        else (f"pillar:{filters.pillar}" if filters.pillar else "")
    )
    results, complete = services.results_for(
        request.user, scorecard, peers_code=filters.peers or "", sort=sort
    )
    rows = []
    for r in results:
        points, maximum, rank, ranking = r.points, r.max_points, r.rank, r.ranking_points
        if filters.group:
            group = r.group(filters.group)
            if group is None:
                continue
            points, maximum, rank = group.points, group.max_points, group.rank
            ranking = group.ranking_points
        elif filters.pillar:
            pillar = r.pillars.get(filters.pillar)
            points, maximum, rank, ranking = (
                (pillar.points, pillar.max_points, pillar.rank, pillar.ranking_points)
                if pillar
                else (Decimal(0), Decimal(0), None, Decimal(0))
            )
        rows.append(
            {
                "unit": r.unit.code,
                "unitName": r.unit.name,
                "points": _f(points),
                "maxPoints": _f(maximum),
                "rankingPoints": _f(ranking),
                "index": _f(r.index),
                "rank": rank,
                "ranked": r.ranked,
                "submitted": r.submitted,
                "tier": r.tier,
                "change": (
                    {
                        "points": _f(r.change.points),
                        "index": _f(r.change.index),
                        "rank": r.change.rank,
                    }
                    if r.change
                    else None
                ),
                "groups": [
                    {
                        "code": g.code,
                        "points": _f(g.points),
                        "maxPoints": _f(g.max_points),
                        "rank": g.rank,
                    }
                    for g in r.groups
                ],
            }
        )
    return {
        "scorecard": scorecard.code,
        "status": scorecard.status,
        "complete": complete,
        "results": rows,
    }
