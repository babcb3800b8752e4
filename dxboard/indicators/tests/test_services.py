"""`programme_indicators`: read once per programme object, forgotten when it changes."""

from __future__ import annotations

import pytest

from dxboard.evaluation.tests.factories import make_programme, ratio, single
from dxboard.indicators.models import Indicator
from dxboard.indicators.services import programme_indicators

pytestmark = pytest.mark.django_db


def test_a_programmes_indicators_are_read_once_per_object_and_follow_its_changes(
    world, django_assert_num_queries
):
    programme = make_programme("99", [ratio("CQ-A"), single("CQ-B")])
    with django_assert_num_queries(1):
        first = programme_indicators(programme)
        second = programme_indicators(programme)
    assert [i.code for i in first] == [i.code for i in second] == ["CQ-A", "CQ-B"]
    with django_assert_num_queries(0):
        assert first[0].numerator.code == "CQ-A-TU"  # elements come with the indicators

    programme.programme_indicators.filter(indicator__code="CQ-B").delete()
    programme.refresh_from_db()
    assert [i.code for i in programme_indicators(programme)] == ["CQ-A"]

    programme.programme_indicators.create(indicator=Indicator.objects.get(code="CQ-B"), order=9)
    assert [i.code for i in programme_indicators(programme)] == ["CQ-A", "CQ-B"]
