"""Reading figures: as people write them (Vietnamese or English numbers, yes/no words)
or as programs write them (the machine format only).

`clean_value` turns a raw cell into what a data element of a given value type stores,
with a Vietnamese message when it cannot; `display` writes a stored figure back as text
(the form used in audit rows).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from dxboard.indicators.models import DataElement, ValueType
from dxboard.numbers import format_vn, parse_machine_number, parse_number

MAX_ABS = Decimal("1e14")  # DecimalField(20, 6) holds 14 digits before the point
SIX_PLACES = Decimal("0.000001")
TRUE_WORDS = {"true", "1", "yes", "y", "có", "co", "x", "đúng", "dung"}
FALSE_WORDS = {"false", "0", "no", "n", "không", "khong", "sai"}


def parse_boolean(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        return Decimal(int(raw))
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return Decimal(1)
    if text in FALSE_WORDS:
        return Decimal(0)
    raise ValueError(raw)


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def clean_value(
    element: DataElement, raw: Any, *, machine_format: bool = False
) -> tuple[Decimal | None, str]:
    """(number, text) for a raw value; raises ValueError with a Vietnamese message.

    With `machine_format` numbers are read by `parse_machine_number` (API, files, CLI);
    otherwise as people type them (`parse_number`: web forms, Excel).
    """
    value_type = element.value_type
    if value_type == ValueType.TEXT:
        return None, str(raw)
    if value_type == ValueType.BOOLEAN:
        try:
            return parse_boolean(raw), ""
        except ValueError:
            raise ValueError(
                _("Giá trị “%(value)s” không phải Có/Không (dùng true/false, 1/0).")
                % {"value": raw}
            ) from None
    try:
        if machine_format:
            number = parse_machine_number(raw)
        else:
            number = parse_number(raw, integer_hint=value_type == ValueType.INTEGER)
    except ValueError:
        if machine_format:
            raise ValueError(
                _(
                    "Giá trị “%(value)s” không đúng định dạng số của máy: không dùng dấu "
                    "phân cách hàng nghìn, dấu chấm là dấu thập phân (ví dụ 1234.5)."
                )
                % {"value": raw}
            ) from None
        raise ValueError(_("Giá trị “%(value)s” không phải là số.") % {"value": raw}) from None
    if abs(number) >= MAX_ABS:
        raise ValueError(_("Giá trị “%(value)s” quá lớn.") % {"value": raw})
    if value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValueError(_("Giá trị “%(value)s” phải là số nguyên.") % {"value": raw})
    if value_type == ValueType.PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
        raise ValueError(_("Tỷ lệ “%(value)s” phải nằm trong khoảng 0–100 %%.") % {"value": raw})
    check_bounds(element, number, raw)
    return number.quantize(SIX_PLACES), ""


def check_bounds(element: DataElement, number: Decimal, raw: Any) -> None:
    """The element's plausible range (issue 18): the one check for every channel.

    A count is never negative unless its element declares a negative minimum.
    """
    low, high = element.bounds
    if low is not None and number < low:
        raise ValueError(
            _("Giá trị “%(value)s” của “%(name)s” không được nhỏ hơn %(min)s.")
            % {"value": raw, "name": element.name, "min": format_vn(low)}
        )
    if high is not None and number > high:
        raise ValueError(
            _("Giá trị “%(value)s” của “%(name)s” không được lớn hơn %(max)s.")
            % {"value": raw, "name": element.name, "max": format_vn(high)}
        )


def display(number: Decimal | None, text: str) -> str:
    """A figure as audit rows and messages show it: "12316", "97.5", or the text itself."""
    if number is None:
        return text
    return f"{number.normalize():f}"
