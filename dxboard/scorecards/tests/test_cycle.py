"""The annual cycle: self-assessment, submission, review with reasons, confirmation,
publication; who may do each step; the audit of every score change."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dxboard.accounts.models import Role
from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dxboard.scorecards import services
from dxboard.scorecards.models import Score, Scorecard, ScoreChange, Status
from dxboard.scorecards.tests.factories import ENTRIES_A, make_scorecard, self_assess
from dxboard.testing import World, make_user


@pytest.fixture
def scorecard(world: World) -> Scorecard:
    return make_scorecard(world)


def _points(scorecard: Scorecard, unit_code: str) -> Decimal:
    return next(r for r in services.compute(scorecard) if r.unit.code == unit_code).points


@pytest.mark.django_db
def test_a_unit_self_scores_each_criterion_with_an_explanation(
    world: World, scorecard: Scorecard
) -> None:
    assert self_assess(world, scorecard, "99001", ENTRIES_A) == 8
    score = Score.objects.get(participant__unit__code="99001", criterion__code="NT-1")
    assert score.self_points == 20 and score.explanation == "Họp 4 lần"
    tier = Score.objects.get(participant__unit__code="99001", criterion__code="NT-2")
    assert tier.choice == "pho" and tier.self_points == 15
    ratio = Score.objects.get(participant__unit__code="99001", criterion__code="NT-4")
    assert ratio.self_points == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({"criterion": "NT-5", "points": 25}, "points", "Chỉ số 1.5: 25 điểm vượt điểm tối đa 20."),
        ({"criterion": "NT-5", "points": -1}, "points", "Chỉ số 1.5: Giá trị phải từ 0"),
        ({"criterion": "NT-5", "points": "mười"}, "points", "Chỉ số 1.5: “mười” không phải là số."),
        ({"criterion": "NT-1", "value": "bốn"}, "value", "Chỉ số 1.1: “bốn” không phải là số."),
        (
            {"criterion": "NT-2", "value": "giam_doc"},
            "value",
            "Chỉ số 1.2: Chỉ nhận một trong các mức",
        ),
        ({"criterion": "NT-3", "value": 2}, "value", "Chỉ số 1.3: Chỉ nhận 1 (có) hoặc 0 (không)."),
        (
            {"criterion": "NT-4", "numerator": 5, "denominator": 4},
            "numerator",
            "Chỉ số 1.4: Tử số a (5) lớn hơn mẫu số b (4).",
        ),
        ({"criterion": "NT-1", "points": 20}, "points", "Chỉ số 1.1: Điểm được tính từ giá trị"),
    ],
)
def test_bad_scores_are_refused_naming_the_criterion_and_field(
    world: World, scorecard: Scorecard, entry: dict[str, Any], field: str, message: str
) -> None:
    good = {"criterion": "NT-3", "value": 1}
    with pytest.raises(InvalidInput) as error:
        self_assess(world, scorecard, "99001", [good, entry])
    (detail,) = error.value.details
    assert detail.path == f"scores[1].{field}"
    assert detail.message.startswith(message)
    # Nothing half-saved: the good entry of the batch is not saved either.
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_a_commune_officer_cannot_score_or_see_another_commune(
    world: World, scorecard: Scorecard
) -> None:
    with pytest.raises(NotFound):
        self_assess(world, scorecard, "99001", ENTRIES_A, user=world.officer_b)
    self_assess(world, scorecard, "99001", ENTRIES_A)
    with pytest.raises(NotFound):
        services.get_participant(world.officer_b, scorecard, "99001")
    results, full = services.results_for(world.officer_b, scorecard)
    assert not full
    assert [r.unit.code for r in results] == ["99002"]
    assert results[0].rank is None


@pytest.mark.django_db
def test_a_viewer_sees_but_does_not_score(world: World, scorecard: Scorecard) -> None:
    with pytest.raises(Forbidden):
        self_assess(world, scorecard, "99001", ENTRIES_A, user=world.viewer)


@pytest.mark.django_db
def test_only_the_units_head_submits_and_every_criterion_must_be_scored(
    world: World, scorecard: Scorecard
) -> None:
    self_assess(world, scorecard, "99001", ENTRIES_A[:3])
    with pytest.raises(Forbidden):
        services.submit(world.officer_a, scorecard, "99001")
    with pytest.raises(InvalidInput) as error:
        services.submit(world.approver_a, scorecard, "99001")
    assert [d.path for d in error.value.details] == [
        "STT 1.4",
        "STT 1.5",
        "STT 2.1",
        "STT 2.2",
        "STT 3.1",
    ]
    self_assess(world, scorecard, "99001", ENTRIES_A[3:])
    participant = services.submit(world.approver_a, scorecard, "99001")
    assert participant.submitted_by == world.approver_a
    with pytest.raises(Conflict):
        self_assess(world, scorecard, "99001", [{"criterion": "NT-1", "value": 1}])


@pytest.mark.django_db
def test_a_submission_after_the_campaign_closed_is_refused(world: World) -> None:
    closed = (timezone.localdate() - timedelta(days=1)).isoformat()
    scorecard = make_scorecard(world, closesOn=closed)
    with pytest.raises(Conflict) as error:
        self_assess(world, scorecard, "99001", ENTRIES_A)
    assert "hết hạn nộp" in error.value.message
    participant = services.get_participant(world.province_officer, scorecard, "99001")
    assert services.is_late(scorecard, participant)


@pytest.mark.django_db
def test_the_full_cycle_with_review_audit_and_publication(
    world: World, scorecard: Scorecard
) -> None:
    self_assess(world, scorecard, "99001", ENTRIES_A)
    services.submit(world.approver_a, scorecard, "99001")
    # The province is not the commune head's to see: 404, as permissions.require answers.
    with pytest.raises(NotFound):
        services.start_review(world.approver_a, scorecard)
    with pytest.raises(Forbidden):
        services.start_review(world.viewer, scorecard)
    services.start_review(world.province_officer, scorecard)
    scorecard.refresh_from_db()
    assert scorecard.status == Status.REVIEW
    before = _points(scorecard, "99001")
    # The reviewer must give a reason.
    with pytest.raises(InvalidInput) as error:
        services.save_scores(
            world.province_officer,
            scorecard,
            [{"unit": "99001", "criterion": "NT-1", "points": 10}],
        )
    assert error.value.details[0].path == "scores[0].reason"
    services.save_scores(
        world.province_officer,
        scorecard,
        [{"unit": "99001", "criterion": "NT-1", "points": 10, "reason": "Chỉ có 2 biên bản họp"}],
    )
    assert _points(scorecard, "99001") == before - 10
    change = ScoreChange.objects.filter(stage="review").get()
    assert change.user == world.province_officer
    assert change.old == "4; 20 điểm"
    assert change.new == "4; 10 điểm (thẩm định)"
    assert change.reason == "Chỉ có 2 biên bản họp"
    # Self-assessment is over for the units.
    with pytest.raises(NotFound):
        services.save_scores(
            world.officer_a, scorecard, [{"unit": "99001", "criterion": "NT-1", "value": 1}]
        )
    with pytest.raises(Conflict):
        services.publish(world.province_officer, scorecard)
    with pytest.raises(InvalidInput):
        services.confirm(world.province_officer, scorecard, "")
    services.confirm(world.province_officer, scorecard, "Quyết định 15/QĐ-HĐTĐ")
    services.publish(world.province_officer, scorecard)
    scorecard.refresh_from_db()
    assert scorecard.is_published
    # Published results are public: commune B now sees commune A's card.
    assert services.get_participant(world.officer_b, scorecard, "99001")
    with pytest.raises(Conflict):
        services.save_scores(
            world.province_officer,
            scorecard,
            [{"unit": "99001", "criterion": "NT-1", "points": 5, "reason": "x"}],
        )


@pytest.mark.django_db
def test_every_self_assessed_change_is_audited_with_old_and_new(
    world: World, scorecard: Scorecard
) -> None:
    self_assess(world, scorecard, "99001", [{"criterion": "NT-1", "value": 2}])
    self_assess(world, scorecard, "99001", [{"criterion": "NT-1", "value": 3}])
    changes = list(
        ScoreChange.objects.order_by("pk").values_list("old", "new", "stage", "user__username")
    )
    assert changes == [
        ("", "2; 10 điểm", "self", "officer_a"),
        ("2; 10 điểm", "3; 15 điểm", "self", "officer_a"),
    ]


@pytest.mark.django_db
def test_a_unit_that_does_not_submit_scores_zero_once_submissions_close(
    world: World, scorecard: Scorecard
) -> None:
    self_assess(world, scorecard, "99001", ENTRIES_A)
    self_assess(world, scorecard, "99002", ENTRIES_A)
    services.submit(world.approver_a, scorecard, "99001")
    services.start_review(world.province_officer, scorecard)
    scorecard.refresh_from_db()
    results = {r.unit.code: r for r in services.compute(scorecard)}
    assert results["99002"].points == 0 and results["99002"].not_submitted
    assert results["99001"].points > 0 and not results["99001"].not_submitted
    approver_b = make_user("approver_b", unit=world.commune_b, role=Role.APPROVER)
    with pytest.raises(Conflict):
        services.submit(approver_b, scorecard, "99002")
