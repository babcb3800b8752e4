"""`dxboard load-catalogue`: the default indicator catalogue (idempotent)."""

from django.core.management.base import BaseCommand

from dxboard.indicators.services import load_catalogue


class Command(BaseCommand):
    help = "Nạp danh mục chỉ tiêu mặc định (chạy lại nhiều lần không sao)."

    def handle(self, *args, **options):
        summary = load_catalogue().as_dict()
        reports = summary["typeReports"]
        self.stdout.write(
            self.style.SUCCESS(
                "Đã nạp danh mục: {e} phần tử số liệu ({ec} mới), {i} chỉ tiêu ({ic} mới).".format(
                    e=reports["dataElements"]["created"] + reports["dataElements"]["updated"],
                    ec=reports["dataElements"]["created"],
                    i=reports["indicators"]["created"] + reports["indicators"]["updated"],
                    ic=reports["indicators"]["created"],
                )
            )
        )
