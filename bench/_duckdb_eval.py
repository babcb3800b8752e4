"""The DuckDB reference for bench/evaluation_bench.py (run through `uv run --with duckdb`).

    uv run --no-project --with "duckdb<2" --with pyarrow python bench/_duckdb_eval.py convert DIR
    uv run --no-project --with "duckdb<2" --with pyarrow python bench/_duckdb_eval.py run DIR JSON

DIR holds values.csv, units.csv, indicators.csv and targets.csv exported by the bench;
`convert` turns them into Parquet (not timed). `run` evaluates, in one hand-written SQL statement, every unit × period (quarters and years) × indicator: sums of numerator and
denominator over each unit's subtree, ratio × factor, the target (the unit's own, else
the programme unit's), achievement and status bucket. It prints one JSON line: seconds,
peak memory (MB) and the number of results per status, to compare with the engine's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import duckdb

SQL = """
WITH anc AS (  -- every unit with each of its ancestors (itself included), from the path
    SELECT u.id AS unit_id, CAST(a.part AS BIGINT) AS ancestor_id
    FROM read_parquet('{d}/units.parquet') u,
         UNNEST(string_split(trim(u.path, '/'), '/')) AS a(part)
    WHERE CAST(a.part AS BIGINT) IN (
        SELECT id FROM read_parquet('{d}/units.parquet') WHERE evaluated)
),
ind AS (SELECT * FROM read_parquet('{d}/indicators.parquet')),
roles AS (  -- each indicator's two data elements, as rows, for an equality join
    SELECT indicator_id, numerator_id AS element_id, 'num' AS role FROM ind
    UNION ALL
    SELECT indicator_id, denominator_id, 'den' FROM ind
),
quarterly AS (  -- numerator and denominator per ancestor, indicator and quarter
    SELECT anc.ancestor_id AS unit_id, r.indicator_id, v.period_start,
           SUM(v.value) FILTER (WHERE r.role = 'num') AS num,
           SUM(v.value) FILTER (WHERE r.role = 'den') AS den
    FROM read_parquet('{d}/values.parquet') v
    JOIN anc ON anc.unit_id = v.unit_id
    JOIN roles r ON r.element_id = v.data_element_id
    GROUP BY ALL
),
periods AS (
    SELECT unit_id, indicator_id, year(period_start) AS yr,
           year(period_start) || 'Q' || quarter(period_start) AS period, num, den
    FROM quarterly
    UNION ALL
    SELECT unit_id, indicator_id, year(period_start), CAST(year(period_start) AS VARCHAR),
           SUM(num), SUM(den)
    FROM quarterly GROUP BY ALL
),
scored AS (
    SELECT p.*, ind.direction,
           CASE WHEN p.num IS NOT NULL AND p.den > 0
                THEN p.num / p.den * ind.factor END AS actual,
           COALESCE(own.value, top.value) AS target
    FROM periods p
    JOIN ind USING (indicator_id)
    LEFT JOIN read_parquet('{d}/targets.parquet') own
      ON own.indicator_id = p.indicator_id AND own.year = p.yr AND own.unit_id = p.unit_id
    LEFT JOIN read_parquet('{d}/targets.parquet') top
      ON top.indicator_id = p.indicator_id AND top.year = p.yr AND top.unit_id = {owner}
),
pct AS (
    SELECT *, round(CASE
        WHEN direction = 'down' AND actual = 0 THEN 100
        WHEN direction = 'down' THEN target / actual * 100
        WHEN target = 0 THEN 100
        ELSE actual / target * 100 END, 6) AS achievement
    FROM scored
),
bucketed AS (
    SELECT CASE
        WHEN actual IS NULL THEN 'noData'
        WHEN target IS NULL THEN 'noTarget'
        WHEN achievement >= {t1} THEN 'met'
        WHEN achievement >= {t2} THEN 'ge2'
        WHEN achievement >= {t3} THEN 'ge3'
        ELSE 'lt3' END AS status
    FROM pct
)
SELECT status, COUNT(*) FROM bucketed GROUP BY status ORDER BY status
"""


def main() -> None:
    mode, directory = sys.argv[1], Path(sys.argv[2])
    con = duckdb.connect()
    if mode == "convert":  # its own process, so its memory does not count below
        for name in ("values", "units", "indicators", "targets"):
            con.execute(
                f"COPY (SELECT * FROM read_csv_auto('{directory}/{name}.csv', header=true)) "
                f"TO '{directory}/{name}.parquet' (FORMAT parquet)"
            )
        return
    settings = json.loads(sys.argv[3])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    rows = con.execute(SQL.format(d=directory, **settings)).fetchall()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": peak,
                "rss_before_mb": before,
                "counts": {status: count for status, count in rows},
            }
        )
    )


if __name__ == "__main__":
    main()
