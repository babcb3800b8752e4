"""Reading figures as people write them: Vietnamese or English numbers, yes/no words.

`clean_value` turns a raw cell into what a data element of a given value type stores,
with a Vietnamese message when it cannot; `display` writes a stored figure back as text
(the form used in audit rows).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from dxboard.indicators.models import DataElement, ValueType

MAX_ABS = Decimal("1e14")  # DecimalField(20, 6) holds 14 digits before the point
SIX_PLACES = Decimal("0.000001")
TRUE_WORDS = {"true", "1", "yes", "y", "có", "co", "x", "đúng", "dung"}
FALSE_WORDS = {"false", "0", "no", "n", "không", "khong", "sai"}
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3}){2,}$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(raw: Any, *, integer_hint: bool = False) -> Decimal:
    """Read a number written the Vietnamese way ("1.234,5") or the English way ("1234.5").

    With both separators the last one is the decimal mark. A lone comma is a decimal mark
    ("97,5"). Dots in groups of three ("1.234.567") are thousands separators; a single
    dot followed by three digits ("12.316") is a thousands separator only for integer data
    elements (`integer_hint`), a decimal mark otherwise. Raises ValueError.
    """
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | Decimal | float):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        # NaN and infinities compare by raising, deep in the checks: refuse them here.
        if not number.is_finite():
            raise ValueError(raw)
        return number
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if _THOUSANDS_COMMA.match(text) else text.replace(",", ".")
    elif _THOUSANDS_DOT.match(text) and (integer_hint or text.count(".") > 1):
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        raise ValueError(raw)
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(raw) from error


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


def clean_value(element: DataElement, raw: Any) -> tuple[Decimal | None, str]:
    """(number, text) for a raw value; raises ValueError with a Vietnamese message."""
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
        number = parse_number(raw, integer_hint=value_type == ValueType.INTEGER)
    except ValueError:
        raise ValueError(_("Giá trị “%(value)s” không phải là số.") % {"value": raw}) from None
    if abs(number) >= MAX_ABS:
        raise ValueError(_("Giá trị “%(value)s” quá lớn.") % {"value": raw})
    if value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValueError(_("Giá trị “%(value)s” phải là số nguyên.") % {"value": raw})
    if value_type == ValueType.PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
        raise ValueError(_("Tỷ lệ “%(value)s” phải nằm trong khoảng 0–100 %%.") % {"value": raw})
    return number.quantize(SIX_PLACES), ""


def display(number: Decimal | None, text: str) -> str:
    """A figure as audit rows and messages show it: "12316", "97.5", or the text itself."""
    if number is None:
        return text
    return f"{number.normalize():f}"
