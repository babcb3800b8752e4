"""Demo: the province publishes six datasets, one of each kind the demo has figures for.

Runs after the other apps' demos (it reads their programme, registers and forms);
running it twice changes nothing but the periods that follow today's date.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dxboard.accounts.models import Membership, Role
from dxboard.evaluation.demo import PROGRAMME_CODE
from dxboard.indicators.models import Programme
from dxboard.opendata import services
from dxboard.opendata.models import Dataset, Frequency, SourceKind, Theme
from dxboard.periods import PeriodType, last_finished
from dxboard.reporting.models import ReportForm
from dxboard.units.models import Unit

FORM_CODE = "BM-02"


def _officer(province: Unit) -> Any:
    membership = (
        Membership.objects.filter(unit=province, role=Role.PROVINCE_OFFICER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise RuntimeError("the accounts demo creates the province officer first")
    return membership.user


def _specs(province: Unit) -> list[dict[str, Any]]:
    quarter = last_finished(PeriodType.QUARTER, timezone.localdate())
    recent = quarter.previous().previous().code
    contact = {
        "contact_name": "Phòng Chuyển đổi số, Sở Khoa học và Công nghệ",
        "contact_email": "chuyendoiso@angiang.gov.vn",
    }
    specs: list[dict[str, Any]] = [
        {
            "name": "ket-qua-chi-tieu-chuyen-doi-so",
            "title": "Kết quả thực hiện chỉ tiêu chuyển đổi số theo xã, phường và quý",
            "title_en": "Digital transformation indicator results by commune and quarter",
            "description": (
                "Giá trị thực hiện, mục tiêu, tỷ lệ đạt và mức đạt của từng chỉ tiêu thuộc "
                "Chương trình chuyển đổi số của tỉnh, cho toàn tỉnh và từng xã, phường."
            ),
            "description_en": (
                "Actual, target, achievement and status of each indicator of the provincial "
                "digital transformation programme, for the province and every commune."
            ),
            "source": SourceKind.EVALUATION,
            "programme": Programme.objects.filter(code=PROGRAMME_CODE).first(),
            "period_start": "2024Q1",
            "period_end": "2024Q4",
            "theme": Theme.GOVERNMENT,
            "keywords": ["chuyển đổi số", "chỉ tiêu", "chính quyền số"],
        },
        {
            "name": "thong-ke-phan-anh-hien-truong",
            "title": "Thống kê phản ánh hiện trường theo lĩnh vực và xã, phường",
            "title_en": "Citizen field reports by category and commune",
            "description": (
                "Số phản ánh tiếp nhận, đã giải quyết, đúng hạn và quá hạn theo quý. "
                "Không có thông tin về người phản ánh và nội dung phản ánh."
            ),
            "description_en": "Received, resolved, on-time and overdue reports per quarter.",
            "source": SourceKind.FEEDBACK,
            "period_start": "2025Q1",
            "period_end": "2025Q4",
            "theme": Theme.SOCIETY,
            "keywords": ["phản ánh hiện trường", "IOC"],
        },
        {
            "name": "to-cong-nghe-so-cong-dong",
            "title": "Tổ công nghệ số cộng đồng theo xã, phường",
            "title_en": "Community digital technology teams by commune",
            "description": "Số tổ, số thành viên và số thôn, ấp có tổ của từng xã, phường.",
            "description_en": "Teams, members and hamlets with a team in each commune.",
            "source": SourceKind.COMMUNITY,
            "period_start": recent,
            "period_end": quarter.code,
            "theme": Theme.SOCIETY,
            "keywords": ["tổ công nghệ số cộng đồng", "xã hội số"],
        },
        {
            "name": "du-an-chuyen-doi-so-2025",
            "title": "Nhiệm vụ, dự án chuyển đổi số năm 2025 và kinh phí",
            "title_en": "Digital transformation tasks and projects 2025 with budgets",
            "description": "Đơn vị chủ trì, thời hạn, tiến độ, kinh phí kế hoạch và đã giải ngân.",
            "description_en": "Lead agency, deadline, progress, planned and disbursed budget.",
            "source": SourceKind.PROJECTS,
            "period_start": "2025",
            "period_end": "2025",
            "frequency": Frequency.MONTHLY,
            "theme": Theme.ECONOMY,
            "keywords": ["dự án", "kinh phí", "chuyển đổi số"],
        },
    ]
    specs.append(
        {
            "name": "ket-qua-bang-diem-chuyen-doi-so",
            "title": "Kết quả đánh giá chỉ số chuyển đổi số các sở, ngành và xã, phường",
            "title_en": "Digital transformation index results of departments and communes",
            "description": (
                "Tổng điểm và xếp hạng đã công bố của từng đơn vị, theo bộ chỉ số "
                "(sở, ban, ngành; xã, phường, đặc khu) và năm."
            ),
            "description_en": "Published total scores and ranks per scorecard and year.",
            "source": SourceKind.SCORECARDS,
            "period_start": "2024",
            "period_end": "2025",
            "frequency": Frequency.ANNUAL,
            "theme": Theme.GOVERNMENT,
            "keywords": ["chỉ số chuyển đổi số", "xếp hạng", "DTI"],
        }
    )
    if ReportForm.objects.filter(code=FORM_CODE).exists():
        specs.append(
            {
                "name": "tinh-hinh-nop-bao-cao-bm-02",
                "title": "Tình hình nộp báo cáo dịch vụ công trực tuyến cấp xã",
                "title_en": "Reporting completeness of the commune online services form",
                "description": "Xã, phường đã nộp hay chưa nộp biểu mẫu BM-02, đúng hạn hay trễ.",
                "description_en": "Which communes submitted form BM-02, on time or late.",
                "source": SourceKind.COMPLETENESS,
                "report_form_code": FORM_CODE,
                "period_start": recent,
                "period_end": quarter.next().code,
                "theme": Theme.GOVERNMENT,
                "keywords": ["báo cáo định kỳ", "chính quyền số"],
            }
        )
    return [{**contact, **spec} for spec in specs]


def load_demo(province: Unit, *, stdout: Any = None) -> None:
    officer = _officer(province)
    published = 0
    for spec in _specs(province):
        if spec["source"] == SourceKind.EVALUATION and spec["programme"] is None:
            continue
        fields = {"publisher": province, "coverage": province, **spec}
        existing = Dataset.objects.filter(name=spec["name"]).first()
        if existing is None:
            services.create_dataset(officer, **fields)
        else:
            services.update_dataset(officer, existing, **fields)
        published += 1
    if stdout is not None:
        stdout.write(f"      {published} bộ dữ liệu mở tại /data/\n")
