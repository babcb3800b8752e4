"""Two imports creating the same new value at the same moment (issue 18): one wins, the
other is a Conflict (409), never an IntegrityError (500). PostgreSQL only: SQLite takes
the write lock at the start of the transaction, so its writers never overlap."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from dxboard.collection.models import DataValue
from dxboard.collection.values import save_values
from dxboard.errors import Conflict
from dxboard.evaluation.tests.factories import ratio
from dxboard.indicators.services import import_metadata

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def _row(value: str) -> dict[str, str]:
    return {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001", "value": value}


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def test_the_second_of_two_simultaneous_creations_is_a_conflict(world):
    import_metadata(None, ratio("CQ-03"))
    second_started = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                save_values(world.officer_a, [_row("7")], "api")
                second_started.wait(30)
                # Commit only once the second writer is blocked on our new row.
                deadline = time.monotonic() + 30
                while not _someone_waits_for_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.05)
            outcome["first"] = "saved"
        finally:
            connections.close_all()

    def second() -> None:
        try:
            second_started.set()
            save_values(world.officer_a, [_row("8")], "api")
            outcome["second"] = "saved"
        except Conflict as error:
            outcome["second"] = error
        except Exception as error:  # the bug: IntegrityError data_value_unique
            outcome["second"] = f"unexpected {error!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    time.sleep(0.2)
    threads[1].start()
    for thread in threads:
        thread.join(60)
    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], Conflict), outcome["second"]
    assert outcome["second"].status == 409
    assert [v.display_value for v in DataValue.objects.all()] == ["7"]
