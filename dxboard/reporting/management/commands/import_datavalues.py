"""`dxboard import-datavalues --user USERNAME FILE [--dry-run] [--no-atomic]`.

A DHIS2 dataValueSets document (JSON) or CSV, imported exactly as `POST /dataValueSets`
imports it: as the named user, with that user's rights, refusing figures of submitted or
approved reports, and submitting the report when the document says `completeDate`. The
audit records the user and the channel "import" (issue 18: the command used to write as
the system, past report locks, with no user).

It lives in `reporting`, not `collection`, because the report locks are reporting's.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dxboard.collection.models import ValueSource
from dxboard.errors import ServiceError
from dxboard.reporting.services.api_import import import_data_value_set


class Command(BaseCommand):
    help = (
        "Nhập số liệu từ tệp dataValueSets (JSON) hoặc CSV (dataelement,period,orgunit,value) "
        "với quyền của một người dùng, như API POST /dataValueSets."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--user",
            help="Tên đăng nhập của người nhập (bắt buộc): quyền và lịch sử sửa theo người này.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument(
            "--no-atomic", action="store_true", help="Lưu các dòng đúng, bỏ qua dòng lỗi."
        )

    def handle(self, *args, file: str, user: str | None, dry_run: bool, no_atomic: bool, **options):
        # Checked here rather than with required=True, so that the message is Vietnamese
        # and call_command() raises a CommandError too.
        if not user:
            raise CommandError(
                "Cần --user TÊN_ĐĂNG_NHẬP: số liệu được nhập với quyền của người đó và ghi tên "
                "người đó vào lịch sử sửa."
            )
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"Không có người dùng “{user}”.")
        if not account.is_active:
            raise CommandError(f"Tài khoản “{user}” đã bị khóa; không nhập được.")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error}") from error
        try:
            summary = import_data_value_set(
                account,
                content,
                csv_format=path.suffix.lower() == ".csv",
                dry_run=dry_run,
                atomic=not no_atomic,
                source=ValueSource.IMPORT,
            )
        except ServiceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        if summary.status == "ERROR":
            raise CommandError("Có lỗi; chưa lưu số liệu nào.")
