from __future__ import annotations

from typing import Any

from dxboard.testing import UrlCase, World


def _set(w: World) -> dict[str, Any]:
    if "scorecard" not in w.extra:
        from dxboard.scorecards.tests.factories import make_scorecard

        w.extra["scorecard"] = make_scorecard(w)
    return {"code": w.extra["scorecard"].code}


def _unit_a(w: World) -> dict[str, Any]:
    return {**_set(w), "unit": w.commune_a.code}


def _evidence_a(w: World) -> dict[str, Any]:
    if "evidence" not in w.extra:
        from dxboard.scorecards import services
        from dxboard.scorecards.tests.test_evidence import PDF

        _set(w)
        w.extra["evidence"] = services.add_evidence(
            w.officer_a, w.extra["scorecard"], w.commune_a.code, "NT-1", "bien-ban.pdf", PDF
        )
    return {"evidence_id": w.extra["evidence"].pk}


CASES = [
    UrlCase(
        "scorecards:list", no_outsider="the province's scorecard sets, the same for every unit"
    ),
    UrlCase("scorecards:import", outsider="officer_b", outsider_expects="403"),
    UrlCase(
        "scorecards:detail",
        kwargs=_set,
        no_outsider="the province's scorecard sets, the same for every unit",
    ),
    UrlCase(
        "scorecards:export",
        kwargs=_set,
        no_outsider="the province's scorecard sets, the same for every unit",
    ),
    # Until published, a unit sees only its own scores.
    UrlCase(
        "scorecards:ranking",
        kwargs=_set,
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    # The results workbook: before publication, a unit's own row only.
    UrlCase(
        "scorecards:results_export",
        kwargs=_set,
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    # The review is the province officers' (on the province, which a commune officer does
    # not see: 404, as permissions.require answers).
    UrlCase("scorecards:review", kwargs=_set, outsider="officer_b"),
    UrlCase(
        "scorecards:transition",
        method="post",
        kwargs=_set,
        outsider="officer_b",
        body=lambda w: {"action": "review"},
    ),
    # Until published, commune B's officer may not see commune A's scores: 404.
    UrlCase("scorecards:assessment", kwargs=_unit_a, outsider="officer_b"),
    UrlCase(
        "scorecards:assessment",
        method="post",
        kwargs=_unit_a,
        outsider="officer_b",
        body=lambda w: {"c-NT-1-value": "4"},
    ),
    UrlCase("scorecards:unit_card", kwargs=_unit_a, outsider="officer_b"),
    UrlCase("scorecards:submit", method="post", kwargs=_unit_a, outsider="officer_b"),
    UrlCase("scorecards:evidence_upload", method="post", kwargs=_unit_a, outsider="officer_b"),
    UrlCase("scorecards:evidence", kwargs=_evidence_a, outsider="officer_b"),
    UrlCase(
        "api:scorecards_list",
        anonymous="401",
        no_outsider="the province's scorecard sets, the same for every unit",
    ),
    UrlCase(
        "api:scorecards_create",
        method="post",
        anonymous="401",
        no_outsider="a new set; who may create one: scorecards/tests/test_api.py",
    ),
    UrlCase(
        "api:scorecards_detail",
        kwargs=_set,
        anonymous="401",
        no_outsider="the province's scorecard sets, the same for every unit",
    ),
    UrlCase(
        "api:scorecards_scores",
        method="post",
        kwargs=_set,
        anonymous="401",
        outsider="officer_b",
        body=lambda w: {"scores": [{"unit": w.commune_a.code, "criterion": "NT-1", "value": 4}]},
    ),
    UrlCase(
        "api:scorecards_transition",
        method="post",
        kwargs=_set,
        anonymous="401",
        outsider="officer_b",
        body=lambda w: {"action": "review"},
    ),
    UrlCase(
        "api:scorecards_results",
        kwargs=_set,
        anonymous="401",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: '"99001"',
    ),
]
