"""Factories for the committee's reports; they go through the services."""

from __future__ import annotations

from dxboard.committee_reports import services
from dxboard.committee_reports.models import CommitteeReport
from dxboard.evaluation.tests.web_factories import web_programme
from dxboard.testing import World

SHORTCOMINGS = (
    "Hạ tầng số ở một số xã vùng sâu còn hạn chế.\nNguồn nhân lực chuyên trách còn thiếu."
)
DIRECTIONS = "Tiếp tục đẩy mạnh dịch vụ công trực tuyến toàn trình.\nHoàn thành phủ sóng 4G."


def make_report(world: World, *, period: str = "2024Q1", written: bool = True) -> CommitteeReport:
    """A draft of province 99's committee on programme CT-WEB (see web_factories)."""
    from dxboard.indicators.models import Programme

    if not Programme.objects.filter(code="CT-WEB").exists():
        web_programme()
    report = services.create_report(world.province_officer, "CT-WEB", "99", period)
    if written:
        report = services.save_draft(
            world.province_officer,
            report,
            shortcomings=SHORTCOMINGS,
            directions=DIRECTIONS,
            signer_name="Nguyễn Văn An",
            recipients="Bộ Khoa học và Công nghệ\nThường trực Tỉnh ủy\nUBND tỉnh",
        )
    return report
