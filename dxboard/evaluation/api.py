"""API of the evaluation engine: a programme's standing for a unit and a period."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from ninja import Field, Query, Router, Schema

from dxboard.api_auth import public_auth
from dxboard.api_input import PERIOD_HELP, UNIT_HELP
from dxboard.evaluation import services

router = Router(tags=["evaluation"])


class CodeName(Schema):
    code: str
    name: str


class PeriodOut(Schema):
    code: str
    label: str


class EvaluationRowOut(Schema):
    code: str
    name: str
    pillar: str
    unitOfMeasure: str
    direction: str
    actual: float | None
    target: float | None
    achievement: float | None
    status: str
    numerator: float | None
    denominator: float | None
    estimated: bool = Field(
        ...,
        description=(
            "Ước tính: số liệu hoặc chỉ tiêu lấy một phần của đơn vị cũ bị chia tách theo tỷ "
            "lệ đã lưu (sắp xếp đơn vị hành chính 01/7/2025)."
        ),
    )


class EvaluationOut(Schema):
    programme: CodeName
    unit: CodeName
    period: PeriodOut
    thresholds: list[float]
    summary: dict[str, int | float | None]
    estimated: bool = Field(..., description="Có chỉ tiêu nào là ước tính.")
    indicators: list[EvaluationRowOut]


class RankedUnitOut(Schema):
    rank: int | None
    code: str
    name: str
    validFrom: dt.date | None
    validTo: dt.date | None
    actual: float | None
    target: float | None
    achievement: float | None
    status: str
    estimated: bool


class RankingOut(Schema):
    programme: CodeName
    unit: CodeName
    period: PeriodOut
    indicator: CodeName
    basis: str
    bases: list[str] = Field(
        ..., description="Các cơ sở xếp hạng có được cho kỳ này: current, và former nếu khác."
    )
    kind: str | None
    units: list[RankedUnitOut]


AS_OF = Query(
    None,
    description=(
        "Đơn vị mang mã `unit` vào ngày đó (YYYY-MM-DD): unit=80&asOf=2024-12-31 là tỉnh "
        "Long An cũ; không có asOf là đơn vị hiện nay (tỉnh Tây Ninh), với số liệu trước "
        "01/7/2025 đọc từ các đơn vị cũ của nó."
    ),
)


@router.get(
    "/programmes/{code}/evaluation",
    response=EvaluationOut,
    auth=public_auth,
    summary="Kết quả thực hiện chương trình của một đơn vị trong một kỳ",
)
def programme_evaluation(
    request,
    code: str,
    period: str | None = Query(
        None, max_length=10, description=f"{PERIOD_HELP} Mặc định: năm nay."
    ),
    unit: str | None = Query(
        None, max_length=50, description=f"{UNIT_HELP} Mặc định: đơn vị của chương trình."
    ),
    asOf: dt.date | None = AS_OF,
):
    """Each indicator's actual, target, achievement (%) and status, and the summary
    (`total`, `withTarget`: the indicators with a target for the period, `met`, `ge70`,
    `ge50`, `lt50` with the default thresholds, `noData`, `noTarget`, and `metRate` in %:
    met / withTarget). `unit` defaults to the programme's unit, `period` to the current
    year so far. A unit created on 1 July 2025 is read from its former units for the
    periods before (merged units summed, a split one by its stored share: `estimated`
    true). Public programmes are readable without login. The answer carries an
    ETag: send it back in `If-None-Match` to get 304 while nothing has changed."""
    period = period or str(timezone.localdate().year)
    # The cached JSON is what EvaluationOut would produce (test_api checks it against the
    # schema), sent as it is: validating 40 rows again costs more than the cached read.
    body = services.evaluation_json_by_codes(request.user, code, unit, period, asOf)
    response = HttpResponse(body, content_type="application/json")
    # A dashboard that polls sends If-None-Match and gets 304 without a body while the
    # figures are unchanged; the access check above has run either way. "private": the
    # answer depends on who asks, so no shared cache may keep it.
    set_response_etag(response)
    patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(request, etag=response["ETag"], response=response)


@router.get(
    "/programmes/{code}/ranking",
    response=RankingOut,
    auth=public_auth,
    summary="Xếp hạng các đơn vị trực thuộc theo một chỉ tiêu",
)
def programme_ranking(
    request,
    code: str,
    indicator: str | None = Query(
        None,
        max_length=50,
        description="Mã chỉ tiêu của chương trình. Mặc định: chỉ tiêu đầu tiên của chương trình.",
    ),
    period: str | None = Query(
        None, max_length=10, description=f"{PERIOD_HELP} Mặc định: năm nay."
    ),
    unit: str | None = Query(
        None, max_length=50, description=f"{UNIT_HELP} Mặc định: đơn vị của chương trình."
    ),
    basis: Literal["current", "former"] = Query(
        "current",
        description=(
            "current: các đơn vị hiện nay (34 tỉnh, các xã từ 01/7/2025), số liệu trước "
            "01/7/2025 đọc từ các đơn vị cũ; former: các đơn vị có hiệu lực vào ngày cuối "
            "của kỳ (63 tỉnh, các huyện năm 2024). Như chỉ số DTI 2024 tính trên cả hai cơ sở."
        ),
    ),
    kind: str | None = Query(
        None, max_length=20, description="Loại đơn vị được xếp hạng (mặc định: loại nhiều nhất)."
    ),
    asOf: dt.date | None = AS_OF,
):
    """The units under `unit` of one kind ranked on one indicator, best first (ties share
    a rank: 1, 2, 2, 4; units without a figure last, without rank), on the basis asked.
    `bases` lists the bases that differ for the period (both for a year before the
    reform)."""
    period = period or str(timezone.localdate().year)
    return services.ranking_by_codes(
        request.user, code, unit, period, indicator, basis=basis, kind=kind, as_of=asOf
    )
