"""`dxboard load-units [--legacy] [--province CODE]`: the official units.

Without `--legacy`: the units in force since 1 July 2025. With `--legacy`: also the
former provinces, districts and communes (valid until 30 June 2025) and their successions.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dxboard.errors import ServiceError
from dxboard.units.legacy import LegacyResult, load_legacy_units
from dxboard.units.models import UnitKind
from dxboard.units.official import load_official_units


class Command(BaseCommand):
    help = (
        "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu có hiệu lực từ 01/7/2025 "
        "(gói vietnam-provinces); với --legacy nạp thêm 63 tỉnh, các huyện và xã cũ "
        "(hiệu lực đến 30/6/2025, gói vietnamadminunits) cùng quan hệ kế thừa. "
        "Chạy lại nhiều lần không tạo trùng."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--province",
            metavar="CODE",
            help=(
                "Chỉ nạp một tỉnh, thành phố và các xã của nó, ví dụ --province 91; với "
                "--legacy là tỉnh mới cùng các tỉnh cũ hợp thành (91: An Giang và Kiên Giang)."
            ),
        )
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="Nạp cả đơn vị hành chính trước 01/7/2025 và quan hệ kế thừa.",
        )

    def handle(self, *args: Any, province: str | None = None, legacy: bool = False, **options: Any):
        started = time.monotonic()
        if province is not None and not province.isdigit():
            raise CommandError("Mã tỉnh là số, ví dụ 91.")
        try:
            if legacy:
                self._report_legacy(load_legacy_units(province), time.monotonic() - started)
                return
            result = load_official_units(province)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        created = result.created
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp đơn vị hành chính sau {seconds:.1f} giây: "
                f"tạo mới {created.get(UnitKind.NATION, 0)} quốc gia, "
                f"{created.get(UnitKind.PROVINCE, 0)} tỉnh/thành phố, "
                f"{created.get(UnitKind.COMMUNE, 0)} xã/phường/đặc khu; "
                f"cập nhật {result.updated}; không đổi {result.unchanged}."
            )
        )

    def _report_legacy(self, result: LegacyResult, seconds: float) -> None:
        created = result.created
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp đơn vị hành chính trước 01/7/2025 sau {seconds:.1f} giây: "
                f"tạo mới {created.get(UnitKind.PROVINCE, 0)} tỉnh/thành phố, "
                f"{created.get(UnitKind.DISTRICT, 0)} quận/huyện, "
                f"{created.get(UnitKind.COMMUNE, 0)} xã/phường/thị trấn; "
                f"cập nhật {result.updated}; không đổi {result.unchanged}; "
                f"quan hệ kế thừa: tạo mới {result.successions_created}, "
                f"giữ nguyên {result.successions_kept}."
            )
        )
        if result.unmatched:
            self.stdout.write(
                self.style.WARNING(f"{len(result.unmatched)} tên, mã không đối chiếu được:")
            )
            for line in result.unmatched:
                self.stdout.write(f"  - {line}")
