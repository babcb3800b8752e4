"""Numbers as Vietnamese people write and read them: one module for parsing and formatting.

- `parse_number("1.234,5")` reads a figure typed the Vietnamese or the English way (forms,
  Excel cells, dataValueSets, metadata files);
- `vn_number(value, places)` writes one in the language of the page (1.234,5 in
  Vietnamese, 1,234.5 in English): the pages and the dashboard;
- `vi_number(value, places)` always writes Vietnamese: the `evaluate` command's report;
- `format_vn(value)` always writes Vietnamese with no trailing zeros: validation messages.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import formats, translation

_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3}){2,}$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
# JSON's and DHIS2's number syntax (a leading "+" and ".5" tolerated): no grouping, a dot
# as the decimal mark, an exponent allowed; ASCII digits only (\d alone would take "١٢").
_MACHINE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)


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


def parse_machine_number(raw: Any) -> Decimal:
    """Read a number in the machine format only: "0.125", "-3", "1e3", a JSON number.

    Programs (the API, dataValueSets files, the CLI) write numbers this way; reading them
    with the Vietnamese thousands rule would store 0.125 as 125. "1.234,5", "96,4" and
    "12 316" raise ValueError.
    """
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = str(raw).strip()
    if not _MACHINE.match(text):
        raise ValueError(raw)
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(raw) from error
    if not number.is_finite():
        raise ValueError(raw)
    return number


def vn_number(value: Decimal | None, places: int | None = None, *, grouping: bool = True) -> str:
    """A number written the Vietnamese way: 1.234,5. `places=None` keeps the significant
    decimals (97,5; 100); None shows as an em dash."""
    if value is None:
        return "—"
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    else:
        value = Decimal(f"{value.normalize():f}")
    return formats.number_format(value, places, use_l10n=True, force_grouping=grouping)


def vi_number(value: Decimal | None, places: int) -> str:
    """1234.5 -> "1.234,5" (Vietnamese grouping and decimal comma)."""
    if value is None:
        return "–"
    with translation.override("vi"):
        return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def format_vn(value: Decimal | None) -> str:
    """A number the Vietnamese way: 1.234,5 (no trailing zeros)."""
    if value is None:
        return ""
    value = Decimal(value)
    text = f"{value.normalize():f}"
    negative = text.startswith("-")
    text = text.lstrip("-")
    whole, _dot, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups) + ("," + fraction if fraction else "")
    return ("-" if negative else "") + result
