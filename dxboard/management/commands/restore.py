"""`dxboard restore INPUT [--noinput]`: put back a `dxboard backup` archive, then verify it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxboard import backup


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp đã lưu từ một bản sao lưu của `dxboard backup`; "
        "dữ liệu hiện có bị thay thế."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="Tệp sao lưu .tar.gz.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Không hỏi xác nhận.",
        )

    def handle(self, *args, input: str, interactive: bool, **options):
        if interactive:
            answer = input_answer(
                "Toàn bộ dữ liệu và tệp hiện có sẽ bị thay bằng bản sao lưu. Gõ “co” để tiếp tục: "
            )
            if answer.strip().lower() not in ("co", "có", "yes"):
                raise CommandError("Đã hủy; không thay đổi gì.")
        try:
            backup.restore(Path(input), log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error


def input_answer(prompt: str) -> str:
    return input(prompt)
