"""Automatic criteria: scored from the figures DXBoard holds, through the evaluation
engine (an indicator) or its roll-up (data elements), over the unit's subtree and year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dxboard.errors import InvalidInput
from dxboard.evaluation.tests.factories import make_programme, put, ratio, single
from dxboard.scorecards import services
from dxboard.scorecards.models import Score, Scorecard
from dxboard.scorecards.tests.factories import ENTRIES_A, set_document
from dxboard.testing import World


def _automatic_set(world: World) -> Scorecard:
    make_programme("99", [ratio("HS"), single("TV")], code="CT-THU", start=2021, end=2026)
    document = set_document(programme="CT-THU")
    criteria = document["groups"][1]["criteria"]
    # 2.1 counts community-team members from a data element; 2.2 the online share of
    # dossiers (the indicator HS, a ratio) — both automatic.
    criteria[0].update({"numerator": "TV"})
    criteria[1].update({"indicator": "HS", "rule": {"type": "ratio"}})
    return services.import_scorecard(world.province_officer, document)


@pytest.mark.django_db
def test_bound_criteria_are_scored_from_the_units_figures_for_the_year(world: World) -> None:
    scorecard = _automatic_set(world)
    put(
        # Commune A: hamlet and commune figures roll up; quarters sum to the year.
        ("HS-TU", "99001-AP1", "2025Q1", 30),
        ("HS-TU", "99001", "2025Q2", 45),
        ("HS-MAU", "99001", "2025", 100),
        ("TV", "99001-AP1", "2025Q3", 12),
        ("TV", "99001", "2025Q4", 8),
        ("HS-TU", "99002", "2025", 10),
        ("HS-MAU", "99002", "2025", 40),
        ("TV", "99002", "2025", 40),
        # Another year does not count.
        ("TV", "99001", "2024", 500),
    )
    entries = [e for e in ENTRIES_A if e["criterion"] not in ("CQ-1", "CQ-2")]
    services.save_scores(world.officer_a, scorecard, [{"unit": "99001", **e} for e in entries])
    services.submit(world.approver_a, scorecard, "99001")
    score = Score.objects.get(participant__unit__code="99001", criterion__code="CQ-2")
    assert score.automatic
    assert (score.numerator, score.denominator) == (Decimal(75), Decimal(100))
    assert score.self_points == Decimal(30)  # 75 % of 40
    assert score.explanation == "Chỉ tiêu HS năm 2025: 75 % (75/100)"
    members = Score.objects.get(participant__unit__code="99001", criterion__code="CQ-1")
    assert members.value == Decimal(20) and members.automatic
    assert members.explanation == "TV năm 2025: 20"
    results = {r.unit.code: r for r in services.compute(scorecard)}
    # Commune B did not submit yet and the campaign is open: scored from what it holds.
    assert results["99001"].criteria["CQ-2"] == Decimal(30)


@pytest.mark.django_db
def test_a_unit_cannot_overwrite_an_automatic_criterion(world: World) -> None:
    scorecard = _automatic_set(world)
    with pytest.raises(InvalidInput) as error:
        services.save_scores(
            world.officer_a, scorecard, [{"unit": "99001", "criterion": "CQ-2", "value": 100}]
        )
    assert "tự động" in error.value.details[0].message


@pytest.mark.django_db
def test_a_criterion_bound_to_an_indicator_outside_the_programme_is_refused(world: World) -> None:
    make_programme("99", [ratio("HS")], code="CT-THU")
    document = set_document(programme="CT-THU")
    document["groups"][1]["criteria"][1].update(
        {"indicator": "KHONG-CO", "rule": {"type": "ratio"}}
    )
    with pytest.raises(InvalidInput) as error:
        services.import_scorecard(world.province_officer, document)
    paths = [d.path for d in error.value.details]
    assert "groups[1].criteria[1].indicator" in paths


@pytest.mark.django_db
def test_closing_submissions_stores_the_figures_of_every_submitted_unit(world: World) -> None:
    scorecard = _automatic_set(world)
    put(
        ("HS-TU", "99001", "2025", 50), ("HS-MAU", "99001", "2025", 100), ("TV", "99001", "2025", 9)
    )
    entries = [e for e in ENTRIES_A if e["criterion"] not in ("CQ-1", "CQ-2")]
    services.save_scores(world.officer_a, scorecard, [{"unit": "99001", **e} for e in entries])
    services.submit(world.approver_a, scorecard, "99001", store_figures=False)
    assert not Score.objects.filter(automatic=True).exists()
    services.start_review(world.province_officer, scorecard)
    stored = Score.objects.get(participant__unit__code="99001", criterion__code="CQ-2")
    assert stored.automatic and stored.self_points == Decimal(20)
    # Commune B never submitted: nothing stored for it, and it scores 0.
    assert not Score.objects.filter(participant__unit__code="99002").exists()
