"""Automatic criteria: their figure for the year comes from the data DXBoard holds.

A criterion bound to an indicator reads it through the evaluation engine
(`evaluation.services.evaluate_many` for the set's programme, the units and the year):
the unit's subtree and the year's periods, by the indicator's own rules. A criterion
bound to data elements reads them through the engine's roll-up (`evaluation.vectorized.rollup`),
numerator and, for a ratio, denominator. Nothing here re-implements an aggregation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from dxboard.evaluation.services import evaluate_many
from dxboard.evaluation.vectorized import rollup
from dxboard.indicators.models import DataElement
from dxboard.periods import parse_period
from dxboard.units.models import Unit

from .models import Criterion, RuleType, Scorecard


@dataclass(frozen=True)
class Figure:
    """The figure an automatic criterion is scored from, and where it came from."""

    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    label: str


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01')).normalize():f}"
    whole, _dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def automatic_figures(
    scorecard: Scorecard, criteria: Sequence[Criterion], units: Sequence[Unit]
) -> dict[tuple[int, int], Figure]:
    """{(unit pk, criterion pk): Figure} for the set's automatic criteria and the units.

    One evaluation of the programme for all units, one roll-up for the bound elements.
    """
    result: dict[tuple[int, int], Figure] = {}
    automatic = [c for c in criteria if c.is_automatic]
    if not automatic or not units:
        return result
    period = parse_period(str(scorecard.year))
    by_indicator = [c for c in automatic if c.indicator_id is not None]
    if by_indicator and scorecard.programme is not None:
        evaluations = evaluate_many(scorecard.programme, units, [period], user=None)
        for unit in units:
            rows = {row.code: row for row in evaluations[(unit.code, period.code)].indicators}
            for criterion in by_indicator:
                assert criterion.indicator is not None
                row = rows.get(criterion.indicator.code)
                actual = row.actual if row else None
                label = _("Chỉ tiêu %(code)s năm %(year)s: %(value)s%(uom)s") % {
                    "code": criterion.indicator.code,
                    "year": scorecard.year,
                    "value": _fmt(actual),
                    "uom": f" {row.unit_of_measure}" if row and row.unit_of_measure else "",
                }
                if row and row.denominator is not None:
                    label += f" ({_fmt(row.numerator)}/{_fmt(row.denominator)})"
                result[(unit.pk, criterion.pk)] = Figure(
                    actual, row.numerator if row else None, row.denominator if row else None, label
                )
    by_elements = [c for c in automatic if c.numerator_id is not None]
    if by_elements:
        elements: dict[int, DataElement] = {}
        for criterion in by_elements:
            for element in (criterion.numerator, criterion.denominator):
                if element is not None:
                    elements[element.pk] = element
        # Units of one kind (communes, departments) never contain one another.
        rolled = rollup(elements.values(), {u.pk: u for u in units}, [period])
        for unit in units:
            values = rolled[unit.pk][period.code]
            for criterion in by_elements:
                result[(unit.pk, criterion.pk)] = _element_figure(criterion, values, scorecard.year)
    return result


def _element_figure(criterion: Criterion, values: dict[int, Decimal], year: int) -> Figure:
    assert criterion.numerator is not None
    a = values.get(criterion.numerator.pk)
    if criterion.denominator is None:
        label = _("%(code)s năm %(year)s: %(value)s") % {
            "code": criterion.numerator.code,
            "year": year,
            "value": _fmt(a),
        }
        return Figure(a, None, None, label)
    b = values.get(criterion.denominator.pk)
    share = a * 100 / b if a is not None and b else None
    label = _("%(a)s/%(b)s năm %(year)s: %(na)s/%(nb)s") % {
        "a": criterion.numerator.code,
        "b": criterion.denominator.code,
        "year": year,
        "na": _fmt(a),
        "nb": _fmt(b),
    }
    if criterion.rule_type == RuleType.RATIO:
        return Figure(None, a, b, label)
    return Figure(share, a, b, label)
