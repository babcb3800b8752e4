"""Where the report reads the other apps' figures: the one module to fix on a move.

- Report-form completeness: `dxboard.reporting.services.completeness`.
- Scorecard results: `dxboard.scorecards.services.published_results(unit, year)`, the
  scorecards app's service for other apps (published results are public: no user).
"""

from __future__ import annotations

from dxboard.reporting.models import ReportForm
from dxboard.reporting.services import completeness as _completeness
from dxboard.reporting.services.calendar import parse_form_period, reporting_period
from dxboard.reporting.services.forms import get_visible_form, visible_forms
from dxboard.scorecards.services import ResultRow, published_results
from dxboard.units.models import Unit

completeness = _completeness.completeness
overview = _completeness.overview
Completeness = _completeness.Completeness

__all__ = [
    "Completeness",
    "ReportForm",
    "ResultRow",
    "completeness",
    "get_visible_form",
    "overview",
    "parse_form_period",
    "reporting_period",
    "scorecard_results",
    "visible_forms",
]


def scorecard_results(unit: Unit, year: int) -> list[ResultRow]:
    """The published scorecard rows of the year for the units at or under `unit`, by set
    then rank ([] when nothing is published)."""
    return published_results(unit, year)
