"""Import: the public dataValueSets CSV import against PostgreSQL COPY of the same rows.

    uv run python bench/import_bench.py --database-url postgres://postgres@127.0.0.1:5432/dx_bench

Builds one province's figures for a year not generated (2027Q1–Q4 by default: every
commune × 120 data elements × 4 quarters, ≈ 49,000 rows for An Giang), posts them as CSV
to `POST /api/v1/dataValueSets` in-process (Django test client: routing, token auth,
CSV parsing, `save_values` with its checks and audit rows) as a province officer, then
COPYs the same rows into a scratch table with the same indexes. On SQLite the reference
is one `executemany` into the scratch table. The 2027 rows are deleted afterwards.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_token, bench_user, figure, parser, setup, timed, verdict

YEAR = 2027
TARGET = 0.5


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--quarters", type=int, default=4, help="quarters of 2027 to import (1–4)")
    args = p.parse_args()
    vendor = setup(args)

    from django.db import connection
    from django.test import Client

    from dxboard.collection.models import DataValue, DataValueAudit
    from dxboard.indicators.models import DataElement
    from dxboard.management.commands.bench_generate import (
        ELEMENT_PREFIX,
        commune_series,
        element_code,
    )
    from dxboard.periods import parse_period
    from dxboard.units.models import Unit, UnitKind

    periods = [parse_period(f"{YEAR}Q{q}") for q in range(1, args.quarters + 1)]
    elements = {e.code: e.pk for e in DataElement.objects.filter(code__startswith=ELEMENT_PREFIX)}
    pairs = len(elements) // 2
    communes = list(
        Unit.objects.in_force()
        .filter(kind=UnitKind.COMMUNE, parent__code=args.province)
        .order_by("code")
    )
    if not communes or not pairs:
        sys.exit("No bench data: run `uv run dxboard bench-generate` first.")

    def cleanup() -> None:
        ids = list(elements.values())
        DataValueAudit.objects.filter(
            data_element_id__in=ids, period__startswith=str(YEAR)
        ).delete()
        DataValue.objects.filter(data_element_id__in=ids, period__startswith=str(YEAR)).delete()

    # The same rows twice: as the CSV a client sends, and as table rows for COPY.
    csv_lines = ["dataelement,period,orgunit,value"]
    table_rows = []
    for commune in communes:
        for pair, index, numerator, denominator in commune_series(
            YEAR, commune.code, pairs, len(periods)
        ):
            period = periods[index]
            for part, value in (("TU", numerator), ("MAU", denominator)):
                code = element_code(pair, part)
                csv_lines.append(f"{code},{period.code},{commune.code},{value}")
                table_rows.append(
                    (
                        elements[code],
                        commune.pk,
                        period.code,
                        period.type.value,
                        period.start.isoformat(),
                        period.end.isoformat(),
                        value,
                    )
                )
    body = ("\n".join(csv_lines) + "\n").encode()
    rows = len(table_rows)

    cleanup()
    user = bench_user()
    token = bench_token(user)
    client = Client()
    # Not timed: the first request loads the middleware, the URL configuration and every
    # view module (1–2 s here), which a running server did long before an import arrives.
    client.get("/api/v1/status")
    seconds, response = timed(
        lambda: client.post(
            "/api/v1/dataValueSets",
            data=body,
            content_type="text/csv",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    )
    summary = response.json()
    imported = summary.get("importCount", {}).get("imported")
    if response.status_code != 200 or imported != rows:
        cleanup()
        sys.exit(f"import failed: HTTP {response.status_code} {str(summary)[:500]}")

    reference, label = _reference(connection, vendor, table_rows)
    cleanup()
    if vendor == "postgresql":
        # A second reference: COPY of the same rows into the real values table, with its
        # indexes, WAL and foreign-key checks (rolled back). The scratch-table COPY above
        # has none of these, so it is a floor no audited import into the real table meets.
        real = _copy_into_values_table(connection, table_rows)
        figure(
            "import_vs_copy_into_values_table",
            args,
            vendor,
            rows=rows,
            dxboard_rows_per_s=rows / seconds,
            reference="postgres_copy_values_table_with_fk_checks",
            reference_rows_per_s=rows / real,
            reference_s=real,
            ratio=real / seconds,
            target=f">={TARGET}",
            verdict=verdict(real / seconds >= TARGET),
        )
    ours, theirs = rows / seconds, rows / reference
    figure(
        "import",
        args,
        vendor,
        rows=rows,
        dxboard_rows_per_s=ours,
        dxboard_s=seconds,
        reference=label,
        reference_rows_per_s=theirs,
        reference_s=reference,
        ratio=ours / theirs,
        target=f">={TARGET}",
        verdict=verdict(ours / theirs >= TARGET),
    )


def _reference(connection, vendor: str, table_rows: list[tuple]) -> tuple[float, str]:
    """Seconds to load the same rows into a scratch copy of the values table."""
    from django.db import transaction
    from django.utils import timezone

    from dxboard.collection.models import DataValue

    table = DataValue._meta.db_table
    columns = (
        "data_element_id, unit_id, period, period_type, period_start, period_end, value, "
        "text_value, comment, source, created_at, updated_at, version"
    )
    now = timezone.now()
    with transaction.atomic():
        if vendor == "postgresql":
            stamp = now.isoformat()
            text = "".join(
                f"{e}\t{u}\t{p}\t{t}\t{s}\t{n}\t{v}\t\t\timport\t{stamp}\t{stamp}\t1\n"
                for e, u, p, t, s, n, v in table_rows
            )
            raw = connection.connection
            with raw.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMP TABLE bench_copy (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY "
                    "INCLUDING CONSTRAINTS INCLUDING INDEXES) ON COMMIT DROP"
                )

                def copy() -> None:
                    with cursor.copy(f"COPY bench_copy ({columns}) FROM STDIN") as stream:
                        stream.write(text)

                seconds, _ = timed(copy)
            label = "postgres_copy"
        else:
            stamp = connection.ops.adapt_datetimefield_value(now)
            params = [(*row, "", "", "import", stamp, stamp, 1) for row in table_rows]
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TEMP TABLE bench_copy AS SELECT * FROM {table} WHERE 0")
                cursor.execute(
                    "CREATE UNIQUE INDEX bench_copy_key ON bench_copy "
                    "(data_element_id, unit_id, period)"
                )
                sql = f"INSERT INTO bench_copy ({columns}) VALUES ({', '.join(['%s'] * 13)})"
                seconds, _ = timed(lambda: cursor.executemany(sql, params))
                cursor.execute("DROP TABLE bench_copy")
            label = "sqlite_executemany"
    return seconds, label


def _copy_into_values_table(connection, table_rows: list[tuple]) -> float:
    """Seconds to COPY the rows into the values table and check their foreign keys."""
    from django.db import transaction
    from django.utils import timezone

    from dxboard.collection.models import DataValue

    class Rollback(Exception):
        pass

    stamp = timezone.now().isoformat()
    text = "".join(
        f"{e}\t{u}\t{p}\t{t}\t{s}\t{n}\t{v}\t\t\timport\t{stamp}\t{stamp}\t1\n"
        for e, u, p, t, s, n, v in table_rows
    )
    columns = (
        "data_element_id, unit_id, period, period_type, period_start, period_end, value, "
        "text_value, comment, source, created_at, updated_at, version"
    )
    table = DataValue._meta.db_table
    seconds = 0.0
    try:
        with transaction.atomic():
            with connection.connection.cursor() as cursor:

                def copy() -> None:
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                        stream.write(text)
                    # Django's foreign keys are deferred to the commit; check them now.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

                seconds, _ = timed(copy)
            raise Rollback
    except Rollback:
        pass
    return seconds


if __name__ == "__main__":
    main()
