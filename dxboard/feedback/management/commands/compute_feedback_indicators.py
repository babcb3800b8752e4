"""`dxboard compute_feedback_indicators --period 2025Q3 [--unit 91]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dxboard.errors import InvalidInput
from dxboard.periods import InvalidPeriod, parse_period
from dxboard.units.models import Unit, UnitKind

from ...indicators import publish_indicator_values


class Command(BaseCommand):
    help = "Tính số liệu chỉ tiêu CQ-11, CQ-12, CQ-13 từ phản ánh hiện trường cho một kỳ."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Kỳ báo cáo, ví dụ 2025Q3, 202507.")
        parser.add_argument("--unit", help="Mã tỉnh (mặc định: mọi tỉnh đang hiệu lực).")

    def handle(self, *args, period: str, unit: str | None, **options):
        try:
            parse_period(period)
        except InvalidPeriod as error:
            raise CommandError(f"Kỳ “{period}” không hợp lệ: {error}") from error
        units = Unit.objects.in_force()
        units = units.filter(code=unit) if unit else units.filter(kind=UnitKind.PROVINCE)
        if not units.exists():
            raise CommandError(f"Không tìm thấy đơn vị “{unit}”.")
        for target in units:
            try:
                count = publish_indicator_values(period, target)
            except InvalidInput as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{target.code} {target.name}: đã ghi {count} giá trị kỳ {period}.")
