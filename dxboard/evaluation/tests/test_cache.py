"""Cached evaluations: a repeated read is cheap, and a committed change is seen at once."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection

from dxboard.errors import NotFound
from dxboard.evaluation.api import EvaluationOut
from dxboard.evaluation.services import evaluate
from dxboard.evaluation.tests.factories import make_programme, put, ratio
from dxboard.periods import parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.DXBOARD_EVALUATION_CACHE_SECONDS = 600


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the block's on-commit callbacks as a real commit would, and
    forgets them afterwards as a real commit does (the test's transaction never ends)."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        connection.run_on_commit.clear()

    return run


def _actual(programme, unit, user=None):
    return evaluate(programme, unit, parse_period("2024"), user=user).indicators[0].actual


def test_a_repeated_evaluation_is_read_from_the_cache(
    cached, world, commit, django_assert_max_num_queries
):
    with commit():
        programme = make_programme("99", [ratio("R")], [("R", 2024, 90)])
        put(("R-TU", "99001", "2024", 45), ("R-MAU", "99001", "2024", 100))
    assert _actual(programme, world.province) == 45
    with django_assert_max_num_queries(1):  # the revision number; the rest is cached
        assert _actual(programme, world.province) == 45


def test_a_committed_change_is_seen_by_the_next_evaluation(cached, world, commit):
    with commit():
        programme = make_programme("99", [ratio("R")], [("R", 2024, 90)])
        put(("R-TU", "99001", "2024", 45), ("R-MAU", "99001", "2024", 100))
    assert _actual(programme, world.province) == 45
    with commit():
        put(("R-TU", "99001", "2024", 60))  # through save_values: bulk SQL, no signals
    assert _actual(programme, world.province) == 60


def test_the_cache_never_skips_the_access_check(cached, world, commit):
    with commit():
        programme = make_programme("99", [ratio("R")], [("R", 2024, 90)])
        put(("R-TU", "99001", "2024", 45), ("R-MAU", "99001", "2024", 100))
    assert _actual(programme, world.commune_a) == 45  # cached for commune A
    with pytest.raises(NotFound):
        _actual(programme, world.commune_a, user=world.officer_b)


def test_the_cached_api_answer_is_the_schema_answer(cached, world, client_for, commit):
    with commit():
        make_programme("99", [ratio("R")], [("R", 2024, 90)], code="CT-API")
        put(("R-TU", "99001", "2024", 45), ("R-MAU", "99001", "2024", 100))
    client = client_for("viewer")
    url = "/api/v1/programmes/CT-API/evaluation?unit=99&period=2024"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first.content == second.content
    body = EvaluationOut.model_validate(second.json()).model_dump()
    assert body == second.json()
    assert body["indicators"][0]["actual"] == 45.0
    assert client_for("officer_b").get(url.replace("unit=99", "unit=99001")).status_code == 404


def test_a_cached_api_request_reads_only_the_session_and_the_revision(
    cached, world, client_for, commit, django_assert_max_num_queries
):
    with commit():
        make_programme("99", [ratio("R")], [("R", 2024, 90)], code="CT-API")
        put(("R-TU", "99001", "2024", 45), ("R-MAU", "99001", "2024", 100))
    client = client_for("officer_a")
    url = "/api/v1/programmes/CT-API/evaluation?unit=99001&period=2024"
    assert client.get(url).status_code == 200
    # session, user, revision: the access decision and the answer come from the cache
    with django_assert_max_num_queries(3):
        assert client.get(url).json()["indicators"][0]["actual"] == 45.0


def test_a_new_or_removed_role_is_honoured_by_the_next_api_request(
    cached, world, client_for, commit
):
    from dxboard.accounts.models import Membership, Role
    from dxboard.accounts.services import grant_role

    with commit():
        make_programme("99", [ratio("R")], [("R", 2024, 90)], code="CT-API")
        put(("R-TU", "99001", "2024", 45), ("R-MAU", "99001", "2024", 100))
    url = "/api/v1/programmes/CT-API/evaluation?unit=99002&period=2024"
    client = client_for("officer_a")
    assert client.get(url).status_code == 404  # commune B is not officer A's
    with commit():
        grant_role(world.officer_a, world.commune_b, Role.REPORTER)
    assert client.get(url).status_code == 200
    with commit():
        Membership.objects.get(user=world.officer_a, unit=world.commune_b).delete()
    assert client.get(url).status_code == 404


def test_threads_missing_the_same_answer_compute_it_once(cached):
    import threading
    import time

    from dxboard.evaluation.services import _cached

    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return b"answer"

    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(_cached(("k",), compute, (1, "d"))))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [b"answer"] * 4
    assert len(calls) == 1
