"""`dxboard load-units [--province CODE]`: the official units in force since 1 July 2025."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from dxboard.errors import ServiceError
from dxboard.units.models import UnitKind
from dxboard.units.official import load_official_units


class Command(BaseCommand):
    help = (
        "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu có hiệu lực từ 01/7/2025 "
        "(gói vietnam-provinces). Chạy lại nhiều lần không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            metavar="CODE",
            help="Chỉ nạp một tỉnh, thành phố và các xã của nó, ví dụ --province 91.",
        )

    def handle(self, *args, province: str | None = None, **options):
        started = time.monotonic()
        if province is not None and not province.isdigit():
            raise CommandError("Mã tỉnh là số, ví dụ 91.")
        try:
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
