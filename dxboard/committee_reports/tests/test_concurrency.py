"""Two officers issuing at the same moment never get the same number (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dxboard.committee_reports import services
from dxboard.committee_reports.models import CommitteeReport, NumberSeries
from dxboard.committee_reports.tests.factories import make_report
from dxboard.errors import Conflict
from dxboard.testing import make_world

# serialized_rollback: the flush after a transactional test would drop the rows of data
# migrations (the holiday calendar) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OFFICERS = 6


@pytest.fixture
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every write")


def _in_threads(work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(OFFICERS)

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # collected and asserted by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(OFFICERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_officers_issuing_different_reports_at_once_get_distinct_numbers(_postgres):
    world = make_world()
    drafts = [make_report(world, period=f"{2021 + i // 4}Q{i % 4 + 1}") for i in range(OFFICERS)]
    errors = _in_threads(lambda i: services.issue(world.province_officer, drafts[i]))
    assert errors == []
    numbers = sorted(CommitteeReport.objects.values_list("number", flat=True))
    assert numbers == list(range(1, OFFICERS + 1))
    assert NumberSeries.objects.get().last_number == OFFICERS


def test_officers_issuing_the_same_draft_at_once_issue_it_once(_postgres):
    world = make_world()
    draft = make_report(world)
    errors = _in_threads(lambda i: services.issue(world.province_officer, draft))
    assert len(errors) == OFFICERS - 1 and all(isinstance(e, Conflict) for e in errors)
    assert CommitteeReport.objects.get().number == 1
    assert NumberSeries.objects.get().last_number == 1
