"""Forms of the indicator pages: catalogue filters and one row of the targets grid."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxboard.indicators.models import Direction, Indicator, IndicatorKind, Pillar
from dxboard.indicators.target_services import TargetInput
from dxboard.numbers import parse_number


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm"), required=False, max_length=100)
    pillar = forms.ChoiceField(
        label=gettext_lazy("Trụ cột"),
        required=False,
        choices=[("", gettext_lazy("Tất cả trụ cột")), *Pillar.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Chiều"),
        required=False,
        choices=[("", gettext_lazy("Mọi chiều")), *Direction.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        required=False,
        choices=[("", gettext_lazy("Mọi loại")), *IndicatorKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def value_field(year: int) -> str:
    return f"value-{year}"


class TargetRow:
    """One indicator's yearly targets for one unit, as posted by the targets grid.

    Fields: `value-<year>` for each year (Vietnamese "1.234,5" or "1234.5"; empty removes
    the target) and `source` (the document that sets the targets). Number errors are
    collected per year in `errors`.
    """

    def __init__(self, indicator: Indicator, years: list[int], data) -> None:
        self.indicator = indicator
        self.years = years
        self.raw = {year: (data.get(value_field(year)) or "").strip() for year in years}
        self.source = (data.get("source") or "").strip()
        self.errors: dict[int | str, str] = {}
        self.values: dict[int, Decimal | None] = {}
        for year, text in self.raw.items():
            if not text:
                self.values[year] = None
                continue
            try:
                self.values[year] = parse_number(text, integer_hint=not indicator.is_ratio)
            except ValueError:
                self.errors[year] = _("“%(text)s” không phải là số.") % {"text": text[:20]}

    def is_valid(self) -> bool:
        return not self.errors

    def inputs(self) -> list[TargetInput]:
        return [
            TargetInput(
                self.indicator.code,
                year,
                value,
                self.source,
                path=str(year),
            )
            for year, value in self.values.items()
        ]
