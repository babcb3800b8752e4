"""The demo: 20 forms, 17 complete for the current period, idempotent."""

from __future__ import annotations

import io

import pytest

from dxboard.collection.models import DataValue
from dxboard.reporting.demo import load_demo
from dxboard.reporting.models import ReportForm, Submission
from dxboard.reporting.services.completeness import overview
from dxboard.testing import make_unit
from dxboard.units.models import UnitKind

pytestmark = pytest.mark.django_db


def test_the_demo_has_20_forms_17_complete_and_running_it_twice_changes_nothing(world):
    for i in range(4):
        make_unit(f"Xã mẫu {i}", parent=world.province, kind=UnitKind.COMMUNE)
    make_unit("Sở Tài chính", code="AG-STC", parent=world.province, kind=UnitKind.DEPARTMENT)
    load_demo(world.province, stdout=io.StringIO())
    counts = (ReportForm.objects.count(), Submission.objects.count(), DataValue.objects.count())
    items = overview(world.admin, list(ReportForm.objects.all()))
    assert len(items) == 20
    assert sum(item.complete for item in items) == 17
    assert {i.form.code for i in items if not i.complete} == {"BM-01", "BM-09", "BM-14"}
    load_demo(world.province, stdout=io.StringIO())
    assert (
        ReportForm.objects.count(),
        Submission.objects.count(),
        DataValue.objects.count(),
    ) == counts
    past = Submission.objects.exclude(period__in={i.period.code for i in items})
    assert past.filter(status="approved").count() > 0.8 * past.count()
