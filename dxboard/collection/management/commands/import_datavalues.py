"""`dxboard import-datavalues FILE [--dry-run] [--no-atomic]`: DHIS2 dataValueSets JSON or CSV."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxboard.collection.values import read_data_value_set, save_values
from dxboard.errors import ServiceError


class Command(BaseCommand):
    help = "Nhập số liệu từ tệp dataValueSets (JSON) hoặc CSV (dataelement,period,orgunit,value)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument(
            "--no-atomic", action="store_true", help="Lưu các dòng đúng, bỏ qua dòng lỗi."
        )

    def handle(self, *args, file: str, dry_run: bool, no_atomic: bool, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error}") from error
        try:
            rows = read_data_value_set(content, csv_format=path.suffix.lower() == ".csv")
            # Run by the server's operator: figures are stored as an import by the system.
            summary = save_values(
                None, rows, "computed", dry_run=dry_run, atomic=not no_atomic, machine_format=True
            )
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        if summary.status == "ERROR":
            raise CommandError("Có lỗi; chưa lưu số liệu nào.")
