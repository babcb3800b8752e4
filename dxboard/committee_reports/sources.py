"""Where the report reads the other apps' figures: the one module to fix on a move.

- Report-form completeness lives in `dxboard.reporting.services.completeness`
  and is being moved to `dxboard.reporting`; only this module imports it.
- Scorecard results come from `dxboard.scorecards.services.published_results(unit, year)`,
  which another engineer is building; until it exists the ranking section is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from dxboard.reporting.models import ReportForm
from dxboard.reporting.services import completeness as _completeness
from dxboard.reporting.services.calendar import parse_form_period, reporting_period
from dxboard.reporting.services.forms import get_visible_form, visible_forms

completeness = _completeness.completeness
Completeness = _completeness.Completeness

__all__ = [
    "Completeness",
    "ReportForm",
    "completeness",
    "get_visible_form",
    "parse_form_period",
    "reporting_period",
    "scorecard_results",
    "visible_forms",
]


def _published_results() -> Callable[..., list[Any]] | None:
    try:
        module = import_module("dxboard.scorecards.services")
    except ImportError:
        return None
    return getattr(module, "published_results", None)


def scorecard_results(unit: Any, year: int) -> list[Any]:
    """The published scorecard rows of the unit's children for the year ([] without
    scorecards); each row has unit_code, unit_name, unit_kind, set_code, points,
    max_points, index, rank, ranked."""
    function = _published_results()
    if function is None:
        return []
    return list(function(unit, year))
