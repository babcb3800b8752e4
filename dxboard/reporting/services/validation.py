"""Checking a unit's figures for one form and period: built-in rules and the form's own.

Built in: required fields, no negative numbers, a percentage within 0–100, a share's
numerator not above its denominator, and a jump against the last period (more than 3×
or less than a third) as a warning that needs a comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue
from dxboard.collection.values import parse_boolean, ratio_pairs
from dxboard.indicators.models import ValueType
from dxboard.numbers import format_vn, parse_number
from dxboard.periods import Period
from dxboard.units.models import Unit

from ..models import Importance, ReportForm, ValidationRule
from ..rules import ExpressionError, compare, parse_expression
from .forms import FieldInfo

JUMP_FACTOR = Decimal(3)


@dataclass(frozen=True)
class Finding:
    code: str  # the field the message is shown on ("" for the whole form)
    importance: str
    message: str
    codes: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.importance == Importance.ERROR


@dataclass
class CheckResult:
    numbers: dict[str, Decimal | None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    def for_field(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code]

    def unexplained_warnings(self, comments: Mapping[str, str]) -> list[Finding]:
        return [
            w
            for w in self.warnings
            if not any((comments.get(code) or "").strip() for code in (w.codes or (w.code,)))
        ]


def parse_field(info: FieldInfo, raw: str | None) -> Decimal | None:
    """The number typed in a field (None when empty); ValueError with a message if bad."""
    text = (raw or "").strip() if not isinstance(raw, int | float | Decimal) else raw
    if text == "" or text is None:
        return None
    if info.value_type == ValueType.TEXT:
        return None
    if info.value_type == ValueType.BOOLEAN:
        try:
            return parse_boolean(text)
        except ValueError:
            raise ValueError(_("“%(value)s” không phải Có/Không.") % {"value": text}) from None
    try:
        number = parse_number(text, integer_hint=info.value_type == ValueType.INTEGER)
    except ValueError:
        raise ValueError(
            _("“%(value)s” không phải là số (viết kiểu 1.234,5).") % {"value": text}
        ) from None
    if info.value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValueError(_("“%(value)s” phải là số nguyên.") % {"value": text})
    return number


def previous_values(
    fields: list[FieldInfo], unit: Unit, period: Period
) -> dict[str, Decimal | None]:
    previous = period.previous().code
    return dict(
        DataValue.objects.filter(
            unit=unit, period=previous, data_element__code__in=[f.code for f in fields]
        ).values_list("data_element__code", "value")
    )


def check_values(
    form: ReportForm,
    fields: list[FieldInfo],
    raw: Mapping[str, str | None],
    *,
    previous: Mapping[str, Decimal | None] | None = None,
    require: bool = True,
    rules: list[ValidationRule] | None = None,
) -> CheckResult:
    """Check typed values (field code -> text) and return numbers and findings.

    `require=False` skips "required" errors (a draft may be incomplete). Never writes.
    """
    result = CheckResult()
    by_code = {f.code: f for f in fields}
    previous = previous or {}
    for info in fields:
        value = raw.get(info.code)
        try:
            number = parse_field(info, value)
        except ValueError as error:
            result.findings.append(Finding(info.code, Importance.ERROR, str(error), (info.code,)))
            result.numbers[info.code] = None
            continue
        result.numbers[info.code] = number
        empty = value is None or str(value).strip() == ""
        if empty:
            if require and info.required:
                result.findings.append(
                    Finding(info.code, Importance.ERROR, _("Chưa nhập số liệu (bắt buộc)."))
                )
            continue
        if number is None:
            continue
        if number < 0:
            result.findings.append(
                Finding(info.code, Importance.ERROR, _("Số liệu không được âm."), (info.code,))
            )
        if info.value_type == ValueType.PERCENTAGE and not 0 <= number <= 100:
            result.findings.append(
                Finding(info.code, Importance.ERROR, _("Tỷ lệ phải từ 0 đến 100 %."), (info.code,))
            )
        before = previous.get(info.code)
        if (
            before is not None
            and before > 0
            and info.value_type != ValueType.BOOLEAN
            and (number > before * JUMP_FACTOR or number * JUMP_FACTOR < before)
        ):
            result.findings.append(
                Finding(
                    info.code,
                    Importance.WARNING,
                    _(
                        "Chênh lệch lớn so với kỳ trước (%(before)s → %(now)s); "
                        "hãy ghi chú giải trình."
                    )
                    % {"before": format_vn(before), "now": format_vn(number)},
                    (info.code,),
                )
            )
    _check_ratios(fields, by_code, result)
    _check_rules(form, result, rules)
    return result


def _check_ratios(fields: list[FieldInfo], by_code: dict[str, FieldInfo], result: CheckResult):
    ids = {f.field.data_element_id: f.code for f in fields}
    seen: set[tuple[str, str]] = set()
    for num_id, den_id, indicator in ratio_pairs(ids):
        if num_id not in ids or den_id not in ids:
            continue
        num_code, den_code = ids[num_id], ids[den_id]
        if (num_code, den_code) in seen:
            continue
        seen.add((num_code, den_code))
        numerator, denominator = result.numbers.get(num_code), result.numbers.get(den_code)
        if numerator is None or denominator is None or numerator <= denominator:
            continue
        result.findings.append(
            Finding(
                num_code,
                Importance.ERROR,
                _("“%(num)s” (%(a)s) lớn hơn “%(den)s” (%(b)s) – chỉ tiêu %(indicator)s.")
                % {
                    "num": by_code[num_code].label,
                    "a": format_vn(numerator),
                    "den": by_code[den_code].label,
                    "b": format_vn(denominator),
                    "indicator": indicator,
                },
                (num_code, den_code),
            )
        )


def _check_rules(form: ReportForm, result: CheckResult, rules: list[ValidationRule] | None):
    if rules is None:
        rules = list(form.rules.filter(active=True))
    for rule in rules:
        if not rule.active:
            continue
        try:
            left, right = parse_expression(rule.left), parse_expression(rule.right)
        except ExpressionError:
            continue  # rules are checked when saved; an old bad rule is ignored
        a, b = left.evaluate(result.numbers), right.evaluate(result.numbers)
        if a is None or b is None or compare(a, rule.operator, b):
            continue
        codes = tuple(left.codes + [c for c in right.codes if c not in left.codes])
        code = next((c for c in codes if c in result.numbers), "")
        message = _("%(message)s (%(left)s = %(a)s, %(right)s = %(b)s)") % {
            "message": rule.message,
            "left": rule.left,
            "a": format_vn(a.quantize(Decimal("0.01")).normalize()),
            "right": rule.right,
            "b": format_vn(b.quantize(Decimal("0.01")).normalize()),
        }
        result.findings.append(Finding(code, rule.importance, message, codes))
