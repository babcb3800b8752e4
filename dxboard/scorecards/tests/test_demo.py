"""The demo's scorecards (issue 14, point 8): a department set and a commune set modelled
on Hà Nội's 2025 decision, campaigns 2024 and 2025 through the real cycle, some criteria
automatic, one department excluded from the ranking, one tie; loading twice changes nothing."""

from __future__ import annotations

import io

import pytest

from dxboard.accounts import demo as accounts_demo
from dxboard.evaluation.tests.factories import make_programme, ratio
from dxboard.scorecards import demo, services
from dxboard.scorecards.models import Criterion, Scorecard, Status
from dxboard.testing import World, make_unit
from dxboard.units.models import UnitKind

pytestmark = pytest.mark.django_db

DEPARTMENTS = {
    "AG-CAT": "Công an tỉnh",
    "AG-STP": "Sở Tư pháp",
    "AG-SDTTG": "Sở Dân tộc và Tôn giáo",
    "AG-SNV": "Sở Nội vụ",
    "AG-STC": "Sở Tài chính",
}


def test_the_demo_scores_departments_and_communes_for_two_years(world: World) -> None:
    for code, name in DEPARTMENTS.items():
        make_unit(name, code=code, kind=UnitKind.DEPARTMENT, parent=world.province)
    for n in range(3, 7):
        make_unit(f"Xã Thử {n}", code=f"9900{n}", parent=world.province)
    # The demo programme's indicators the sets bind to (the evaluation demo makes them).
    make_programme(
        world.province.code,
        [ratio("CQ-03"), ratio("XH-01"), ratio("CQ-07")],
        code=demo.PROGRAMME,
        start=2021,
        end=2030,
    )
    accounts_demo.load_demo(world.province, stdout=io.StringIO())
    out = io.StringIO()
    demo.load_demo(world.province, stdout=out)
    demo.load_demo(world.province, stdout=io.StringIO())  # a second run changes nothing
    sets = {s.code: s for s in Scorecard.objects.all()}
    assert sorted(sets) == ["DTI-SO-2024", "DTI-SO-2025", "DTI-XA-2024", "DTI-XA-2025"]
    for code, groups, criteria in (("DTI-SO-2025", 9, 34), ("DTI-XA-2025", 8, 47)):
        scorecard = sets[code]
        assert scorecard.max_points == 1000
        assert scorecard.groups.count() == groups
        assert Criterion.objects.filter(group__scorecard=scorecard).count() == criteria
        assert Criterion.objects.filter(
            group__scorecard=scorecard, indicator__isnull=False
        ).exists(), f"{code} has no automatic criterion"
    assert [sets[c].status for c in sorted(sets)] == [
        Status.PUBLISHED,
        Status.PUBLISHED,
        Status.PUBLISHED,
        Status.REVIEW,
    ]
    for code in ("DTI-SO-2024", "DTI-SO-2025"):
        results = {r.unit.code: r for r in services.compute(sets[code])}
        police = results["AG-CAT"]
        assert not police.ranked and police.rank is None and police.exclusion_reason
        tied = [results[c] for c in demo.TIED]
        assert tied[0].rank == tied[1].rank is not None, code
        others = [r.rank for c, r in results.items() if c not in demo.TIED and r.ranked]
        assert tied[0].rank not in others
        # Plausible, uneven scores.
        assert len({r.points for r in results.values()}) >= len(results) - 1
    this_year = services.compute(sets["DTI-SO-2025"])
    assert all(r.change is not None for r in this_year)
    communes = services.compute(sets["DTI-XA-2025"])
    assert sum(r.not_submitted for r in communes) == demo.NOT_SUBMITTED_2025
    assert "DTI-XA-2025: 6 đơn vị" in out.getvalue()
