"""Demo data: the province's steering committee, its issued report on 2024 (seed 001's
year: 24 targets, 7 met) and the draft of the last finished quarter, on the demo
programme (`evaluation.demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dxboard.accounts.models import User
from dxboard.indicators.models import Programme
from dxboard.periods import PeriodType, last_finished
from dxboard.units.models import Unit

from . import services
from .models import CommitteeReport, IssuingBody

PROGRAMME_CODE = "CTR-553-2021"
SHORTCOMINGS = (
    "Hạ tầng viễn thông tại một số ấp vùng sâu, vùng biên giới chưa bảo đảm; còn điểm lõm sóng.\n"
    "Tỷ lệ hồ sơ trực tuyến toàn trình ở một số xã còn thấp; người dân chưa quen thao tác.\n"
    "Nhân lực chuyên trách chuyển đổi số cấp xã còn thiếu, phải kiêm nhiệm."
)
DIRECTIONS = (
    "Tiếp tục phát triển hạ tầng số, xóa điểm lõm sóng, phủ sóng 4G/5G đến các ấp.\n"
    "Đẩy mạnh dịch vụ công trực tuyến toàn trình; Tổ công nghệ số cộng đồng hướng dẫn người dân.\n"
    "Hoàn thành các chỉ tiêu chưa đạt trước ngày 31/12/2025."
)


def load_demo(province: Unit, *, stdout: Any = None, today: dt.date | None = None) -> None:
    officer = User.objects.filter(username="so.khcn").first()
    if officer is None or not Programme.objects.filter(code=PROGRAMME_CODE).exists():
        return
    IssuingBody.objects.get_or_create(
        unit=province,
        symbol="BC-BCĐ",
        defaults={
            "parent_name": f"UBND {province.name.upper()}",
            "name": (
                "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ"
            ),
            "place": province.name.removeprefix("Tỉnh "),
        },
    )
    if CommitteeReport.objects.filter(unit=province).exists():
        return
    common = {
        "shortcomings": SHORTCOMINGS,
        "directions": DIRECTIONS,
        "signer_name": "Nguyễn Văn Phong",
        "recipients": (
            "Ban Chỉ đạo Trung ương\nBộ Khoa học và Công nghệ\nThường trực Tỉnh ủy\n"
            "Thành viên Ban Chỉ đạo"
        ),
    }
    year = services.create_report(officer, PROGRAMME_CODE, province.code, "2024")
    year = services.save_draft(officer, year, **common)
    services.issue(officer, year, issued_on=dt.date(2025, 1, 5))
    quarter = last_finished(PeriodType.QUARTER, today or timezone.localdate())
    draft = services.create_report(officer, PROGRAMME_CODE, province.code, quarter.code)
    services.save_draft(officer, draft, **common)
    if stdout is not None:
        stdout.write(f"      báo cáo Ban Chỉ đạo: số 01/BC-BCĐ năm 2024 và dự thảo {quarter.label}")
