"""`dxboard purge_feedback_personal_data`: remove reporters' personal data past retention."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from ...services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Xóa họ tên, điện thoại, thư điện tử của người phản ánh sau "
        "DXBOARD_FEEDBACK_RETENTION_MONTHS tháng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Số tháng lưu (mặc định theo cấu hình DXBOARD_FEEDBACK_RETENTION_MONTHS).",
        )

    def handle(self, *args, months: int | None, **options):
        months = settings.DXBOARD_FEEDBACK_RETENTION_MONTHS if months is None else months
        count = purge_personal_data(months)
        self.stdout.write(f"Đã xóa dữ liệu cá nhân của {count} phản ánh cũ hơn {months} tháng.")
