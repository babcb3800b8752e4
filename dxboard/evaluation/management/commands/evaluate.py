"""`dxboard evaluate --programme CODE --unit CODE --period PERIOD [--as-of DATE] --format json|table`.

`--unit 80 --period 2024` is today's Tây Ninh, read from its former units for 2024;
`--as-of 2024-12-31` is former Long An. A figure that takes a split share of a former
unit is marked "ước tính" (estimated).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from dxboard.errors import ServiceError
from dxboard.evaluation import services
from dxboard.numbers import vi_number
from dxboard.units.resolve import parse_as_of

ESTIMATED = "ước tính"

STATUS_LABELS = {
    "met": "Đạt",
    "noData": "Chưa có số liệu",
    "noTarget": "Chưa giao chỉ tiêu",
}


class Command(BaseCommand):
    help = "Đánh giá kết quả thực hiện chương trình của một đơn vị trong một kỳ."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="Mã chương trình.")
        parser.add_argument("--unit", help="Mã đơn vị (mặc định: đơn vị chủ trì).")
        parser.add_argument("--period", required=True, help="Kỳ: 2024, 2024S1, 2024Q1, 202403.")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="Đơn vị mang mã này vào ngày đó (2024-12-31 hoặc 31/12/2024); mặc định: hiện nay.",
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, programme: str, unit: str | None, period: str, **options):
        try:
            as_of = parse_as_of(options.get("as_of"), path="--as-of")
            prog, unit_obj, period_obj = services.resolve(
                None, programme, unit, period, as_of=as_of
            )
            result = services.evaluate(prog, unit_obj, period_obj, user=None)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self._table(result)

    def _table(self, result) -> None:
        s = result.summary
        names = services.bucket_names(result.programme)
        t1, t2, t3 = (vi_number(t, 0) for t in result.programme.thresholds)
        labels = {
            **STATUS_LABELS,
            names[1]: f"≥ {t2} %",
            names[2]: f"{t3}–{t2} %",
            names[3]: f"< {t3} %",
        }
        self.stdout.write(f"{result.programme.name}")
        validity = ""
        if result.unit.valid_to is not None:
            validity = f", hiệu lực đến {result.unit.valid_to:%d/%m/%Y}"
        self.stdout.write(
            f"Đơn vị: {result.unit.name} ({result.unit.code}{validity}) – {result.period.label}"
        )
        header = ["Mã", "Chỉ tiêu", "Thực hiện", "Kế hoạch", "Đạt (%)", "Tình trạng"]
        rows = [
            [
                r.code,
                r.name if len(r.name) <= 48 else r.name[:47] + "…",
                vi_number(r.actual, r.decimals) + (f" ({ESTIMATED})" if r.estimated else ""),
                vi_number(r.target, r.decimals),
                vi_number(r.achievement, 1),
                labels.get(r.status, r.status),
            ]
            for r in result.indicators
        ]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        line = "  ".join("{:<" + str(w) + "}" for w in widths)
        self.stdout.write(line.format(*header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line.format(*row))
        rate = vi_number(s.met_rate, 1)
        self.stdout.write(
            f"\n{s.met}/{s.total} chỉ tiêu đạt, {rate} %; "
            f"{labels[names[1]]}: {s.counts[names[1]]}; {labels[names[2]]}: {s.counts[names[2]]}; "
            f"{labels[names[3]]}: {s.counts[names[3]]}; chưa có số liệu: {s.no_data}; "
            f"chưa giao chỉ tiêu: {s.no_target} (ngưỡng đạt {t1} %)."
        )
        if result.estimated:
            self.stdout.write(
                f"({ESTIMATED}: số liệu lấy một phần của đơn vị cũ bị chia tách khi sắp xếp "
                "đơn vị hành chính, theo tỷ lệ đã lưu.)"
            )
