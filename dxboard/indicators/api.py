"""API of the catalogue: data elements, indicators, programmes, and the metadata import."""

from __future__ import annotations

import json
from datetime import date

from django.utils.translation import gettext as _
from ninja import Router, Schema

from dxboard.api_auth import public_auth
from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.indicators import services
from dxboard.indicators.models import Pillar

router = Router(tags=["indicators"])


class DataElementOut(Schema):
    code: str
    name: str
    nameEn: str
    valueType: str
    aggregationType: str
    timeAggregationType: str
    unit: str


class IndicatorOut(Schema):
    code: str
    name: str
    nameEn: str
    pillar: str
    pillarName: str
    unit: str
    kind: str
    numerator: str
    denominator: str | None
    factor: float
    direction: str
    decimals: int
    source: str


class TargetOut(Schema):
    indicator: str
    year: int
    orgUnit: str
    value: float
    source: str


class ProgrammeOut(Schema):
    code: str
    name: str
    legalNumber: str
    legalDate: date | None
    legalIssuer: str
    startYear: int
    endYear: int
    thresholds: list[float]
    orgUnit: str
    orgUnitName: str
    isPublic: bool


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    indicators: list[IndicatorOut]
    targets: list[TargetOut]


class MetadataSummaryOut(Schema):
    status: str
    dryRun: bool
    stats: dict[str, int]
    typeReports: dict[str, dict[str, int]]


def _element(e) -> dict:
    return {
        "code": e.code,
        "name": e.name,
        "nameEn": e.name_en,
        "valueType": e.value_type,
        "aggregationType": e.aggregation_units,
        "timeAggregationType": e.aggregation_time,
        "unit": e.unit_of_measure,
    }


def _indicator(i) -> dict:
    return {
        "code": i.code,
        "name": i.name,
        "nameEn": i.name_en,
        "pillar": i.pillar,
        "pillarName": str(i.get_pillar_display()),
        "unit": i.unit_of_measure,
        "kind": i.kind,
        "numerator": i.numerator.code,
        "denominator": i.denominator.code if i.denominator_id else None,
        "factor": float(i.factor),
        "direction": i.direction,
        "decimals": i.decimals,
        "source": i.source,
    }


def _programme(p) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "legalNumber": p.legal_number,
        "legalDate": p.legal_date,
        "legalIssuer": p.legal_issuer,
        "startYear": p.start_year,
        "endYear": p.end_year,
        "thresholds": [float(t) for t in p.thresholds],
        "orgUnit": p.owner_unit.code,
        "orgUnitName": p.owner_unit.name,
        "isPublic": p.is_public,
    }


@router.get(
    "/dataElements", response=list[DataElementOut], auth=public_auth, summary="Phần tử số liệu"
)
def list_data_elements(request):
    """Every data element of the catalogue."""
    return [_element(e) for e in services.list_data_elements()]


@router.get("/indicators", response=list[IndicatorOut], auth=public_auth, summary="Chỉ tiêu")
def list_indicators(request, pillar: Pillar | None = None):
    """The indicator catalogue, optionally one pillar (nhan_thuc, chinh_quyen_so, ...)."""
    return [_indicator(i) for i in services.list_indicators(pillar=pillar)]


@router.get("/programmes", response=list[ProgrammeOut], auth=public_auth, summary="Chương trình")
def list_programmes(request):
    """Programmes the caller may read; anonymous callers see the public ones."""
    return [_programme(p) for p in services.list_programmes(request.user)]


@router.get(
    "/programmes/{code}",
    response=ProgrammeDetailOut,
    auth=public_auth,
    summary="Một chương trình, chỉ tiêu và kế hoạch",
)
def get_programme(request, code: str):
    """A programme with its indicators (in order) and its targets per year and unit."""
    programme = services.get_programme(request.user, code)
    targets = programme.targets.select_related("indicator", "unit").order_by(
        "indicator__code", "year", "unit__code"
    )
    return {
        **_programme(programme),
        "description": programme.description,
        "indicators": [_indicator(i) for i in services.programme_indicators(programme)],
        "targets": [
            {
                "indicator": t.indicator.code,
                "year": t.year,
                "orgUnit": t.unit.code,
                "value": float(t.value),
                "source": t.source_document,
            }
            for t in targets
        ],
    }


@router.post(
    "/metadata",
    response=MetadataSummaryOut,
    summary="Nhập danh mục (đơn vị, phần tử số liệu, chỉ tiêu, chương trình)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "organisationUnits": {"type": "array", "items": {"type": "object"}},
                            "dataElements": {"type": "array", "items": {"type": "object"}},
                            "indicators": {"type": "array", "items": {"type": "object"}},
                            "programmes": {"type": "array", "items": {"type": "object"}},
                        },
                    }
                }
            },
        }
    },
)
def import_metadata(request, dryRun: bool = False):
    """Upsert by code, all or nothing; errors name their JSON path. `?dryRun=true` checks only."""
    try:
        document = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        message = _("Nội dung không phải JSON hợp lệ.")
        raise InvalidInput(message, [ErrorDetail(".", message)]) from None
    return services.import_metadata(request.user, document, dry_run=dryRun).as_dict()
