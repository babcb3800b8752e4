"""`dxboard compute_community_indicators --period 2025 [--unit 91]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dxboard.community.indicators import publish_indicator_values
from dxboard.errors import ServiceError
from dxboard.units.models import Unit, UnitKind


class Command(BaseCommand):
    help = "Tính số liệu chỉ tiêu Tổ công nghệ số cộng đồng (NL-02, XH-08) từ danh sách tổ."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Kỳ, ví dụ 2025 hoặc 2025Q2.")
        parser.add_argument("--unit", help="Mã tỉnh; mặc định mọi tỉnh.")

    def handle(self, *args, period: str, unit: str | None, **options):
        units = Unit.objects.in_force()
        units = units.filter(code=unit) if unit else units.filter(kind=UnitKind.PROVINCE)
        if not units.exists():
            raise CommandError(f"Không có đơn vị {unit or 'cấp tỉnh'}.")
        for province in units:
            try:
                result = publish_indicator_values(period, province)
            except (ValueError, ServiceError) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{province.code} {province.name}, kỳ {period}: {result.imported} số liệu mới, "
                f"{result.updated} cập nhật, {result.ignored} không đổi."
            )
