"""The DuckDB reference's query, run by PostgreSQL on the values table itself.

bench/evaluation_bench.py prints it as a second reference (`evaluation_in_postgresql`):
how long the database that holds the values takes to compute the same results set-based,
with no Python in the loop. It answers the question a missed evaluation target raises:
would moving the engine into SQL reach DuckDB? The statement mirrors
bench/_duckdb_eval.py clause for clause; only the dialect differs (string_to_array
for string_split, EXTRACT for year(), parameters for the Parquet files). It runs with
the server's settings (work_mem etc. as configured), in a read-only transaction.
"""

from __future__ import annotations

import time
from datetime import date

SQL = """
WITH anc AS (  -- every unit with each of its evaluated ancestors (itself included)
    SELECT u.id AS unit_id, CAST(a.part AS BIGINT) AS ancestor_id
    FROM units_unit u,
         UNNEST(string_to_array(trim(BOTH '/' FROM u.path), '/')) AS a(part)
    WHERE CAST(a.part AS BIGINT) = ANY(%(evaluated)s)
),
ind AS (
    SELECT i.id AS indicator_id, i.numerator_id, i.denominator_id, i.factor, i.direction
    FROM indicators_indicator i
    WHERE i.id = ANY(%(indicators)s)
),
roles AS (
    SELECT indicator_id, numerator_id AS element_id, 'num' AS role FROM ind
    UNION ALL
    SELECT indicator_id, denominator_id, 'den' FROM ind
),
quarterly AS (
    SELECT anc.ancestor_id AS unit_id, r.indicator_id, v.period_start,
           SUM(v.value) FILTER (WHERE r.role = 'num') AS num,
           SUM(v.value) FILTER (WHERE r.role = 'den') AS den
    FROM collection_datavalue v
    JOIN anc ON anc.unit_id = v.unit_id
    JOIN roles r ON r.element_id = v.data_element_id
    WHERE v.value IS NOT NULL AND v.period_start >= %(start)s AND v.period_end <= %(end)s
    GROUP BY 1, 2, 3
),
periods AS (
    SELECT unit_id, indicator_id, CAST(EXTRACT(YEAR FROM period_start) AS INT) AS yr, num, den
    FROM quarterly
    UNION ALL
    SELECT unit_id, indicator_id, CAST(EXTRACT(YEAR FROM period_start) AS INT), SUM(num), SUM(den)
    FROM quarterly GROUP BY 1, 2, 3
),
scored AS (
    SELECT p.*, ind.direction,
           CASE WHEN p.num IS NOT NULL AND p.den > 0
                THEN p.num / p.den * ind.factor END AS actual,
           COALESCE(own.value, top.value) AS target
    FROM periods p
    JOIN ind USING (indicator_id)
    LEFT JOIN indicators_target own
      ON own.programme_id = %(programme)s AND own.indicator_id = p.indicator_id
     AND own.year = p.yr AND own.unit_id = p.unit_id
    LEFT JOIN indicators_target top
      ON top.programme_id = %(programme)s AND top.indicator_id = p.indicator_id
     AND top.year = p.yr AND top.unit_id = %(owner)s
),
pct AS (
    SELECT *, round(CASE
        WHEN direction = 'down' AND actual = 0 THEN 100
        WHEN direction = 'down' THEN target / actual * 100
        WHEN target = 0 THEN 100
        ELSE actual / target * 100 END, 6) AS achievement
    FROM scored
)
SELECT CASE
    WHEN actual IS NULL THEN 'noData'
    WHEN target IS NULL THEN 'noTarget'
    WHEN achievement >= %(t1)s THEN 'met'
    WHEN achievement >= %(t2)s THEN 'ge2'
    WHEN achievement >= %(t3)s THEN 'ge3'
    ELSE 'lt3' END AS status, COUNT(*)
FROM pct GROUP BY 1 ORDER BY 1
"""


def evaluate_in_postgresql(
    programme, indicator_ids: list[int], evaluated_ids: list[int], start: date, end: date
) -> tuple[float, dict[str, int]]:
    """(seconds, {status: number of results}) of the query above."""
    from django.db import connection, transaction

    params = {
        "evaluated": evaluated_ids,
        "indicators": indicator_ids,
        "programme": programme.pk,
        "owner": programme.owner_unit_id,
        "t1": programme.threshold_1,
        "t2": programme.threshold_2,
        "t3": programme.threshold_3,
        "start": start,
        "end": end,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION READ ONLY")
        started = time.perf_counter()
        cursor.execute(SQL, params)
        rows = cursor.fetchall()
        seconds = time.perf_counter() - started
    return seconds, {status: count for status, count in rows}
