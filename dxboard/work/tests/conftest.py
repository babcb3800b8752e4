"""The scene of the work-page tests: forms, submissions, a field report, a target at risk."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dxboard.accounts.models import Role
from dxboard.evaluation.tests.factories import make_programme, put, ratio
from dxboard.feedback import services as feedback
from dxboard.feedback.models import Severity
from dxboard.feedback.tests.factories import make_category, make_report
from dxboard.reporting.models import Submission
from dxboard.reporting.tests.factories import OPEN_PERIOD, make_form
from dxboard.testing import make_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Five days after the 2024Q1 deadline (20/03/2024); the test forms keep 2024Q1 open.
NOW = dt.datetime(2024, 3, 25, 9, 0, tzinfo=VN)


def _submit(form, unit, status, **fields):
    return Submission.objects.create(
        form=form,
        unit=unit,
        period=OPEN_PERIOD,
        status=status,
        first_submitted_at=timezone.now(),
        submitted_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def scene(world):
    """Forms of the province for the communes: A late on BM-T, B's BM-T returned, A's BM-2
    waiting for approval; a field report near its deadline in commune A; a declining
    share in commune A (at risk of missing its 2030 target)."""
    form = make_form(world.province, "BM-T")
    second = make_form(world.province, "BM-2")
    make_user("bc_mail_a", unit=world.commune_a, role=Role.REPORTER, email="bc@xa-a.vn")
    _submit(form, world.commune_b, "returned", returned_reason="Thiếu số hồ sơ tháng 3.")
    _submit(second, world.commune_a, "submitted")
    _submit(second, world.commune_b, "approved")
    category = make_category("TTDT", name="Trật tự đô thị")
    report = make_report(world, category=category, unit=world.commune_a)
    feedback.accept(world.officer_a, report, severity=Severity.URGENT, now=NOW)
    programme = make_programme(
        "99", [ratio("R")], [("R", 2030, 90)], code="CT-CDS", start=2021, end=2030
    )
    for year, share in ((2021, 50), (2022, 45), (2023, 40)):
        put(("R-TU", "99001", str(year), share), ("R-MAU", "99001", str(year), 100))
    return {"form": form, "second": second, "report": report, "programme": programme}
