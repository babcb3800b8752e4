"""Backups: the database and the stored files in one archive, and their restore (issue 18).

A database dump alone leaves out the field-report photos and the scorecards' evidence,
which live as files under the data directory (MEDIA_ROOT). `dxboard backup OUTPUT`
writes one .tar.gz holding:

- `manifest.json`: what the archive holds, how the database was dumped, the row count of
  every table and the SHA-256 of every file, so that a restore can prove it is complete;
- the database: `database.pgdump` (PostgreSQL, `pg_dump --format=custom`),
  `database.sqlite3` (SQLite, a consistent copy made by SQLite itself) or
  `database.json` (any database, Django's `dumpdata`, used when `pg_dump` is missing or
  does not match the server's version);
- `media/…`: every stored file.

`dxboard restore INPUT` puts the database and the files back as they were (files that
were not in the backup are removed), then counts every table and checks every file
against the manifest; any difference is an error.

Restore into the DXBoard version that made the backup, then run `dxboard migrate`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

FORMAT = "dxboard-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media"
# Not data: rate-limit slots and the like expire within minutes (settings.CACHES "shared").
SKIPPED_TABLES = frozenset({"dxboard_cache"})
METHODS = ("auto", "native", "dumpdata")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Vietnamese."""


@dataclass
class Report:
    """What a backup wrote or a restore put back."""

    method: str
    tables: dict[str, int]
    files: int
    size: int = 0


# --- what is there ----------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    """Rows of every table of the installed apps (the ones a restore must reproduce)."""
    names = sorted(
        set(connection.introspection.django_table_names(only_existing=True)) - SKIPPED_TABLES
    )
    counts = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path | None = None) -> dict[str, str]:
    """Every file under MEDIA_ROOT: its path (POSIX, relative) and its SHA-256."""
    root = root or media_root()
    if not root.exists():
        return {}
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        files[path.relative_to(root).as_posix()] = _sha256(path)
    return files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return "other"
    return vendor


# --- backup -----------------------------------------------------------------------------


def backup(output: Path, *, method: str = "auto", log: Callable[[str], None] = print) -> Report:
    """Write the archive to `output` (written beside it first, then renamed: never half)."""
    if method not in METHODS:
        raise BackupError(f"Cách sao lưu không hợp lệ: {method} (chọn {', '.join(METHODS)}).")
    output = output.resolve()
    if not output.parent.is_dir():
        raise BackupError(f"Không có thư mục {output.parent}.")
    with tempfile.TemporaryDirectory(prefix="dxboard-backup-") as work:
        dump, used = _dump_database(Path(work), method, log)
        # Counted after the dump: for a live server, the figures describe the moment of
        # the dump closely; a restore checks against them.
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "engine": _engine(),
            "method": used,
            "database": dump.name,
            "tables": table_counts(),
            "files": stored_files(),
        }
        partial = output.with_name(output.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=dump.name)
                for name in manifest["files"]:
                    archive.add(media_root() / name, arcname=f"{MEDIA_PREFIX}/{name}")
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return Report(used, manifest["tables"], len(manifest["files"]), output.stat().st_size)


def _dump_database(work: Path, method: str, log: Callable[[str], None]) -> tuple[Path, str]:
    engine = _engine()
    if method in ("auto", "native") and engine == "postgresql":
        dump = work / "database.pgdump"
        try:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)])
            return dump, "pg_dump"
        except BackupError as error:
            if method == "native":
                raise
            log(f"Không dùng được pg_dump ({error}); sao lưu bằng dumpdata.")
    elif method in ("auto", "native") and engine == "sqlite":
        dump = work / "database.sqlite3"
        _copy_sqlite_out(dump)
        return dump, "sqlite"
    elif method == "native":
        raise BackupError("Cơ sở dữ liệu này không có cách sao lưu riêng; dùng --method dumpdata.")
    dump = work / "database.json"
    with dump.open("w", encoding="utf-8") as file:
        call_command(
            "dumpdata",
            exclude=[],
            indent=None,
            stdout=file,
            verbosity=0,
        )
    return dump, "dumpdata"


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore's connection options from settings (the password by environment)."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"không có lệnh {command[0]}")
    args, env = _pg_env()
    result = subprocess.run(
        [*command, *args, "--no-password"], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} báo lỗi: {result.stderr.strip()[:2000]}")


