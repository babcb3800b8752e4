"""The scorecards' service layer: what views, the API, the command and other apps call.

Sets (`sets`), the annual cycle (`cycle`), automatic figures (`automatic`) and results
(`results`) live in their own modules; this one gathers the public functions.

For other apps (committee report, open data):

    published_results(unit, year) -> list[ResultRow]

gives the published results of `year` for the units at or under `unit`, each row with
unit_code, unit_name, unit_kind, set_code, points, max_points, index (0–1), rank (None
when not ranked), ranked, and groups (code, stt, name, pillar, points, max_points, rank).
"""

from __future__ import annotations

from .cycle import (
    add_evidence,
    can_see_participant,
    confirm,
    get_evidence,
    get_participant,
    is_late,
    publish,
    refresh_automatic,
    save_scores,
    set_ranked,
    start_review,
    submit,
)
from .results import (
    GroupResult,
    ResultRow,
    UnitResult,
    competition_ranks,
    compute,
    peer_groups,
    peer_summary,
    published_results,
    results_for,
)
from .sets import (
    check_maxima,
    get_scorecard,
    import_scorecard,
    scorecard_document,
    scorecard_tree,
    visible_scorecards,
)

__all__ = [
    "GroupResult",
    "ResultRow",
    "UnitResult",
    "add_evidence",
    "can_see_participant",
    "check_maxima",
    "competition_ranks",
    "compute",
    "confirm",
    "get_evidence",
    "get_participant",
    "get_scorecard",
    "import_scorecard",
    "is_late",
    "peer_groups",
    "peer_summary",
    "publish",
    "published_results",
    "refresh_automatic",
    "results_for",
    "save_scores",
    "scorecard_document",
    "scorecard_tree",
    "set_ranked",
    "start_review",
    "submit",
    "visible_scorecards",
]
