"""Factories for periodic reporting tests: elements, a form assigned to communes, periods."""

from __future__ import annotations

from typing import Any

from dxboard.indicators.models import DataElement, Indicator, IndicatorKind
from dxboard.indicators.services import import_metadata
from dxboard.reporting.models import (
    FormAssignment,
    FormField,
    FormPeriod,
    FormSection,
    PeriodState,
    ReportForm,
    ValidationRule,
)
from dxboard.units.models import Unit, UnitKind

OPEN_PERIOD = "2024Q1"  # forced open in tests, so that dates do not depend on today


def _element(code: str, name: str, value_type: str = "integer") -> dict[str, Any]:
    return {"code": code, "name": name, "valueType": value_type, "aggregationType": "sum"}


def make_elements() -> None:
    """HS-TU / HS-MAU (a share indicator HS, in %), TYLE (percentage), CUOC (integer),
    KP (number)."""
    if DataElement.objects.filter(code="HS-TU").exists():
        return
    import_metadata(
        None,
        {
            "dataElements": [
                _element("HS-TU", "Số hồ sơ tiếp nhận trực tuyến"),
                _element("HS-MAU", "Tổng số hồ sơ tiếp nhận"),
                _element("TYLE", "Tỷ lệ văn bản ký số", "percentage"),
                _element("CUOC", "Số cuộc họp BCĐ CĐS"),
                _element("KP", "Kinh phí chi cho chuyển đổi số", "number"),
            ],
            "indicators": [
                {
                    "code": "HS",
                    "name": "Tỷ lệ hồ sơ trực tuyến",
                    "numerator": "HS-TU",
                    "denominator": "HS-MAU",
                    "factor": 100,
                    "unit": "%",
                    "direction": "up",
                    "pillar": "chinh_quyen_so",
                }
            ],
        },
    )
    assert Indicator.objects.filter(code="HS", kind=IndicatorKind.RATIO).exists()
    DataElement.objects.filter(code__in=["HS-TU", "HS-MAU"]).update(unit_of_measure="hồ sơ")
    DataElement.objects.filter(code="TYLE").update(unit_of_measure="%")
    DataElement.objects.filter(code="KP").update(unit_of_measure="triệu đồng")


def make_form(
    owner: Unit,
    code: str = "BM-T",
    *,
    period_type: str = "quarter",
    kind: str = UnitKind.COMMUNE,
    open_periods: tuple[str, ...] = (OPEN_PERIOD,),
    required: bool = True,
) -> ReportForm:
    make_elements()
    form = ReportForm.objects.create(
        code=code, name=f"Biểu mẫu thử {code}", period_type=period_type, owner_unit=owner
    )
    first = FormSection.objects.create(form=form, order=1, title="I. Dịch vụ công trực tuyến")
    second = FormSection.objects.create(form=form, order=2, title="II. Điều hành")
    elements = {
        e.code: e
        for e in DataElement.objects.filter(code__in=["HS-TU", "HS-MAU", "TYLE", "CUOC", "KP"])
    }
    for order, (section, element) in enumerate(
        [(first, "HS-TU"), (first, "HS-MAU"), (second, "TYLE"), (second, "CUOC"), (second, "KP")]
    ):
        FormField.objects.create(
            section=section, data_element=elements[element], order=order, required=required
        )
    FormAssignment.objects.create(form=form, unit_kind=kind)
    for period in open_periods:
        FormPeriod.objects.create(form=form, period=period, state=PeriodState.OPEN)
    return form


def make_rule(
    form: ReportForm,
    left: str,
    operator: str,
    right: str,
    *,
    importance="error",
    message="Quy tắc thử",
) -> ValidationRule:
    rule = ValidationRule(
        form=form, left=left, operator=operator, right=right, importance=importance, message=message
    )
    rule.full_clean()
    rule.save()
    return rule


GOOD = {"HS-TU": "1.234", "HS-MAU": "2.000", "TYLE": "97,5", "CUOC": "3", "KP": "1.234,5"}
