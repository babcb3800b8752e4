"""`dxboard backup OUTPUT [--method auto|native|dumpdata]`: database and stored files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxboard import backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp đã lưu (ảnh phản ánh, tài liệu kiểm chứng) vào một "
        "tệp .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Tệp sao lưu sẽ ghi, ví dụ dxboard-2026-12-04.tar.gz.")
        parser.add_argument(
            "--method",
            choices=backup.METHODS,
            default="auto",
            help=(
                "auto: pg_dump (PostgreSQL) hoặc bản sao tệp SQLite, dumpdata nếu không dùng "
                "được; native: chỉ pg_dump/SQLite; dumpdata: dữ liệu dạng JSON của Django."
            ),
        )

    def handle(self, *args, output: str, method: str, **options):
        try:
            report = backup.backup(Path(output), method=method, log=self.stderr.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(report.tables.values())
        self.stdout.write(
            f"Đã sao lưu {len(report.tables)} bảng ({rows} dòng) và {report.files} tệp vào "
            f"{output} ({report.method}, {report.size} byte)."
        )
