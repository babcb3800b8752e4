"""`dxboard serve [ADDR:PORT]`: serve DXBoard with granian (production-grade, multi-worker).

`--dev` uses Django's auto-reloading development server instead, with Django's debug
pages. Without it the site is served as users see it: styled Vietnamese 403/404/500
pages, never a debug page listing the URL patterns (unless DXBOARD_DEBUG=1 is set).
"""

import os
import shutil
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Chạy máy chủ web DXBoard (mặc định 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("DXBOARD_WORKERS", "2"))
        )
        parser.add_argument(
            "--dev", action="store_true", help="Máy chủ phát triển của Django, tự tải lại mã."
        )

    def handle(self, *args, addrport: str, workers: int, dev: bool, **options):
        host, _, port = addrport.rpartition(":")
        host = host or "127.0.0.1"
        if not port.isdigit():
            raise CommandError(f"Địa chỉ không hợp lệ: {addrport} (ví dụ 127.0.0.1:8000)")
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        # The workers read the settings afresh: debug pages stay off unless asked for.
        os.environ.setdefault("DXBOARD_DEBUG", "0")
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which(
            "granian"
        )
        if granian is None:
            raise CommandError("Không tìm thấy granian; cài bằng `uv sync`.")
        self.stdout.write(f"DXBoard: http://{host}:{port}/  (Ctrl+C để dừng)")
        self.stdout.flush()
        argv = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            port,
            "--workers",
            str(workers),
            # Each thread may hold a database connection; keep the pool small and bounded.
            # Handlers are mostly CPU under one GIL: beyond 4 threads, p99 latency grows.
            "--blocking-threads",
            os.environ.get("DXBOARD_THREADS", "4"),
            "--log-level",
            "warning",
            "dxboard.wsgi:application",
        ]
        os.execv(granian, argv)
