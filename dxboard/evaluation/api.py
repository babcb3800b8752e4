"""API of the evaluation engine: a programme's standing for a unit and a period."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from ninja import Query, Router, Schema

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


class EvaluationOut(Schema):
    programme: CodeName
    unit: CodeName
    period: PeriodOut
    thresholds: list[float]
    summary: dict[str, int | float | None]
    indicators: list[EvaluationRowOut]


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
):
    """Each indicator's actual, target, achievement (%) and status, and the summary
    (`total`, `withTarget`: the indicators with a target for the period, `met`, `ge70`,
    `ge50`, `lt50` with the default thresholds, `noData`, `noTarget`, and `metRate` in %:
    met / withTarget). `unit` defaults to the programme's unit, `period` to the current
    year so far. Public programmes are readable without login. The answer carries an
    ETag: send it back in `If-None-Match` to get 304 while nothing has changed."""
    period = period or str(timezone.localdate().year)
    # The cached JSON is what EvaluationOut would produce (test_api checks it against the
    # schema), sent as it is: validating 40 rows again costs more than the cached read.
    body = services.evaluation_json_by_codes(request.user, code, unit, period)
    response = HttpResponse(body, content_type="application/json")
    # A dashboard that polls sends If-None-Match and gets 304 without a body while the
    # figures are unchanged; the access check above has run either way. "private": the
    # answer depends on who asks, so no shared cache may keep it.
    set_response_etag(response)
    patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(request, etag=response["ETag"], response=response)
