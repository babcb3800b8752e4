"""Demo: 20 report forms like seed 002, past periods mostly approved, the current period
with 17 of 20 forms complete and 3 still being updated. Running it twice changes nothing.

Figures go through `save_values`. Past figures of the programme's indicators come from
the evaluation demo, which leaves alone any data element that already has values: the
`demo` command therefore runs it before this one (`APP_ORDER`), then this demo adds the
current period.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterable

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dxboard.accounts.models import User
from dxboard.collection.models import DataValue
from dxboard.collection.values import ValueRow, save_values
from dxboard.indicators.catalogue import ENTRIES, element_codes
from dxboard.indicators.models import DataElement
from dxboard.reporting.models import (
    FormAssignment,
    FormField,
    FormSection,
    ReportForm,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    ValidationRule,
)
from dxboard.reporting.services.calendar import end_of_day, period_info, reporting_period
from dxboard.reporting.services.forms import expected_unit_ids
from dxboard.units.models import Unit, UnitGroup, UnitKind

PAST_PERIODS = 4
STILL_UPDATING = {"BM-01", "BM-09", "BM-14"}
C, D = UnitKind.COMMUNE, UnitKind.DEPARTMENT
# code, name, period type, who reports (a unit kind, "group:CODE" or "unit:CODE"),
# sections: (title, [indicator codes of the default catalogue]).
FORMS: list[tuple[str, str, str, str, list[tuple[str, list[str]]]]] = [
    ("BM-01", "Hạ tầng số cấp xã", "quarter", C,
     [("I. Internet băng rộng", ["HT-01", "HT-02"]), ("II. Phủ sóng, thiết bị", ["HT-03", "HT-04", "HT-05"])]),
    ("BM-02", "Dịch vụ công trực tuyến cấp xã", "quarter", C,
     [("I. Thủ tục hành chính", ["CQ-01", "CQ-02"]), ("II. Hồ sơ", ["CQ-03", "CQ-04", "CQ-05"])]),
    ("BM-03", "Xử lý văn bản, hồ sơ công việc cấp xã", "quarter", C,
     [("I. Văn bản điện tử", ["CQ-07", "CQ-08"])]),
    ("BM-04", "Xã hội số cấp xã", "quarter", C,
     [("I. Người dân trên môi trường số", ["XH-01", "XH-04", "XH-05"])]),
    ("BM-05", "Nhân lực số cấp xã", "half_year", C,
     [("I. Bồi dưỡng, tập huấn", ["NL-01", "NL-03"]), ("II. Phổ cập kỹ năng số", ["NL-04"])]),
    ("BM-06", "Thanh toán không dùng tiền mặt", "quarter", C,
     [("I. Tài khoản thanh toán", ["XH-02"])]),
    ("BM-07", "Hoạt động Ban Chỉ đạo chuyển đổi số cấp xã", "quarter", C,
     [("I. Họp và chỉ đạo", ["NT-02", "NT-03"])]),
    ("BM-08", "Y tế số cấp xã", "half_year", C,
     [("I. Hồ sơ sức khỏe, khám từ xa", ["XH-03", "XH-06"])]),
    ("BM-09", "Chính quyền số của sở, ngành", "quarter", D,
     [("I. Văn bản, hồ sơ công việc", ["CQ-07", "CQ-08"]), ("II. Hài lòng", ["CQ-09"])]),
    ("BM-10", "An toàn thông tin mạng", "half_year", D,
     [("I. Cấp độ an toàn", ["AT-01", "AT-02"]), ("II. Giám sát, phòng chống mã độc", ["AT-03", "AT-04"])]),
    ("BM-11", "Dữ liệu mở của tỉnh", "half_year", "unit:AG-SKHCN",
     [("I. Dữ liệu mở", ["TC-03"])]),
    ("BM-12", "Kế hoạch chuyển đổi số năm", "year", D,
     [("I. Kế hoạch", ["TC-01", "TC-02"])]),
    ("BM-13", "Kinh tế số", "year", "unit:AG-STC",
     [("I. Kinh tế số", ["KT-01", "KT-02", "KT-05"])]),
    ("BM-14", "Doanh nghiệp số", "half_year", "unit:AG-SCT",
     [("I. Doanh nghiệp", ["KT-03", "KT-04", "KT-06"])]),
    ("BM-15", "Viễn thông, băng rộng", "quarter", "unit:AG-SKHCN",
     [("I. Thuê bao", ["HT-06", "HT-07"]), ("II. Tốc độ", ["HT-08"])]),
    ("BM-16", "Điện toán đám mây, trung tâm dữ liệu", "half_year", "unit:AG-SKHCN",
     [("I. Hệ thống dùng chung", ["HT-09"])]),
    ("BM-17", "Hồ sơ thủ tục hành chính cấp tỉnh", "month", "unit:AG-TTPVHCC",
     [("I. Hồ sơ", ["CQ-03", "CQ-05", "CQ-06"]), ("II. Công khai", ["CQ-10"])]),
    ("BM-18", "Nhận thức số của sở, ngành", "half_year", D,
     [("I. Chỉ đạo", ["NT-02", "NT-04", "NT-05"])]),
    ("BM-19", "Xã thí điểm chuyển đổi số", "quarter", "group:XA-THI-DIEM-2021",
     [("I. Kết quả thí điểm", ["HT-02", "XH-07"])]),
    ("BM-20", "Nhân lực số của sở, ngành", "half_year", D,
     [("I. Bồi dưỡng", ["NL-01"])]),
]  # fmt: skip


def load_demo(province: Unit, *, stdout) -> None:
    if not DataElement.objects.filter(code="HT-01-TU").exists():
        call_command("load_catalogue", stdout=io.StringIO())
    forms = _forms(province)
    writer = User.objects.filter(username="so.khcn", is_active=True).first()
    expected = expected_unit_ids(forms)
    today = timezone.localdate()
    created = 0
    rows: list[ValueRow] = []
    for form in forms:
        current = reporting_period(form, today)
        periods = [current]
        for _step in range(PAST_PERIODS):
            periods.append(periods[-1].previous())
        units = sorted(expected[form.pk])
        for period in periods:
            created += _submissions(form, period, units, current=period == current, today=today)
        rows.extend(_values(form, periods[:3], units))
    summary = None
    if rows:
        summary = save_values(writer, rows, "web" if writer else "computed", atomic=False)
    stdout.write(
        f"      {len(forms)} biểu mẫu, {created} báo cáo mới"
        + (f", {summary.imported} số liệu mới" if summary else "")
    )


def _elements() -> dict[str, list[str]]:
    return {entry.code: [c for c in element_codes(entry) if c] for entry in ENTRIES}


@transaction.atomic
def _forms(province: Unit) -> list[ReportForm]:
    by_indicator = _elements()
    elements = {e.code: e for e in DataElement.objects.all()}
    result = []
    for code, name, period_type, who, sections in FORMS:
        form, _created = ReportForm.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "period_type": period_type,
                "owner_unit": province,
                "description": "Biểu mẫu minh họa theo kế hoạch chuyển đổi số của tỉnh.",
            },
        )
        result.append(form)
        if not form.assignments.exists():
            _assign(form, province, who)
        for order, (title, indicators) in enumerate(sections, start=1):
            section, _created = FormSection.objects.get_or_create(
                form=form, order=order, defaults={"title": title}
            )
            codes = [c for i in indicators for c in by_indicator.get(i, [])]
            for position, element_code in enumerate(codes):
                element = elements.get(element_code)
                if element is None:
                    continue
                if not FormField.objects.filter(form=form, data_element=element).exists():
                    FormField.objects.create(section=section, data_element=element, order=position)
    bm07 = next(f for f in result if f.code == "BM-07")
    if not bm07.rules.exists() and "NT-03-MAU" in elements:
        ValidationRule.objects.create(
            form=bm07,
            left="#{NT-03-MAU}",
            operator=">=",
            right="#{NT-02}",
            importance="warning",
            message="Tổng số cuộc họp về chuyển đổi số thường không ít hơn số cuộc họp BCĐ",
        )
    return result


def _assign(form: ReportForm, province: Unit, who: str) -> None:
    if who.startswith("unit:"):
        unit = Unit.objects.in_force().filter(code=who[5:]).first()
        if unit is None:
            unit = Unit.objects.in_force().filter(parent=province, kind=UnitKind.DEPARTMENT).first()
        if unit is not None:
            FormAssignment.objects.create(form=form, unit=unit)
    elif who.startswith("group:"):
        group = UnitGroup.objects.filter(code=who[6:]).first()
        if group is not None:
            FormAssignment.objects.create(form=form, unit_group=group)
        else:
            FormAssignment.objects.create(form=form, unit_kind=UnitKind.COMMUNE)
    else:
        FormAssignment.objects.create(form=form, unit_kind=who)


def _submissions(form, period, unit_ids: Iterable[int], *, current: bool, today) -> int:
    info = period_info(form, period, today=today, lookup=False)
    existing = set(
        Submission.objects.filter(form=form, period=period.code).values_list("unit_id", flat=True)
    )
    deadline = end_of_day(info.deadline)
    now = timezone.now()
    new: list[Submission] = []
    for index, unit_id in enumerate(unit_ids):
        if unit_id in existing:
            continue
        rng = random.Random(f"dxboard-forms-{form.code}-{unit_id}-{period.code}")
        if current:
            # A form still being updated has at least one unit that has not submitted.
            if form.code in STILL_UPDATING and (index == 0 or rng.random() < 0.2):
                if rng.random() < 0.5:
                    new.append(Submission(form=form, unit_id=unit_id, period=period.code))
                continue
            at = min(now, deadline) - dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 9))
            status = SubmissionStatus.APPROVED if rng.random() < 0.3 else SubmissionStatus.SUBMITTED
        else:
            late = rng.random() < 0.12
            at = deadline + (
                dt.timedelta(days=rng.randint(1, 9))
                if late
                else -dt.timedelta(days=rng.randint(0, 8), hours=rng.randint(1, 9))
            )
            status = (
                SubmissionStatus.APPROVED if rng.random() < 0.95 else SubmissionStatus.SUBMITTED
            )
        new.append(
            Submission(
                form=form,
                unit_id=unit_id,
                period=period.code,
                status=status,
                first_submitted_at=at,
                submitted_at=at,
                approved_at=at + dt.timedelta(days=2)
                if status == SubmissionStatus.APPROVED
                else None,
                created_at=at,
                updated_at=at,
            )
        )
    created = Submission.objects.bulk_create(new, ignore_conflicts=True)
    saved = Submission.objects.filter(
        form=form, period=period.code, unit_id__in=[s.unit_id for s in new]
    )
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(
            submission=s,
            at=s.submitted_at or s.created_at,
            from_status="draft",
            to_status=s.status,
            note="Dữ liệu minh họa",
        )
        for s in saved
        if s.status != SubmissionStatus.DRAFT
    )
    return len(created)


def _values(form, periods, unit_ids: list[int]) -> list[ValueRow]:
    """Plausible figures for the given periods where none exist yet.

    Each figure grows a little from the unit's figure of the period before, so that the
    "last period" column and the jump check tell a consistent story.
    """
    fields = list(form.fields.select_related("data_element"))
    codes = [f.data_element.code for f in fields]
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "code"))
    ordered = sorted(periods, key=lambda p: p.start)
    all_codes = [p.code for p in ordered] + [ordered[0].previous().code]
    known: dict[tuple[str, int, str], float] = {
        (code, unit_id, period): float(value)
        for code, unit_id, period, value in DataValue.objects.filter(
            data_element__code__in=codes, unit_id__in=unit_ids, period__in=all_codes
        ).values_list("data_element__code", "unit_id", "period", "value")
        if value is not None
    }
    reported = set(
        Submission.objects.filter(form=form, period__in=[p.code for p in ordered])
        .exclude(status=SubmissionStatus.DRAFT)
        .values_list("unit_id", "period")
    )
    # Denominators first, so that a numerator can be kept below its denominator.
    codes.sort(key=lambda c: (not c.endswith("-MAU"), c))
    rows = []
    for period in ordered:
        before = period.previous().code
        for unit_id in unit_ids:
            if (unit_id, period.code) not in reported:
                continue
            rng = random.Random(f"dxboard-values-{form.code}-{unit_id}-{period.code}")
            size = random.Random(f"dxboard-size-{unit_id}").randint(200, 3000)
            for code in codes:
                key = (code, unit_id, period.code)
                if key in known:
                    continue
                previous = known.get((code, unit_id, before))
                if code.endswith("-MAU"):
                    value = round(previous * rng.uniform(1.0, 1.03)) if previous else size
                elif code.endswith("-TU"):
                    ceiling = known.get((code[:-3] + "-MAU", unit_id, period.code), size)
                    guess = previous * rng.uniform(1.0, 1.08) if previous else None
                    value = round(min(guess or ceiling * rng.uniform(0.45, 0.9), ceiling))
                else:
                    value = previous if previous is not None else rng.randint(2, 12)
                known[key] = value
                rows.append(ValueRow(code, period.code, units[unit_id], value))
    return rows
