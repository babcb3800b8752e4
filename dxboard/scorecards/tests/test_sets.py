"""Scorecard sets: the tree, its maxima, and bad input refused whole with named fields."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from dxboard.scorecards import services
from dxboard.scorecards.models import Criterion, Participant, Scorecard
from dxboard.scorecards.tests.factories import make_scorecard, set_document
from dxboard.testing import World
from dxboard.units.models import UnitKind


def _messages(error: pytest.ExceptionInfo[ServiceError]) -> list[tuple[str, str]]:
    return [(d.path, d.message) for d in error.value.details]


@pytest.mark.django_db
def test_a_set_is_saved_with_its_tree_and_the_units_it_assesses(world: World) -> None:
    scorecard = make_scorecard(world)
    assert [g.code for g in services.scorecard_tree(scorecard)] == ["NT", "CQ", "TT"]
    assert Criterion.objects.filter(group__scorecard=scorecard).count() == 8
    # The communes of the province, not its hamlets or its agency.
    units = set(
        Participant.objects.filter(scorecard=scorecard).values_list("unit__code", flat=True)
    )
    assert units == {"99001", "99002"}
    assert scorecard.max_points == Decimal(200)


@pytest.mark.django_db
def test_it_refuses_a_group_whose_criteria_do_not_add_up_naming_both_numbers(world: World) -> None:
    document = set_document()
    document["groups"][0]["criteria"][0]["maxPoints"] = 25  # 105 in a group of 100
    with pytest.raises(InvalidInput) as error:
        services.import_scorecard(world.province_officer, document)
    assert (
        "groups[0].maxPoints",
        "Nhóm 1 “Nhận thức số”: các chỉ số thành phần cộng lại 105 điểm, "
        "khác điểm tối đa của nhóm 100.",
    ) in _messages(error)
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_it_refuses_groups_that_do_not_add_up_to_the_set(world: World) -> None:
    with pytest.raises(InvalidInput) as error:
        services.import_scorecard(world.province_officer, set_document(maxPoints=1000))
    assert (
        "maxPoints",
        "Các nhóm chỉ số cộng lại 200 điểm, khác tổng điểm của bộ chỉ số 1000.",
    ) in _messages(error)


@pytest.mark.django_db
def test_it_refuses_a_criterion_without_a_maximum_naming_its_stt(world: World) -> None:
    document = set_document()
    del document["groups"][1]["criteria"][1]["maxPoints"]
    with pytest.raises(InvalidInput) as error:
        services.import_scorecard(world.province_officer, document)
    assert (
        "groups[1].criteria[1].maxPoints",
        "Chỉ số 2.2: thiếu điểm tối đa.",
    ) in _messages(error)


@pytest.mark.django_db
def test_it_refuses_text_and_negative_maxima(world: World) -> None:
    document = set_document()
    document["groups"][0]["criteria"][0]["maxPoints"] = "hai mươi"
    document["groups"][0]["criteria"][1]["maxPoints"] = -5
    with pytest.raises(InvalidInput) as error:
        services.import_scorecard(world.province_officer, document)
    paths = [p for p, _m in _messages(error)]
    assert "groups[0].criteria[0].maxPoints" in paths
    assert "groups[0].criteria[1].maxPoints" in paths


@pytest.mark.django_db
def test_it_refuses_a_duplicate_stt_and_a_bad_rule(world: World) -> None:
    document = set_document()
    document["groups"][0]["criteria"][1]["stt"] = "1.1"
    document["groups"][0]["criteria"][0]["rule"] = {"type": "steps", "steps": []}
    with pytest.raises(InvalidInput) as error:
        services.import_scorecard(world.province_officer, document)
    messages = dict(_messages(error))
    assert messages["groups[0].criteria[1].stt"] == "STT “1.1” bị trùng."
    assert "steps" in messages["groups[0].criteria[0].rule"]


@pytest.mark.django_db
def test_a_group_of_zero_points_is_collected_not_scored(world: World) -> None:
    scorecard = make_scorecard(world)
    group = scorecard.groups.get(code="TT")
    assert group.max_points == 0 and not group.ranked


@pytest.mark.django_db
def test_a_dry_run_checks_and_saves_nothing(world: World) -> None:
    scorecard = services.import_scorecard(world.province_officer, set_document(), dry_run=True)
    assert scorecard.pk is None
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_a_second_set_with_the_same_code_is_refused(world: World) -> None:
    make_scorecard(world)
    with pytest.raises(InvalidInput) as error:
        make_scorecard(world)
    assert ("code", "Đã có bộ chỉ số mã “XA-2025”.") in _messages(error)


@pytest.mark.django_db
def test_a_commune_officer_cannot_issue_a_set(world: World) -> None:
    with pytest.raises(Forbidden):
        services.import_scorecard(world.officer_a, set_document())
    # Naming their commune as the issuing unit: they see it but do not manage it.
    with pytest.raises(Forbidden):
        services.import_scorecard(world.officer_a, set_document(ownerUnit="99001"))


@pytest.mark.django_db
def test_a_department_set_assesses_the_departments(world: World) -> None:
    document = set_document(code="SO-2025", unitKind=UnitKind.DEPARTMENT)
    scorecard = services.import_scorecard(world.province_officer, document)
    assert list(scorecard.participants.values_list("unit__code", flat=True)) == ["SKHCN"]


@pytest.mark.django_db
def test_the_set_reads_back_in_the_shape_it_was_imported(world: World) -> None:
    scorecard = make_scorecard(world)
    document = services.scorecard_document(scorecard)
    document["code"] = "XA-2025-B"
    copy = services.import_scorecard(world.province_officer, document)
    assert services.scorecard_document(copy)["groups"] == document["groups"]


@pytest.mark.django_db
def test_a_set_is_hidden_from_users_of_another_province(world: World) -> None:
    from dxboard.testing import make_unit, make_user

    other = make_unit("Tỉnh Khác", code="98", kind=UnitKind.PROVINCE)
    stranger = make_user("stranger", unit=other)
    scorecard = make_scorecard(world)
    with pytest.raises(NotFound):
        services.get_scorecard(stranger, scorecard.code)
    assert services.get_scorecard(world.officer_b, scorecard.code) == scorecard


def test_conflict_is_a_service_error() -> None:
    assert Conflict.status == 409
