"""`dxboard import-scorecard FILE [--dry-run]`: a scorecard set from JSON (the API's
shape) or from an Excel sheet in the provinces' layout, all or nothing."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxboard.errors import ServiceError
from dxboard.scorecards.excel import read_scorecard_file
from dxboard.scorecards.sets import import_scorecard, json_path


class Command(BaseCommand):
    help = "Nhập bộ chỉ số đánh giá chuyển đổi số từ tệp JSON hoặc Excel (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .json hoặc .xlsx.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        try:
            if file.lower().endswith(".xlsx"):
                with open(file, "rb") as handle:
                    document, where = read_scorecard_file(handle)
            else:
                with open(file, encoding="utf-8") as handle:
                    document, where = json.load(handle), json_path
            scorecard = import_scorecard(None, document, dry_run=dry_run, where=where)
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(
                f"Tệp {file} không phải JSON hợp lệ (dòng {error.lineno}): {error.msg}"
            ) from error
        except ServiceError as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(f"Chạy thử: bộ chỉ số {scorecard.code} hợp lệ; chưa ghi gì.")
        else:
            count = scorecard.participants.count()
            self.stdout.write(f"Đã nhập bộ chỉ số {scorecard.code} ({count} đơn vị được đánh giá).")
