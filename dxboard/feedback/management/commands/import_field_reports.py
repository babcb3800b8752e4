"""`dxboard import-field-reports FILE [--dry-run]`: reports from the former system.

FILE is a CSV, an Excel workbook (.xlsx) or an Open311 JSON list; see
`dxboard.feedback.former_system` for the columns. Run again with the same file: reports
already imported (by their former id) are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxboard.errors import ServiceError
from dxboard.feedback.former_system import import_former_reports, read_rows


class Command(BaseCommand):
    help = "Nhập phản ánh từ hệ thống cũ (CSV, Excel .xlsx hoặc danh sách Open311 JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error}") from error
        try:
            # Run by the server's operator: no user, every commune allowed.
            result = import_former_reports(None, read_rows(content, path.name), dry_run=dry_run)
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
