import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from dxboard.accounts.demo import DEMO_PASSWORD
from dxboard.collection.models import DataValue
from dxboard.feedback.demo import load_demo
from dxboard.feedback.models import Category, FieldReport, ReportEvent
from dxboard.feedback.stats import figures
from dxboard.indicators.services import load_catalogue
from dxboard.testing import make_unit
from dxboard.units.models import Unit, UnitKind

# A Wednesday morning: the demo's reports "of this week" are dated from it.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_the_demo_reproduces_seed_000_and_is_idempotent(world):
    make_unit("Sở Xây dựng", code="AG-SXD", kind=UnitKind.DEPARTMENT, parent=world.province)
    for n in range(3, 9):
        make_unit(f"Xã Thử {n}", code=f"9900{n}", parent=world.province)
    out = io.StringIO()
    load_demo(world.province, stdout=out, now=NOW)
    assert "250 phản ánh" in out.getvalue()
    eight_months = figures(world.province, date(2025, 1, 1), date(2025, 8, 31))
    assert (eight_months.received, eight_months.resolved) == (204, 199)
    assert eight_months.resolution_rate == 97.5
    assert 0 < eight_months.on_time < eight_months.resolved
    assert eight_months.satisfaction_rate is not None
    assert FieldReport.objects.filter(year=2025).count() == 250
    assert Category.objects.get(code="HT-GT").agency.code == "AG-SXD"
    assert Category.objects.get(code="XH-YT").agency is None  # no Sở Y tế here: the commune
    counts = (FieldReport.objects.count(), ReportEvent.objects.count(), Category.objects.count())
    load_demo(world.province, stdout=io.StringIO(), now=NOW)
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


@pytest.fixture
def demo(world):
    make_unit("Sở Xây dựng", code="AG-SXD", kind=UnitKind.DEPARTMENT, parent=world.province)
    out = io.StringIO()
    load_demo(world.province, stdout=out, now=NOW)
    return out.getvalue()


def test_every_routed_agency_has_a_handler_login(world, demo):
    from dxboard.accounts.models import Membership

    agencies = {c.agency for c in Category.objects.filter(agency__isnull=False)}
    assert agencies == {Unit.objects.get(code="AG-SXD")}
    handler = Membership.objects.get(unit__code="AG-SXD", role="feedback_handler").user
    assert handler.username == "xuly.sxd" and handler.check_password(DEMO_PASSWORD)
    assert "xuly.sxd (Sở Xây dựng)" in demo


@pytest.mark.parametrize("persona", ["sxd", "officer_a", "approver_a", "officer_b", "ioc"])
def test_each_handler_login_has_open_near_deadline_and_overdue_reports(world, demo, persona):
    from dxboard.accounts.models import User
    from dxboard.feedback import services
    from dxboard.feedback.models import RUNNING_STATUSES, Status

    user = {
        "sxd": lambda: User.objects.get(username="xuly.sxd"),
        "ioc": lambda: User.objects.get(username="ioc.phananh"),
    }.get(persona, lambda: getattr(world, persona))()
    assert services.is_handler(user)
    inbox = services.handled_reports(user).exclude(status__in=[Status.REJECTED, Status.CLOSED])
    assert inbox.filter(status=Status.RECEIVED, created_at__gte=NOW - timedelta(days=1)).exists()
    running = inbox.filter(status__in=RUNNING_STATUSES)
    assert running.filter(due_at__gt=NOW, due_at__lte=NOW + timedelta(days=1)).exists()
    assert running.filter(due_at__lt=NOW - timedelta(days=1)).exists()


def test_this_weeks_reports_are_added_once(world, demo):
    count = FieldReport.objects.count()
    load_demo(world.province, stdout=io.StringIO(), now=NOW + timedelta(days=2))
    assert FieldReport.objects.count() == count
