"""`dxboard import-metadata FILE.json [--dry-run]`: units, data elements, indicators,
programmes and targets from one JSON document, all or nothing."""

import json

from django.core.management.base import BaseCommand, CommandError

from dxboard.errors import ServiceError
from dxboard.indicators.services import import_metadata


class Command(BaseCommand):
    help = "Nhập danh mục (đơn vị, phần tử số liệu, chỉ tiêu, chương trình) từ tệp JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp JSON theo mẫu metadata.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                document = json.load(handle)
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"Tệp {file} không phải JSON hợp lệ (dòng {error.lineno}): {error.msg}"
            ) from error
        try:
            summary = import_metadata(None, document, dry_run=dry_run)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        if dry_run:
            self.stdout.write("Chạy thử: chưa ghi gì vào cơ sở dữ liệu.")
