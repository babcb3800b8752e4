import io
from datetime import date

from django.db.models import Sum

from dxboard.collection.models import DataValue
from dxboard.feedback.demo import load_demo
from dxboard.feedback.models import Category, FieldReport, ReportEvent
from dxboard.feedback.stats import figures
from dxboard.indicators.services import load_catalogue
from dxboard.testing import make_unit
from dxboard.units.models import UnitKind


def test_the_demo_reproduces_seed_000_and_is_idempotent(world):
    make_unit("Sở Xây dựng", code="AG-SXD", kind=UnitKind.DEPARTMENT, parent=world.province)
    for n in range(3, 9):
        make_unit(f"Xã Thử {n}", code=f"9900{n}", parent=world.province)
    out = io.StringIO()
    load_demo(world.province, stdout=out)
    assert "250 phản ánh" in out.getvalue()
    eight_months = figures(world.province, date(2025, 1, 1), date(2025, 8, 31))
    assert (eight_months.received, eight_months.resolved) == (204, 199)
    assert eight_months.resolution_rate == 97.5
    assert 0 < eight_months.on_time < eight_months.resolved
    assert eight_months.satisfaction_rate is not None
    assert FieldReport.objects.count() == 250
    assert Category.objects.get(code="HT-GT").agency.code == "AG-SXD"
    assert Category.objects.get(code="XH-YT").agency is None  # no Sở Y tế here: the commune
    counts = (FieldReport.objects.count(), ReportEvent.objects.count(), Category.objects.count())
    load_demo(world.province, stdout=io.StringIO())
    assert (
        FieldReport.objects.count(),
        ReportEvent.objects.count(),
        Category.objects.count(),
    ) == counts


def test_the_demo_publishes_the_citizen_report_indicators_as_computed_values(world):
    load_catalogue()
    load_demo(world.province, stdout=io.StringIO())
    q1 = figures(world.province, date(2025, 1, 1), date(2025, 3, 31))
    stored = DataValue.objects.filter(period="2025Q1", unit__path__startswith=world.province.path)
    assert not stored.filter(unit=world.province).exists()  # the engine sums the communes
    totals = {
        row["data_element__code"]: row["total"]
        for row in stored.values("data_element__code").annotate(total=Sum("value"))
    }
    assert totals["CQ-11-DAXL"] == q1.resolved
    assert totals["CQ-11-TIEPNHAN"] == q1.accepted
    assert totals["CQ-12-DUNGHAN"] == q1.on_time
    assert DataValue.objects.filter(period="2025Q4", data_element__code="CQ-13-DANHGIA").exists()
    assert not DataValue.objects.filter(period="2025Q1").exclude(source="computed").exists()
