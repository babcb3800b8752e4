"""datastore_search over a table of national size: every commune × quarter × indicator.

The table is built in memory with the shape of the programme-results dataset (3,321
communes × 24 quarters × 15 indicators ≈ 1.2 M rows), so this measures the DataStore
search itself (filter, full text, sort, page), not the evaluation that fills the table
(`evaluation_bench.py` measures that). Prints one line per query with the median time
of 5 runs after the first (which builds the column index or the search text, timed
apart), and whether two reads of the same page agree.

    uv run python bench/opendata_datastore_bench.py [--communes 3321 --quarters 24 --indicators 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxboard.settings")

import django

django.setup()

from dxboard.opendata.datastore import search  # noqa: E402
from dxboard.opendata.sources import EVALUATION_FIELDS  # noqa: E402
from dxboard.opendata.tables import Table  # noqa: E402

TARGET_MS = 150  # the API latency target, p99 ≤ 150 ms (docs/performance.md)


def build(communes: int, quarters: int, indicators: int) -> Table:
    statuses = ["met", "ge70", "ge50", "lt50"]
    rows = []
    for c in range(communes):
        code, name = f"{10000 + c}", f"Xã Thử {c}"
        for q in range(quarters):
            period = f"{2020 + q // 4}Q{q % 4 + 1}"
            label = f"Quý {['I', 'II', 'III', 'IV'][q % 4]}/{2020 + q // 4}"
            for i in range(indicators):
                status = statuses[(c + q + i) % 4]
                rows.append(
                    (
                        code,
                        name,
                        period,
                        label,
                        f"CQ-{i:02d}",
                        f"Chỉ tiêu {i}",
                        "%",
                        float((c * 7 + q * 3 + i) % 100),
                        80.0,
                        float((c + i) % 120),
                        status,
                        status,
                    )
                )
    return Table(EVALUATION_FIELDS, rows)


def timed(table: Table, request: dict) -> tuple[float, float, dict]:
    started = time.perf_counter()
    search(table, "bench", request)  # first read: builds the column index or the search text
    first = (time.perf_counter() - started) * 1000
    times, result = [], {}
    for _ in range(5):
        started = time.perf_counter()
        result = search(table, "bench", request)
        times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=3321)
    parser.add_argument("--quarters", type=int, default=24)
    parser.add_argument("--indicators", type=int, default=15)
    args = parser.parse_args()
    started = time.perf_counter()
    table = build(args.communes, args.quarters, args.indicators)
    print(f"table rows={len(table.rows)} build_s={time.perf_counter() - started:.1f}")
    queries = {
        "page_unfiltered": {"limit": 100, "offset": 500_000},
        "filter_one_commune": {"filters": {"unit_code": "12345"}, "limit": 100},
        "filter_commune_period": {
            "filters": {"unit_code": "12345", "period": "2024Q4"},
            "limit": 100,
        },
        "filter_indicator_sorted": {
            "filters": {"indicator_code": "CQ-03", "period": "2024Q4"},
            "sort": "achievement desc",
            "limit": 100,
        },
        "filter_sorted_deep_page": {
            "filters": {"period": "2024Q4"},
            "sort": "status, unit_code",
            "limit": 100,
            "offset": 20_000,
        },
        "full_text": {"q": "xa thu 1234", "limit": 100},
    }
    for name, request in queries.items():
        first, median, result = timed(table, request)
        again = search(table, "bench", request)
        stable = [r["_id"] for r in again["records"]] == [r["_id"] for r in result["records"]]
        verdict = "MET" if median <= TARGET_MS else "MISSED"
        print(
            f"datastore_search {name} total={result['total']} first_ms={first:.0f} "
            f"median_ms={median:.0f} "
            f"stable={stable} target_ms={TARGET_MS} verdict={verdict}"
        )


if __name__ == "__main__":
    main()
