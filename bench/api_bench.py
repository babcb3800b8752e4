"""API: the province evaluation endpoint under 32 concurrent clients against /api/v1/status.

    apt-get install -y wrk
    uv run python bench/api_bench.py --database-url postgres://postgres@127.0.0.1:5432/dx_bench

Starts `dxboard serve 127.0.0.1:18765 --workers 2` (granian) on the given database, then
runs wrk with 32 connections for a bounded time against the trivial `/api/v1/status`
and against `/api/v1/programmes/BENCH/evaluation?unit=91&period=2026` with a province
officer's bearer token, on the same server, each after 3 s of unmeasured warm-up.
Figures: requests per second of both, their ratio, p50 and p99 latency. Only 127.0.0.1
is ever requested; the server is stopped at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_token, bench_user, figure, parser, setup, verdict

HOST = "127.0.0.1"
P99_TARGET_MS = 150.0


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=18765)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--seconds", type=int, default=20, help="wrk duration of each endpoint")
    p.add_argument("--warmup", type=int, default=3, help="unmeasured wrk seconds before each")
    p.add_argument("--period", default="2026")
    p.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="DXBOARD_DB_CONN_MAX_AGE (default: DXBoard's own default, 60 s)",
    )
    p.add_argument("--server-log", default="/tmp/dxboard-bench-server.log")
    args = p.parse_args()
    vendor = setup(args)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    token = bench_token(bench_user())
    base = f"http://{HOST}:{args.port}"
    with socket.socket() as probe:
        if probe.connect_ex((HOST, args.port)) == 0:
            sys.exit(f"port {args.port} is already in use: choose another with --port")
    env = {**os.environ, "DXBOARD_DEBUG": "0"}
    if args.conn_max_age is not None:
        # 0 closes each request's connection: at most one per request in flight. With the
        # default (60 s) each granian thread keeps its own, see docs/performance.md.
        env["DXBOARD_DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    log = open(args.server_log, "w")  # noqa: SIM115 (closed with the server below)
    server = subprocess.Popen(
        ["uv", "run", "dxboard", "serve", f"{HOST}:{args.port}", "--workers", "2"],
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"{base}/api/v1/status", 60)
        evaluation = (
            f"{base}/api/v1/programmes/BENCH/evaluation?unit={args.province}&period={args.period}"
        )
        _check(evaluation, token)
        # Steady state is what is measured: every worker process computes its own first
        # answer (its cache is its own), so both endpoints are warmed up unmeasured.
        for url in (f"{base}/api/v1/status", evaluation):
            _wrk(url, token, args, seconds=args.warmup)
        status = _wrk(f"{base}/api/v1/status", token, args)
        heavy = _wrk(evaluation, token, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    ratio = heavy["rps"] / status["rps"]
    figure(
        "api",
        args,
        vendor,
        clients=args.connections,
        evaluation_rps=heavy["rps"],
        evaluation_p50_ms=heavy["p50"],
        evaluation_p99_ms=heavy["p99"],
        evaluation_errors=heavy["errors"],
        status_rps=status["rps"],
        status_p50_ms=status["p50"],
        status_p99_ms=status["p99"],
        ratio=ratio,
        target=f"p99<={P99_TARGET_MS:.0f}ms",
        verdict=verdict(heavy["p99"] <= P99_TARGET_MS and not heavy["errors"]),
    )


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the server did not answer {url} within {seconds} s")


def _check(url: str, token: str) -> None:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        if response.status != 200:
            sys.exit(f"{url} answered {response.status}")


def _wrk(url: str, token: str, args, seconds: int | None = None) -> dict[str, float]:
    seconds = seconds or args.seconds
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{seconds}s",
            "--timeout",
            "60s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        key: _ms(value, unit)
        for key, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    errors = 0
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if match:
        errors += int(match.group(1))
    match = re.search(r"Socket errors:.*timeout (\d+)", output)
    if match:
        errors += int(match.group(1))
    return {
        "rps": rps,
        "p50": latency.get("50", 0.0),
        "p99": latency.get("99", 0.0),
        "errors": errors,
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


if __name__ == "__main__":
    main()
