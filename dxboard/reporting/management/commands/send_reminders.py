"""`dxboard send_reminders`: e-mail reporters before a deadline and when overdue (for cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from dxboard.reporting.services.reminders import send_reminders
from dxboard.reporting.tasks import send_reminders_task


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn nộp báo cáo định kỳ (chạy hằng ngày bằng cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Ngày tính nhắc hạn, dạng YYYY-MM-DD (mặc định hôm nay)."
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Đưa vào hàng đợi tác vụ thay vì gửi ngay."
        )

    def handle(self, *args, date: str | None, enqueue: bool, **options):
        if enqueue:
            result = send_reminders_task.enqueue(date)
            self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
            return
        day = dt.date.fromisoformat(date) if date else None
        sent = send_reminders(day)
        self.stdout.write(f"Đã gửi {sent} thư nhắc hạn.")
