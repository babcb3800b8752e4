"""Freshness: from one commune's submission (120 values) until the province evaluation shows it.

    uv run python bench/freshness_bench.py --database-url postgres://postgres@127.0.0.1:5432/dx_bench

A province officer's client posts the commune's 120 figures of 2026Q4 as dataValueSets
JSON (`POST /api/v1/dataValueSets`), then asks for the province evaluation of 2026
(`GET /api/v1/programmes/BENCH/evaluation?unit=91&period=2026`) until all 40 numerators
show the change; the figure is the time from the start of the post to that answer.
Both go through the whole Django stack in-process (test client, token auth). The
reference beside it is the same evaluation request with no write before it. Runs
alternate +1 and −1 on every value, so an even number of runs leaves the data as it was.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_token, bench_user, figure, parser, setup, timed, verdict

TARGET_S = 1.0
QUARTER, YEAR = "2026Q4", "2026"


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=6, help="an even number keeps the data as it was")
    p.add_argument("--timeout", type=float, default=30.0, help="give up on one run after this")
    args = p.parse_args()
    vendor = setup(args)

    from django.test import Client

    from dxboard.collection.models import DataValue
    from dxboard.management.commands.bench_generate import ELEMENT_PREFIX
    from dxboard.units.models import Unit, UnitKind

    commune = (
        Unit.objects.in_force()
        .filter(kind=UnitKind.COMMUNE, parent__code=args.province)
        .order_by("code")
        .first()
    )
    if commune is None:
        sys.exit("No bench data: run `uv run dxboard bench-generate` first.")
    token = bench_token(bench_user())
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/programmes/BENCH/evaluation?unit={args.province}&period={YEAR}"

    def numerators() -> dict[str, float]:
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"evaluation failed: HTTP {response.status_code} {response.content[:300]!r}")
        return {row["code"]: row["numerator"] for row in response.json()["indicators"]}

    read_times, fresh_times = [], []
    for run in range(args.runs):
        step = 1 if run % 2 == 0 else -1
        values = list(
            DataValue.objects.filter(
                unit=commune, period=QUARTER, data_element__code__startswith=ELEMENT_PREFIX
            ).values_list("data_element__code", "value")
        )
        if len(values) != 120:
            sys.exit(f"expected 120 values of {commune.code} in {QUARTER}, found {len(values)}")
        seconds, before = timed(numerators)
        read_times.append(seconds)
        expected = {code: value + step for code, value in before.items()}
        payload = {
            "dataValues": [
                {
                    "dataElement": code,
                    "period": QUARTER,
                    "orgUnit": commune.code,
                    "value": str(int(value) + step),
                }
                for code, value in values
            ]
        }
        started = time.perf_counter()
        response = client.post(
            "/api/v1/dataValueSets", data=payload, content_type="application/json"
        )
        if response.status_code != 200 or response.json()["importCount"]["updated"] != 120:
            sys.exit(f"submission failed: HTTP {response.status_code} {response.content[:300]!r}")
        while True:
            if numerators() == expected:
                break
            if time.perf_counter() - started > args.timeout:
                sys.exit("the evaluation did not show the submission in time")
        fresh_times.append(time.perf_counter() - started)

    worst = max(fresh_times)
    figure(
        "freshness",
        args,
        vendor,
        runs=args.runs,
        values=120,
        dxboard_median_s=statistics.median(fresh_times),
        dxboard_max_s=worst,
        reference="evaluation_read_only",
        reference_median_s=statistics.median(read_times),
        target=f"<={TARGET_S}",
        verdict=verdict(worst <= TARGET_S),
    )


if __name__ == "__main__":
    main()
