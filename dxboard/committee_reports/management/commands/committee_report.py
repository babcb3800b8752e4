"""`dxboard committee-report --programme CODE --unit CODE --period PERIOD --format docx|pdf
--output FILE`: write the current draft of a report (never an issued one) to a file.

The draft is the one of the unit's issuing body for that programme and period; without a
draft, a report with empty narrative parts is written from the live figures, so the
figures can be checked before anybody writes the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from dxboard.committee_reports import content, services
from dxboard.committee_reports.figures import SystemUser, collect
from dxboard.committee_reports.models import CommitteeReport, IssuingBody, ReportStatus
from dxboard.errors import ServiceError
from dxboard.evaluation import services as evaluation


class Command(BaseCommand):
    help = "Ghi dự thảo báo cáo của Ban Chỉ đạo (Word hoặc PDF) ra tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help="Mã chương trình.")
        parser.add_argument("--unit", help="Mã đơn vị (mặc định: đơn vị chủ trì).")
        parser.add_argument("--period", required=True, help="Kỳ: 2026Q1, 2026S1 hoặc 2026.")
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--output", required=True, help="Tệp sẽ ghi.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        output = Path(options["output"])
        try:
            programme, unit, period = evaluation.resolve(
                None, options["programme"], options["unit"], options["period"]
            )
            services._period(period.code)
            draft = (
                CommitteeReport.objects.select_related("body", "programme", "unit")
                .filter(
                    programme=programme,
                    unit=unit,
                    period=period.code,
                    status=ReportStatus.DRAFT,
                )
                .order_by("-updated_at")
                .first()
            )
            user = SystemUser()
            if draft is None:
                body = IssuingBody.objects.filter(unit=unit).order_by("pk").first()
                draft = CommitteeReport(
                    body=body or services.proposed_body(unit),
                    programme=programme,
                    unit=unit,
                    period=period.code,
                    subject=content.default_subject(period),
                )
                self.stderr.write("Chưa có dự thảo; ghi báo cáo chỉ có phần số liệu.")
            data = collect(user, programme, unit, period)
            document = content.build(draft, data, timezone.localdate())
            payload = services.render(document, options["format"])
        except ServiceError as error:
            raise CommandError(str(error)) from error
        try:
            output.write_bytes(payload)
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {output}: {error.strerror}") from error
        self.stdout.write(f"Đã ghi {output} ({len(payload):,} byte).".replace(",", "."))
