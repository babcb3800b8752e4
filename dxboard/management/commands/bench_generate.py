"""`dxboard bench-generate --scale tiny|province|national [--seed N] [--reset]`.

Fills the configured database with benchmark data in the shape DXBoard meets in real use:

- the official units (34 provinces, 3,321 communes, real codes) from `load-units`;
- 120 data elements, 60 numerator/denominator pairs `BENCH-001-TU` / `BENCH-001-MAU`;
- 40 ratio indicators `BENCH-CT-01` … `BENCH-CT-40` (the first 40 pairs, in %) in the
  programme `BENCH`, with yearly targets for the nation and for every province in scope;
- quarterly values 2021Q1–2026Q4 for every pair and every commune in scope.

Scales: `national` = every commune (3,321 × 120 × 24 ≈ 9.6 million values); `province` =
one province (`--province`, default 91 An Giang: 102 communes, ≈ 0.3 million values);
`tiny` = 3 communes, 3 pairs, 8 quarters (for the test suite).

Values are bulk loaded, not written through `save_values`: on PostgreSQL with `COPY`
(psycopg `cursor.copy`), on SQLite with `executemany` in large batches. They are
benchmark fixtures, so no audit rows are written for them. Each commune's values come
from a random generator seeded with `--seed` and the commune code, so a run gives the
same figures whatever the scale and order. Running again loads only the communes that
have no benchmark values yet; `--reset` deletes every benchmark value first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from dxboard.collection.models import DataValue, DataValueAudit, ValueSource
from dxboard.indicators.models import (
    DataElement,
    Direction,
    Indicator,
    IndicatorKind,
    Pillar,
    Programme,
    ProgrammeIndicator,
    Target,
    ValueType,
)
from dxboard.periods import Period, PeriodType, parse_period, periods_between
from dxboard.units.models import Unit, UnitKind

PROGRAMME_CODE = "BENCH"
ELEMENT_PREFIX = "BENCH-"
NATION_CODE = "VN"
FIRST_YEAR, LAST_YEAR = 2021, 2026
COPY_COLUMNS = (
    "data_element_id",
    "unit_id",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "value",
    "text_value",
    "comment",
    "source",
    "created_at",
    "updated_at",
    "version",
)
SQLITE_BATCH = 50_000


@dataclass(frozen=True)
class Scale:
    name: str
    all_provinces: bool
    communes: int | None  # None: every commune of the provinces in scope
    pairs: int
    indicators: int
    first_period: str
    last_period: str


SCALES = {
    "tiny": Scale("tiny", False, 3, 3, 2, "2025Q1", "2026Q4"),
    "province": Scale("province", False, None, 60, 40, "2021Q1", "2026Q4"),
    "national": Scale("national", True, None, 60, 40, "2021Q1", "2026Q4"),
}
PILLARS = list(Pillar.values)


def element_code(pair: int, part: str) -> str:
    """`element_code(7, "TU")` -> "BENCH-007-TU" (TU = tử số, MAU = mẫu số)."""
    return f"{ELEMENT_PREFIX}{pair:03d}-{part}"


def indicator_code(number: int) -> str:
    return f"{ELEMENT_PREFIX}CT-{number:02d}"


def target_value(indicator: int, year: int) -> Decimal:
    """A plausible yearly target in %: rising 8 points a year from 40–59 %, at most 100."""
    start = 40 + (indicator * 7) % 20
    return Decimal(min(100, start + 8 * (year - FIRST_YEAR)))


def commune_series(
    seed: int, commune_code: str, pairs: int, periods: int
) -> Iterator[tuple[int, int, int, int]]:
    """(pair, period index, numerator, denominator) for one commune, deterministically.

    The denominator (e.g. dossiers received) grows a little each quarter; the share in
    the numerator (e.g. received online) climbs towards 100 % with some noise.
    """
    rng = random.Random(f"{seed}:{commune_code}")
    for pair in range(1, pairs + 1):
        base = rng.randint(40, 4000)
        growth = 1 + rng.uniform(0.0, 0.03)
        share = rng.uniform(0.15, 0.7)
        climb = rng.uniform(0.004, 0.025)
        for index in range(periods):
            denominator = max(1, round(base * growth**index * rng.uniform(0.95, 1.05)))
            ratio = min(1.0, max(0.0, share + climb * index + rng.uniform(-0.03, 0.03)))
            yield pair, index, round(denominator * ratio), denominator


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu đo hiệu năng: đơn vị hành chính thật, 120 phần tử số liệu, 40 chỉ tiêu "
        "tỷ lệ trong chương trình BENCH và số liệu theo quý 2021–2026 của mọi xã."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="province")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--province",
            default="91",
            metavar="CODE",
            help="Tỉnh dùng cho quy mô province và tiny (mặc định 91, An Giang).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Xóa mọi số liệu BENCH trước khi sinh lại."
        )

    def handle(self, *args, scale: str, seed: int, province: str, reset: bool, **options):
        spec = SCALES[scale]
        started = time.monotonic()
        periods = periods_between(parse_period(spec.first_period), parse_period(spec.last_period))
        if any(p.type != PeriodType.QUARTER for p in periods):
            raise CommandError("Kỳ sinh dữ liệu phải là quý.")

        self._say(f"1/4 Đơn vị hành chính ({'cả nước' if spec.all_provinces else province})…")
        call_command("load_units", province=None if spec.all_provinces else province, verbosity=0)
        provinces, communes = self._scope(spec, province)

        self._say("2/4 Phần tử số liệu, chỉ tiêu, chương trình BENCH và mục tiêu…")
        with transaction.atomic():
            elements = self._elements(spec.pairs)
            self._programme(spec, elements, provinces)

        if reset:
            deleted = self._reset()
            self._say(f"    đã xóa {deleted:,} số liệu BENCH cũ")

        self._say("3/4 Số liệu theo quý…")
        expected = 2 * spec.pairs * len(periods)
        todo = self._communes_to_load(communes, elements, expected)
        loaded = 0
        batch_started = time.monotonic()
        for group in _group_by_province(todo):
            with transaction.atomic():
                loaded += self._load_values(group, elements, periods, seed, spec.pairs)
            rate = loaded / max(time.monotonic() - batch_started, 1e-9)
            self._say(f"    {loaded:,} số liệu ({rate:,.0f}/giây)")
        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them (autovacuum off, or not yet run) a
            # subtree query may be planned as a nested loop and run 10-20 times slower.
            tables = [m._meta.db_table for m in (Unit, Programme, Indicator, Target, DataValue)]
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(tables)}")

        self._say("4/4 Kiểm tra…")
        total = DataValue.objects.filter(
            data_element__code__startswith=ELEMENT_PREFIX, unit__in=communes
        ).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Quy mô {scale}: {len(provinces)} tỉnh, {len(communes)} xã, {len(elements)} phần "
                f"tử số liệu, {spec.indicators} chỉ tiêu, {len(periods)} kỳ; {total:,} số liệu "
                f"(nạp mới {loaded:,}) sau {time.monotonic() - started:.1f} giây."
            )
        )

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    # --- scope and metadata ---------------------------------------------------------------

    def _scope(self, spec: Scale, province_code: str) -> tuple[list[Unit], list[Unit]]:
        provinces = Unit.objects.in_force().filter(kind=UnitKind.PROVINCE, official=True)
        if not spec.all_provinces:
            provinces = provinces.filter(code=province_code)
        provinces = list(provinces.order_by("code"))
        if not provinces:
            raise CommandError(f"Không có tỉnh mã “{province_code}”.")
        communes = list(
            Unit.objects.in_force()
            .filter(kind=UnitKind.COMMUNE, parent__in=provinces)
            .order_by("code")
            .only("pk", "code", "parent_id")
        )
        if spec.communes is not None:
            communes = communes[: spec.communes]
        return provinces, communes

    def _elements(self, pairs: int) -> dict[tuple[int, str], DataElement]:
        elements = {}
        for pair in range(1, pairs + 1):
            for part, label in (("TU", "tử số"), ("MAU", "mẫu số")):
                element, _ = DataElement.objects.update_or_create(
                    code=element_code(pair, part),
                    defaults={
                        "name": f"Chỉ số đo hiệu năng {pair:03d} – {label}",
                        "name_en": f"Benchmark quantity {pair:03d} – "
                        f"{'numerator' if part == 'TU' else 'denominator'}",
                        "value_type": ValueType.INTEGER,
                        "unit_of_measure": "hồ sơ",
                    },
                )
                elements[(pair, part)] = element
        return elements

    def _programme(
        self, spec: Scale, elements: dict[tuple[int, str], DataElement], provinces: list[Unit]
    ) -> None:
        nation = Unit.objects.in_force().get(code=NATION_CODE)
        programme, _ = Programme.objects.update_or_create(
            code=PROGRAMME_CODE,
            defaults={
                "name": "Chương trình đo hiệu năng (dữ liệu sinh tự động)",
                "start_year": FIRST_YEAR,
                "end_year": LAST_YEAR,
                "owner_unit": nation,
                "description": "Sinh bởi `dxboard bench-generate`; chỉ dùng để đo hiệu năng.",
            },
        )
        for number in range(1, spec.indicators + 1):
            indicator, _ = Indicator.objects.update_or_create(
                code=indicator_code(number),
                defaults={
                    "name": f"Tỷ lệ đo hiệu năng {number:02d}",
                    "name_en": f"Benchmark share {number:02d}",
                    "pillar": PILLARS[(number - 1) % len(PILLARS)],
                    "unit_of_measure": "%",
                    "kind": IndicatorKind.RATIO,
                    "numerator": elements[(number, "TU")],
                    "denominator": elements[(number, "MAU")],
                    "factor": Decimal(100),
                    "direction": Direction.UP,
                },
            )
            ProgrammeIndicator.objects.update_or_create(
                programme=programme, indicator=indicator, defaults={"order": number}
            )
            existing = set(
                Target.objects.filter(programme=programme, indicator=indicator).values_list(
                    "unit_id", "year"
                )
            )
            Target.objects.bulk_create(
                [
                    Target(
                        programme=programme,
                        indicator=indicator,
                        unit=unit,
                        year=year,
                        value=target_value(number, year),
                    )
                    for unit in [nation, *provinces]
                    for year in range(FIRST_YEAR, LAST_YEAR + 1)
                    if (unit.pk, year) not in existing
                ]
            )

    # --- values ---------------------------------------------------------------------------

    def _reset(self) -> int:
        """Delete every benchmark value in two statements (no per-row ORM collector)."""
        ids = list(
            DataElement.objects.filter(code__startswith=ELEMENT_PREFIX).values_list("pk", flat=True)
        )
        if not ids:
            return 0
        values = DataValue._meta.db_table
        audits = DataValueAudit._meta.db_table
        marks = ", ".join(["%s"] * len(ids))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {audits} SET data_value_id = NULL WHERE data_element_id IN ({marks})",
                ids,
            )
            cursor.execute(f"DELETE FROM {values} WHERE data_element_id IN ({marks})", ids)
            return cursor.rowcount

    def _communes_to_load(
        self, communes: list[Unit], elements: dict[tuple[int, str], DataElement], expected: int
    ) -> list[Unit]:
        """Communes with no benchmark value yet; a commune half loaded is an error."""
        counts = dict(
            DataValue.objects.filter(
                data_element__code__startswith=ELEMENT_PREFIX, unit__in=communes
            )
            .values_list("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
        partial = [c.code for c in communes if counts.get(c.pk, 0) not in (0, expected)]
        if partial:
            raise CommandError(
                f"{len(partial)} xã đã có số liệu BENCH khác quy mô này (ví dụ {partial[0]}); "
                "chạy lại với --reset."
            )
        return [c for c in communes if c.pk not in counts]

    def _load_values(
        self,
        communes: list[Unit],
        elements: dict[tuple[int, str], DataElement],
        periods: list[Period],
        seed: int,
        pairs: int,
    ) -> int:
        now = timezone.now()
        if connection.vendor == "postgresql":
            return self._copy(communes, elements, periods, seed, pairs, now)
        return self._executemany(communes, elements, periods, seed, pairs, now)

    def _copy(self, communes, elements, periods, seed, pairs, now) -> int:
        stamp = now.isoformat()
        fixed = [
            f"\t{p.code}\t{p.type.value}\t{p.start.isoformat()}\t{p.end.isoformat()}\t"
            for p in periods
        ]
        tail = f"\t\t\t{ValueSource.IMPORT.value}\t{stamp}\t{stamp}\t1\n"
        ids = {key: element.pk for key, element in elements.items()}
        sql = f"COPY {DataValue._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
        # Rows go in element by element: each index then grows at a few places instead of
        # at random ones, which makes COPY several times faster on a large table.
        by_element: dict[int, list[str]] = {}
        for commune in communes:
            unit = commune.pk
            for pair, index, numerator, denominator in commune_series(
                seed, commune.code, pairs, len(periods)
            ):
                middle = fixed[index]
                by_element.setdefault(ids[(pair, "TU")], []).append(
                    f"{ids[(pair, 'TU')]}\t{unit}{middle}{numerator}{tail}"
                )
                by_element.setdefault(ids[(pair, "MAU")], []).append(
                    f"{ids[(pair, 'MAU')]}\t{unit}{middle}{denominator}{tail}"
                )
        count = 0
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            if cursor.fetchone()[0] == "on":
                # The ids above come from rows that exist, so the per-row foreign-key
                # triggers (most of COPY's time) are skipped for this transaction, as
                # pg_restore does. Without superuser rights they simply run.
                cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.copy(sql) as copy:
                for element_id in sorted(by_element):
                    lines = by_element[element_id]
                    copy.write("".join(lines))
                    count += len(lines)
        return count

    def _executemany(self, communes, elements, periods, seed, pairs, now) -> int:
        stamp = connection.ops.adapt_datetimefield_value(now)
        fixed = [(p.code, p.type.value, p.start.isoformat(), p.end.isoformat()) for p in periods]
        source = ValueSource.IMPORT.value
        ids = {key: element.pk for key, element in elements.items()}
        sql = (
            f"INSERT INTO {DataValue._meta.db_table} ({', '.join(COPY_COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(COPY_COLUMNS))})"
        )
        rows: list[tuple] = []
        count = 0
        with connection.cursor() as cursor:
            for commune in communes:
                unit = commune.pk
                for pair, index, numerator, denominator in commune_series(
                    seed, commune.code, pairs, len(periods)
                ):
                    period = fixed[index]
                    for element, value in (
                        (ids[(pair, "TU")], numerator),
                        (ids[(pair, "MAU")], denominator),
                    ):
                        rows.append(
                            (element, unit, *period, value, "", "", source, stamp, stamp, 1)
                        )
                if len(rows) >= SQLITE_BATCH:
                    cursor.executemany(sql, rows)
                    count += len(rows)
                    rows = []
            if rows:
                cursor.executemany(sql, rows)
                count += len(rows)
        return count


def _group_by_province(communes: list[Unit]) -> list[list[Unit]]:
    """Communes grouped by province: each province is loaded and committed on its own."""
    groups: dict[int, list[Unit]] = {}
    for commune in communes:
        groups.setdefault(commune.parent_id, []).append(commune)
    return list(groups.values())
