"""The demo programme tells seed 001's story and loads idempotently."""

from __future__ import annotations

import io
from datetime import date

import pytest

from dxboard.collection.models import DataValue
from dxboard.evaluation.demo import PROGRAMME_CODE, load_demo
from dxboard.evaluation.services import evaluate
from dxboard.indicators.models import Direction, Programme, Target
from dxboard.periods import parse_period

pytestmark = pytest.mark.django_db


def test_the_demo_province_meets_7_of_24_targets_in_2024_like_seed_001(world):
    out = io.StringIO()
    load_demo(world.province, stdout=out, today=date(2025, 2, 10))
    programme = Programme.objects.get(code=PROGRAMME_CODE)
    assert programme.is_public
    assert programme.legal_reference == "553/CTr-UBND, 09/09/2021, UBND tỉnh An Giang"
    assert (programme.start_year, programme.end_year) == (2021, 2030)
    summary = evaluate(programme, world.province, parse_period("2024"), user=None).summary
    assert summary.total == 24
    assert summary.counts == {"met": 7, "ge70": 9, "ge50": 6, "lt50": 2}
    assert "met 7, ge70 9, ge50 6, lt50 2" in out.getvalue()
    # Some indicators are lower-is-better; targets run 2021–2030, a few communes have their own.
    assert programme.indicators.filter(direction=Direction.DOWN).exists()
    years = set(Target.objects.filter(programme=programme).values_list("year", flat=True))
    assert years == set(range(2021, 2031))
    assert Target.objects.filter(programme=programme, unit=world.commune_a).exists()


def test_the_demo_writes_quarters_up_to_the_last_finished_one(world):
    load_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    periods = set(DataValue.objects.values_list("period", flat=True))
    assert min(periods) == "2021Q1"
    assert max(periods) == "2024Q4"
    # The agencies report the indicators that concern them.
    assert DataValue.objects.filter(unit=world.agency).exists()


def test_running_the_demo_twice_changes_nothing(world):
    load_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    values = sorted(DataValue.objects.values_list("pk", "value"))
    targets = sorted(Target.objects.values_list("pk", "value"))
    load_demo(world.province, stdout=io.StringIO(), today=date(2025, 2, 10))
    assert sorted(DataValue.objects.values_list("pk", "value")) == values
    assert sorted(Target.objects.values_list("pk", "value")) == targets