def _raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _copy_sqlite_out(dump: Path) -> None:
    live = _raw_sqlite()
    if connection.is_in_memory_db():
        # An in-memory database (tests) shares its cache: SQLite's backup API would wait
        # on its own table locks, serialize() does not.
        dump.write_bytes(live.serialize())
        return
    target = sqlite3.connect(dump)
    try:
        live.backup(target)
    finally:
        target.close()


# --- restore ----------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, AttributeError):
        raise BackupError("Tệp không phải bản sao lưu của DXBoard (thiếu manifest.json).") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("Tệp không phải bản sao lưu DXBoard đọc được bởi phiên bản này.")
    return manifest


def _safe_members(archive: tarfile.TarFile, manifest: dict[str, Any]) -> list[tarfile.TarInfo]:
    """The archive's members, refusing anything that could write outside its place."""
    allowed = {MANIFEST, manifest.get("database", "")}
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        inside_media = path.parts[:1] == (MEDIA_PREFIX,) and ".." not in path.parts
        if path.is_absolute() or not (member.name in allowed or inside_media):
            raise BackupError(f"Bản sao lưu có mục lạ: {member.name}; không khôi phục.")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"Bản sao lưu có mục không phải tệp: {member.name}.")
        members.append(member)
    return members


def _open(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Không mở được bản sao lưu {source}: {error}") from None


def restore(source: Path, *, log: Callable[[str], None] = print) -> Report:
    """Put the database and the stored files back as the archive holds them; verify."""
    with _open(source) as archive, tempfile.TemporaryDirectory(prefix="dxboard-restore-") as work:
        manifest = read_manifest(archive)
        members = _safe_members(archive, manifest)
        method, engine = manifest["method"], _engine()
        if method == "pg_dump" and engine != "postgresql":
            raise BackupError("Bản sao lưu bằng pg_dump chỉ khôi phục được vào PostgreSQL.")
        if method == "sqlite" and engine != "sqlite":
            raise BackupError("Bản sao lưu SQLite chỉ khôi phục được vào SQLite.")
        archive.extractall(work, members=members, filter="data")
        files_dir = Path(work) / MEDIA_PREFIX
        found = stored_files(files_dir)
        if found != manifest["files"]:
            raise BackupError(
                "Tệp trong bản sao lưu không khớp manifest (bị hỏng?); không khôi phục."
            )
        _restore_database(Path(work) / manifest["database"], method)
        _restore_files(files_dir)
    tables = table_counts()
    expected = manifest["tables"]
    wrong = [
        f"{name}: {tables.get(name)} dòng thay vì {count}"
        for name, count in expected.items()
        if tables.get(name) != count
    ]
    if wrong:
        raise BackupError("Khôi phục không khớp bản sao lưu: " + "; ".join(wrong))
    if stored_files() != manifest["files"]:
        raise BackupError("Tệp đã khôi phục không khớp bản sao lưu.")
    log(f"Đã khôi phục {len(tables)} bảng và {len(manifest['files'])} tệp ({method}).")
    return Report(method, tables, len(manifest["files"]))


def _restore_database(dump: Path, method: str) -> None:
    if method == "pg_dump":
        # pg_restore works through its own connection: ours must hold no lock meanwhile.
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                str(dump),
            ]
        )
    elif method == "sqlite":
        live = _raw_sqlite()
        if connection.is_in_memory_db():
            live.deserialize(dump.read_bytes())
        else:
            saved = sqlite3.connect(dump)
            try:
                saved.backup(live)
            finally:
                saved.close()
    else:
        # The tables are emptied without the post-migrate signal, which would add back
        # content types and permissions under new keys before the saved ones load.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(dump), verbosity=0)
    connections.close_all()


def _restore_files(extracted: Path) -> None:
    """MEDIA_ROOT becomes exactly the archive's files (moved in, the old ones removed)."""
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if extracted.exists():
        for path in extracted.iterdir():
            shutil.move(str(path), root / path.name)
