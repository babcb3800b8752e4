"""The DuckDB engine itself (issue 21, point 2): its scanners, its view of the live
database, the weighted sources of a reorganised unit, and the bad input of the issue."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import ProtectedError

from dxboard.evaluation import engine
from dxboard.evaluation.services import evaluate, evaluate_many
from dxboard.evaluation.tests.factories import make_programme, put, ratio, single
from dxboard.evaluation.tests.oracle import rollup_layers
from dxboard.evaluation.vectorized import rollup
from dxboard.indicators.models import DataElement
from dxboard.periods import parse_period
from dxboard.testing import make_unit

Y2024 = parse_period("2024")


def _province_programme(world):
    programme = make_programme("99", [ratio("R")], [("R", 2024, 50)])
    put(
        ("R-TU", "99001", "2024Q1", 30),
        ("R-MAU", "99001", "2024Q1", 100),
        ("R-TU", "99002", "2024Q2", 10),
        ("R-MAU", "99002", "2024Q2", 100),
    )
    return programme


def _row(programme, unit, period=Y2024):
    return evaluate(programme, unit, period, user=None).indicators[0]


@pytest.mark.skipif(
    "sqlite" in django_settings.DATABASES["default"]["ENGINE"],
    reason="the in-memory SQLite test database: see the file-copy test below",
)
@pytest.mark.django_db(transaction=True)
def test_committed_values_are_read_through_the_scanner_of_the_live_database(world):
    programme = _province_programme(world)
    assert not connection.in_atomic_block
    assert engine.attached() == engine.CATALOG
    assert _row(programme, world.province).actual == Decimal(20)
    # A committed write is seen by the next query (no snapshot kept between queries).
    put(("R-TU", "99002", "2024Q3", 50))
    assert _row(programme, world.province).actual == Decimal(45)
    # One province of the database: read through postgres_query with the path filter.
    assert _row(programme, world.commune_b).actual == Decimal(60)


@pytest.mark.django_db
def test_the_sqlite_scanner_reads_a_file_copy_of_the_database(world, tmp_path, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    programme = _province_programme(world)
    elements = list(DataElement.objects.filter(code__in=["R-TU", "R-MAU"]))
    groups = {u.pk: u for u in (world.province, world.commune_a, world.commune_b)}
    periods = [Y2024, parse_period("2024Q1"), parse_period("2024S1")]
    expected = rollup_layers(elements, groups, periods)
    copy = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    # The test's uncommitted rows are copied too: the copy is what a live file would be.
    # serialize(), not backup(): backing up the shared-cache in-memory test database from
    # inside its own open transaction waits on its table locks for ever once an earlier
    # test of the process has used it (seen in CI).
    copy.write_bytes(connection.connection.serialize())
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    monkeypatch.setitem(connection.settings_dict, "NAME", str(copy))
    monkeypatch.setattr(type(connection), "in_atomic_block", False, raising=False)
    try:
        assert engine.attached() == engine.CATALOG
        assert rollup(elements, groups, periods) == expected
    finally:
        monkeypatch.undo()
        engine.detach()
    assert expected[world.province.pk]["2024"]  # not an empty comparison
    del programme


@dataclass
class Source:
    unit_id: int
    share: Decimal
    estimated: bool = False


@pytest.mark.django_db
def test_a_new_unit_is_read_from_its_former_units_weighted_by_their_shares(world):
    """The hook for `dxboard.units.history.sources_for`: a merged commune's 2024 figure is
    all of commune A and 40 % of commune B (a split share)."""
    programme = make_programme("99", [single("DAN", time="sum")], [("DAN", 2024, 100)])
    merged = make_unit(code="99900", parent=world.province)
    put(("DAN", "99001", "2024", 100), ("DAN", "99002", "2024", 50))
    sources = {
        merged.pk: [
            Source(world.commune_a.pk, Decimal(1)),
            Source(world.commune_b.pk, Decimal("0.4"), True),
        ]
    }
    result = evaluate_many(
        programme, [merged, world.commune_a], [Y2024], user=None, sources=sources
    )
    assert result[("99900", "2024")].indicators[0].actual == Decimal(120)
    # A unit without sources is read from itself.
    assert result[("99001", "2024")].indicators[0].actual == Decimal(100)
    # Without sources the new unit has no history.
    plain = evaluate_many(programme, [merged], [Y2024], user=None)
    assert plain[("99900", "2024")].indicators[0].status == "noData"


@pytest.mark.django_db
def test_an_average_of_weighted_sources_is_their_share_weighted_mean(world):
    programme = make_programme("99", [single("TB", units="average", time="average")])
    merged = make_unit(code="99901", parent=world.province)
    put(("TB", "99001", "2024", 80), ("TB", "99002", "2024", 40))
    sources = {
        merged.pk: [Source(world.commune_a.pk, Decimal(1)), Source(world.commune_b.pk, Decimal(1))]
    }
    result = evaluate_many(programme, [merged], [Y2024], user=None, sources=sources)
    assert result[("99901", "2024")].indicators[0].actual == Decimal(60)


@pytest.mark.django_db
def test_a_unit_without_children_is_its_own_values(world):
    programme = make_programme("99", [ratio("R")], [("R", 2024, 50)])
    put(("R-TU", "99001-AP1", "2024Q1", 3), ("R-MAU", "99001-AP1", "2024Q1", 4))
    assert _row(programme, world.hamlet_a).actual == Decimal(75)
    assert _row(programme, world.hamlet_b).status == "noData"


@pytest.mark.django_db
def test_periods_without_values_have_no_data(world):
    programme = _province_programme(world)
    for code in ("2023", "2024Q4", "202412", "2024S2"):
        assert _row(programme, world.province, parse_period(code)).status == "noData"


@pytest.mark.django_db
def test_an_element_stored_by_quarter_and_by_year_takes_the_year_in_the_year(world):
    programme = make_programme("99", [single("SO")], [("SO", 2024, 100)])
    put(("SO", "99001", "2024Q1", 10), ("SO", "99001", "2024Q2", 20), ("SO", "99001", "2024", 100))
    assert _row(programme, world.province).actual == Decimal(100)
    assert _row(programme, world.province, parse_period("2024S1")).actual == Decimal(30)


@pytest.mark.django_db
def test_an_element_used_by_a_programme_cannot_be_deleted_so_no_figure_goes_wrong(world):
    programme = _province_programme(world)
    with pytest.raises(ProtectedError):
        DataElement.objects.filter(code="R-TU").delete()
    assert _row(programme, world.province).actual == Decimal(20)


@pytest.mark.django_db
def test_threads_each_use_their_own_cursor(world):
    programme = _province_programme(world)
    elements = list(DataElement.objects.filter(code__in=["R-TU", "R-MAU"]))
    cursors, results = [], []

    def work() -> None:
        cursors.append(engine.cursor())
        results.append(engine.cursor().execute("SELECT 42").fetchall())

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in cursors}) == 3
    assert results == [[(42,)]] * 3
    assert rollup(elements, {world.province.pk: world.province}, [Y2024])
    del programme


def test_a_missing_extension_file_is_a_clear_error_at_start(monkeypatch):
    monkeypatch.setitem(engine.WHEELS, "sqlite_scanner", "duckdb-ext-not-installed")
    with pytest.raises(engine.EngineUnavailable, match="duckdb-ext-not-installed"):
        engine.extension_path("sqlite_scanner")
    monkeypatch.setattr(engine, "_backend", lambda using="default": "sqlite3")
    with pytest.raises(engine.EngineUnavailable, match="sqlite_scanner"):
        engine.check_extensions()


def test_the_extensions_are_the_files_of_the_wheels():
    for name in engine.WHEELS:
        path = engine.extension_path(name)
        assert isinstance(path, Path)
        assert path.parts[-3:-1] == ("v1.4.4", "linux_amd64")


def test_a_wrong_duckdb_version_is_a_clear_error_at_start(monkeypatch):
    monkeypatch.setattr(engine.duckdb, "__version__", "2.0.0")
    with pytest.raises(engine.EngineUnavailable, match=r"1\.4\.4"):
        engine.check_extensions()


def test_memory_and_threads_come_from_the_settings(settings):
    memory, threads = (
        engine.cursor()
        .execute("SELECT current_setting('memory_limit'), current_setting('threads')")
        .fetchone()
    )
    assert threads == settings.DXBOARD_DUCKDB_THREADS
    with engine.duckdb.connect(
        config={"memory_limit": settings.DXBOARD_DUCKDB_MEMORY_LIMIT}
    ) as own:
        (expected,) = own.execute("SELECT current_setting('memory_limit')").fetchone()
    assert memory == expected
