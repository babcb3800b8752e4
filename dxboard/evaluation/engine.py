"""DuckDB embedded in the process, attached read-only to the live database (issue 21).

    extension_path(name) -> Path        # "postgres_scanner" / "sqlite_scanner", from its wheel
    check_extensions() -> None          # at start (EvaluationConfig.ready): a clear error
    cursor() -> DuckDBPyConnection      # this thread's cursor on the one connection
    attached(using="default") -> str | None   # the catalog name to read, None: read through Django
    clear_cache(**kwargs) -> None       # post_migrate: the scanner caches table schemas

Why it is built this way:

- the scanners come from the PyPI wheels `duckdb-ext-postgres` / `duckdb-ext-sqlite`
  and are LOADed from their file: `INSTALL` needs the network, and the files exist only
  for DuckDB 1.4.4 (hence the exact pin). LOAD costs 0.2–0.45 s, so it happens once per
  process, on the one connection; each thread works on its own `cursor()` of it (a
  DuckDB connection object must not be shared by threads; its cursors share the
  database, the attached catalog and the loaded extensions);
- results are always fetched whole (`fetchall`) and the cursors stay in autocommit: a
  result left unfetched keeps the scanner's PostgreSQL transaction open, and that
  blocks a migration;
- the attached catalog is read-only and follows Django's connection settings, so the
  test database (another name) is attached when tests run; an in-memory SQLite
  database cannot be attached (`attached` returns None, the caller reads through Django).
"""

from __future__ import annotations

import importlib.metadata
import threading
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

DUCKDB_VERSION = "1.4.4"
# The extension each Django backend is read through, and the wheel that ships it.
WHEELS = {"postgres_scanner": "duckdb-ext-postgres", "sqlite_scanner": "duckdb-ext-sqlite"}
BACKENDS = {"postgresql": "postgres_scanner", "sqlite3": "sqlite_scanner"}
CATALOG = "live"

_lock = threading.Lock()
_connection: duckdb.DuckDBPyConnection | None = None
_attached: dict[str, Any] = {}  # alias -> the settings it was attached with
_local = threading.local()


class EngineUnavailable(ImproperlyConfigured):
    """DuckDB or its scanner cannot be loaded: the evaluation cannot run at all."""


def extension_path(name: str) -> Path:
    """The extension file inside its wheel (`duckdb_ext/extensions/v1.4.4/<platform>/`)."""
    wheel = WHEELS[name]
    try:
        files = importlib.metadata.files(wheel) or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for file in files:
        if file.name == f"{name}.duckdb_extension" and f"v{DUCKDB_VERSION}" in str(file):
            path = Path(str(file.locate()))
            if path.is_file():
                return path
    raise EngineUnavailable(
        f"The DuckDB extension {name} v{DUCKDB_VERSION} is missing: install the wheel "
        f"{wheel}=={DUCKDB_VERSION}.* (uv sync). The evaluation engine cannot run without it."
    )


def _backend(using: str = DEFAULT_DB_ALIAS) -> str:
    engine = connections[using].vendor
    return {"postgresql": "postgresql", "sqlite": "sqlite3"}.get(engine, engine)


def check_extensions() -> None:
    """Raise EngineUnavailable, naming the file or the version, when the evaluation engine
    could not start: DuckDB is not 1.4.4, or the scanner of the configured database is
    missing. Called at start; the LOAD itself happens on the first evaluation."""
    if duckdb.__version__ != DUCKDB_VERSION:
        raise EngineUnavailable(
            f"DuckDB {DUCKDB_VERSION} is required (found {duckdb.__version__}): its scanner "
            "extensions are built for that version only."
        )
    name = BACKENDS.get(_backend())
    if name is None:
        raise EngineUnavailable(f"The evaluation engine cannot read a {_backend()} database.")
    extension_path(name)


def _connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(
        config={
            "memory_limit": settings.DXBOARD_DUCKDB_MEMORY_LIMIT,
            "threads": settings.DXBOARD_DUCKDB_THREADS,
            # Never fetch anything from the network (INSTALL, autoloading).
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_unsigned_extensions": False,
        }
    )
    for name in BACKENDS.values():
        path = extension_path(name)
        try:
            connection.execute(f"LOAD '{path}'")
        except duckdb.Error as error:
            connection.close()
            raise EngineUnavailable(
                f"The DuckDB extension {path} cannot be loaded: {error}"
            ) from error
    return connection


def _root() -> duckdb.DuckDBPyConnection:
    global _connection
    with _lock:
        if _connection is None:
            _connection = _connect()
        return _connection


def cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor (created on first use; the connection is loaded once)."""
    own = getattr(_local, "cursor", None)
    root = _root()
    if own is None or getattr(_local, "root", None) is not root:
        own = _local.cursor = root.cursor()
        _local.root = root
    return own


def quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _dsn(params: dict[str, Any]) -> str:
    parts = {
        "dbname": params.get("NAME"),
        "user": params.get("USER"),
        "password": params.get("PASSWORD"),
        "host": params.get("HOST"),
        "port": params.get("PORT"),
    }
    return " ".join(f"{key}={quote(value)}" for key, value in parts.items() if value)


def attached(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The DuckDB catalog holding Django's database `using`, attached read-only (on the
    first call, and again when Django's settings for it change, as when tests create
    theirs); None for an in-memory SQLite database, which another process cannot open."""
    params = connections[using].settings_dict
    backend = _backend(using)
    name = str(params["NAME"])
    if backend == "sqlite3" and (name == ":memory:" or "mode=memory" in name):
        return None
    key = (backend, name, params.get("HOST"), params.get("PORT"), params.get("USER"))
    root = _root()
    with _lock:
        if _attached.get(using) != key:
            if using in _attached:
                root.execute(f"DETACH DATABASE IF EXISTS {CATALOG}")
                _attached.pop(using)
            if backend == "postgresql":
                target = _dsn(params)
                kind = "postgres"
            else:
                target = str(Path(name).resolve())
                kind = "sqlite"
            root.execute(f"ATTACH {quote(target)} AS {CATALOG} (TYPE {kind}, READ_ONLY)")
            _attached[using] = key
    return CATALOG


def backend(using: str = DEFAULT_DB_ALIAS) -> str:
    """ "postgresql" or "sqlite3"."""
    return _backend(using)


def clear_cache(**kwargs: Any) -> None:
    """After migrations the scanner must forget the table schemas it cached."""
    if _connection is None or not _attached:
        return
    with _lock:
        if _backend() == "postgresql":
            _connection.execute("SELECT * FROM pg_clear_cache()").fetchall()
        else:
            # The sqlite scanner reads the schema when it attaches: attach again.
            _connection.execute(f"DETACH DATABASE IF EXISTS {CATALOG}")
            _attached.clear()


def detach() -> None:
    """Close the attached database (its PostgreSQL connections with it): before the test
    database is dropped, which PostgreSQL refuses while a session is connected to it."""
    if _connection is None:
        return
    with _lock:
        _connection.execute(f"DETACH DATABASE IF EXISTS {CATALOG}")
        _attached.clear()
