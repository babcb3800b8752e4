"""Shared set-up of the bench scripts: options, Django, the bench user, one line per figure.

Every script takes `--database-url` (default: the DATABASE_URL of the environment, else
DXBoard's SQLite file) and `--province` (the province whose data the figure uses, 91 by
default). Run `uv run dxboard bench-generate --scale province|national` first.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from collections.abc import Callable
from typing import Any

BENCH_USER = "bench-officer"
PROGRAMME = "BENCH"


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="e.g. postgres://postgres@127.0.0.1:5432/dx_bench (default: $DATABASE_URL)",
    )
    p.add_argument("--province", default="91", help="province code used by the figure")
    p.add_argument("--scale", default="", help="label printed with each figure")
    return p


def setup(args: argparse.Namespace) -> str:
    """Point Django at the database, set it up, and return the vendor ("postgresql"/"sqlite")."""
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxboard.settings")
    os.environ.setdefault("DXBOARD_DEBUG", "0")  # no query log, as in production
    import django

    django.setup()
    from django.db import connection

    return connection.vendor


def bench_user():
    """A province officer of the bench province (created once), as the API and import use."""
    from dxboard.accounts.models import Role, User
    from dxboard.accounts.services import create_user, grant_role
    from dxboard.units.models import Unit

    nation = Unit.objects.in_force().get(code="VN")
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = create_user(BENCH_USER, None, full_name="Bench officer")
    # An officer of the whole country, so one user serves every province's figures.
    grant_role(user, nation, Role.PROVINCE_OFFICER)
    return user


def bench_token(user) -> str:
    from dxboard.accounts.services import create_token

    _token, key = create_token(user, f"bench {time.strftime('%Y-%m-%d %H:%M:%S')}", 1)
    return key


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as f:
        total_kb = int(f.readline().split()[1])
    return f"{platform.machine()} {cores} cores {total_kb / 1024 / 1024:.0f} GB"


def figure(name: str, args: argparse.Namespace, vendor: str, **fields: Any) -> None:
    """Print one figure as one line: `name scale database key=value ...`."""
    parts = [name, args.scale or "-", vendor]
    for key, value in fields.items():
        if isinstance(value, float):
            if abs(value) >= 10:
                value = f"{value:,.0f}"
            elif abs(value) >= 0.01 or value == 0:
                value = f"{value:.3f}"
            else:
                value = f"{value:.2g}"
        parts.append(f"{key}={value}")
    print("  ".join(parts), flush=True)


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"
