"""`dxboard demo`: a realistic demo province on the embedded SQLite database, then serve it.

Migrates, loads An Giang (code 91) with its 102 communes from `vietnam-provinces`,
lets every installed app add its demo data (`dxboard/<app>/demo.py`), prints one login
per role and serves on http://127.0.0.1:8000. Running it twice is safe.
"""

from __future__ import annotations

import importlib
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dxboard.accounts import demo as accounts_demo
from dxboard.units.models import Unit

DEMO_PROVINCE = "91"
# Order matters: registers first, then the evaluation demo's past figures, then the report
# forms, which add the current period and leave those figures alone; then what reads them
# all (scorecards, the committee report, open data).
APP_ORDER = [
    "units",
    "indicators",
    "community",
    "projects",
    "feedback",
    "evaluation",
    "reporting",
    "scorecards",  # scores some criteria from the evaluation's figures
    "committee_reports",  # after evaluation and scorecards: its report reads both
    "opendata",  # publishes datasets of the figures the demos above made
]


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (An Giang) với dữ liệu minh họa và chạy máy chủ."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Chỉ tạo dữ liệu, không chạy.")
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Máy chủ phát triển của Django (tự tải lại mã, trang lỗi gỡ rối).",
        )

    def handle(self, *args, no_serve: bool, addrport: str, dev: bool = False, **options):
        started = time.monotonic()
        self.stdout.write("1/4 Tạo và cập nhật cơ sở dữ liệu…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"2/4 Nạp đơn vị hành chính tỉnh {DEMO_PROVINCE}…")
        call_command("load_units", province=DEMO_PROVINCE, verbosity=0)
        province = Unit.objects.in_force().get(code=DEMO_PROVINCE)
        self.stdout.write("3/4 Dữ liệu minh họa…")
        logins = None
        for label in APP_ORDER:
            if label == "indicators":
                logins = accounts_demo.load_demo(province, stdout=self.stdout)
            if not apps.is_installed(f"dxboard.{label}"):
                continue
            try:
                module = importlib.import_module(f"dxboard.{label}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"dxboard.{label}.demo":
                    raise
                continue
            self.stdout.write(f"    – {apps.get_app_config(label).verbose_name}")
            module.load_demo(province, stdout=self.stdout)
        if logins is None:
            logins = accounts_demo.load_demo(province, stdout=self.stdout)
        self.stdout.write(f"4/4 Xong sau {time.monotonic() - started:.0f} giây.\n")
        self._print_logins(logins)
        if not no_serve:
            call_command("serve", addrport, dev=dev)

    def _print_logins(self, logins) -> None:
        self.stdout.write(self.style.SUCCESS("Tài khoản minh họa / demo logins:"))
        password = accounts_demo.DEMO_PASSWORD
        for login in logins:
            where = f" – {login.unit.name}" if login.unit else ""
            self.stdout.write(f"  {login.username:<14} {password}   {login.role_label}{where}")
