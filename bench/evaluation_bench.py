"""Evaluation: the engine over every unit × period × indicator against DuckDB on Parquet.

    uv run python bench/evaluation_bench.py --database-url postgres://postgres@127.0.0.1:5432/dx_bench --national

The engine (`dxboard.evaluation.services.evaluate_many`, DuckDB over the live database since
issue 21) evaluates the programme BENCH
for every unit in scope (the province and its communes; with `--national` the nation,
34 provinces and 3,321 communes), every year 2021–2026 and every quarter 2021Q1–2026Q4,
and every indicator: one call per province, as the province dashboard asks. Then the
same values are exported and a hand-written DuckDB query computes the same results
from Parquet (bench/_duckdb_eval.py, through `uv run --with duckdb --with pyarrow`, so
DuckDB is not a DXBoard dependency). Both count results per status; the counts must
agree. Figures: both times, their ratio, and the peak memory of both processes. On
PostgreSQL, a third line runs the same query in PostgreSQL itself (bench/_postgres_eval.py):
what an engine moved into SQL on the values table would cost. A fourth line times the
former Python roll-up (`dxboard/evaluation/tests/oracle.py`) in the same run.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import figure, parser, peak_rss_mb, setup, timed, verdict  # noqa: E402
from _postgres_eval import evaluate_in_postgresql  # noqa: E402

TIME_TARGET = 3.0
MEMORY_TARGET_MB = 1536
# DuckDB 2.0.0 stops on this query at national scale with an internal error ("dict-surviving
# cache: global dictionary column changed identity"); 1.5 runs it.
DUCKDB = ["uv", "run", "--no-project", "--with", "duckdb<2", "--with", "pyarrow", "python"]


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--national", action="store_true", help="every province, and the nation")
    p.add_argument("--keep", help="keep the exported files in this folder")
    args = p.parse_args()
    vendor = setup(args)

    from dxboard.evaluation.services import bucket_names, evaluate_many
    from dxboard.indicators.models import Programme
    from dxboard.periods import parse_period
    from dxboard.units.models import Unit, UnitKind

    programme = Programme.objects.select_related("owner_unit").get(code="BENCH")
    years = [parse_period(str(y)) for y in range(programme.start_year, programme.end_year + 1)]
    quarters = [q for y in years for q in y.sub_periods(parse_period("2021Q1").type)]
    periods = years + quarters
    provinces = Unit.objects.in_force().filter(kind=UnitKind.PROVINCE, official=True)
    if not args.national:
        provinces = provinces.filter(code=args.province)
    chunks = [
        [province, *Unit.objects.in_force().filter(parent=province, kind=UnitKind.COMMUNE)]
        for province in provinces.order_by("code")
    ]
    if args.national:
        chunks.append([programme.owner_unit])
    evaluated = [u for chunk in chunks for u in chunk]
    names = dict(zip(bucket_names(programme), ("met", "ge2", "ge3", "lt3"), strict=True))

    # The reference first (a few seconds), then the engine, whose memory is measured.
    with tempfile.TemporaryDirectory(prefix="dxbench-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        _export(folder, vendor, programme, evaluated, periods)
        subprocess.run([*DUCKDB, str(HERE / "_duckdb_eval.py"), "convert", str(folder)], check=True)
        settings = {
            "owner": programme.owner_unit_id,
            "t1": str(programme.threshold_1),
            "t2": str(programme.threshold_2),
            "t3": str(programme.threshold_3),
        }
        output = subprocess.run(
            [*DUCKDB, str(HERE / "_duckdb_eval.py"), "run", str(folder), json.dumps(settings)],
            capture_output=True,
            text=True,
        )
        if output.returncode:
            sys.exit(f"DuckDB reference failed:\n{output.stderr[-3000:]}")
        output = output.stdout
    rss_before = peak_rss_mb()

    def engine() -> Counter:
        counts: Counter = Counter()
        for chunk in chunks:
            results = evaluate_many(programme, chunk, periods, user=None)
            for evaluation in results.values():
                for row in evaluation.indicators:
                    counts[names.get(row.status, row.status)] += 1
            del results
        return counts

    seconds, counts = timed(engine)
    engine_peak = peak_rss_mb()

    # The former Python roll-up (now the test oracle), on the same data in the same run.
    from dxboard.evaluation.services import _evaluate_many
    from dxboard.evaluation.tests.oracle import rollup_layers

    def former() -> Counter:
        counts: Counter = Counter()
        for chunk in chunks:
            results = _evaluate_many(programme, chunk, periods, None, rollup_layers)
            for evaluation in results.values():
                for row in evaluation.indicators:
                    counts[names.get(row.status, row.status)] += 1
            del results
        return counts

    former_seconds, former_counts = timed(former)

    duck = json.loads(output.strip().splitlines()[-1])
    same = dict(counts) == duck["counts"]
    results = sum(counts.values())
    ratio = seconds / duck["seconds"]
    figure(
        "evaluation",
        args,
        vendor,
        units=len(evaluated),
        periods=len(periods),
        results=results,
        dxboard_s=seconds,
        duckdb_s=duck["seconds"],
        ratio=ratio,
        target=f"<={TIME_TARGET}",
        verdict=verdict(ratio <= TIME_TARGET),
        same_results="yes" if same else f"NO engine={dict(counts)} duckdb={duck['counts']}",
    )
    figure(
        "evaluation_former_engine",
        args,
        vendor,
        former_s=former_seconds,
        dxboard_s=seconds,
        duckdb_s=duck["seconds"],
        ratio=former_seconds / duck["seconds"],
        same_results="yes"
        if dict(former_counts) == dict(counts)
        else f"NO former={dict(former_counts)}",
    )
    figure(
        "evaluation_memory",
        args,
        vendor,
        dxboard_peak_mb=engine_peak,
        dxboard_start_mb=rss_before,
        duckdb_peak_mb=duck["peak_rss_mb"],
        target=f"<={MEMORY_TARGET_MB}",
        verdict=verdict(engine_peak <= MEMORY_TARGET_MB),
    )
    if vendor == "postgresql":
        from dxboard.indicators.services import programme_indicators

        sql_seconds, sql_counts = evaluate_in_postgresql(
            programme,
            [i.pk for i in programme_indicators(programme)],
            [u.pk for u in evaluated],
            min(p.start for p in periods),
            max(p.end for p in periods),
        )
        figure(
            "evaluation_in_postgresql",
            args,
            vendor,
            postgresql_s=sql_seconds,
            duckdb_s=duck["seconds"],
            ratio=sql_seconds / duck["seconds"],
            dxboard_s=seconds,
            same_results="yes" if sql_counts == duck["counts"] else f"NO postgresql={sql_counts}",
        )


def _export(folder: Path, vendor: str, programme, evaluated, periods) -> None:
    """The programme's values, units, indicators and targets as CSV files."""
    from django.db import connection

    from dxboard.collection.models import DataValue
    from dxboard.indicators.models import Target
    from dxboard.indicators.services import programme_indicators
    from dxboard.units.models import Unit

    indicators = programme_indicators(programme)
    elements = sorted(
        {i.numerator_id for i in indicators} | {i.denominator_id for i in indicators if i.is_ratio}
    )
    evaluated_ids = {u.pk for u in evaluated}
    scope = Unit.objects.subtree_of(
        [u for u in evaluated if u.depth == min(x.depth for x in evaluated)]
    )
    units = list(scope.values_list("pk", "path"))
    ancestor_ids = {int(part) for _pk, path in units for part in path.strip("/").split("/")}
    units += list(
        Unit.objects.filter(pk__in=ancestor_ids - {pk for pk, _ in units}).values_list("pk", "path")
    )
    with open(folder / "units.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "path", "evaluated"])
        writer.writerows((pk, path, pk in evaluated_ids) for pk, path in units)
    with open(folder / "indicators.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["indicator_id", "numerator_id", "denominator_id", "factor", "direction"])
        writer.writerows(
            (i.pk, i.numerator_id, i.denominator_id, i.factor, i.direction) for i in indicators
        )
    with open(folder / "targets.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["indicator_id", "year", "unit_id", "value"])
        writer.writerows(
            Target.objects.filter(programme=programme).values_list(
                "indicator_id", "year", "unit_id", "value"
            )
        )
    table = DataValue._meta.db_table
    start = min(p.start for p in periods).isoformat()
    end = max(p.end for p in periods).isoformat()
    unit_ids = ",".join(str(pk) for pk, _ in units)
    query = (
        f"SELECT unit_id, data_element_id, period_type, period_start, value FROM {table} "
        f"WHERE data_element_id IN ({','.join(map(str, elements))}) AND value IS NOT NULL "
        f"AND period_start >= '{start}' AND period_end <= '{end}' AND unit_id IN ({unit_ids})"
    )
    with open(folder / "values.csv", "wb") as f:
        if vendor == "postgresql":
            connection.ensure_connection()
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy,
            ):
                for block in copy:
                    f.write(block)
        else:
            with connection.cursor() as cursor:
                cursor.execute(query)
                text = ["unit_id,data_element_id,period_type,period_start,value\n"]
                text += [",".join(str(c) for c in row) + "\n" for row in cursor.fetchall()]
                f.write("".join(text).encode())


if __name__ == "__main__":
    main()
