"""Forms of the project register pages. They parse input; services save."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from dxboard.forms import DATE_WIDGET, BootstrapForm
from dxboard.units.models import Unit, UnitKind

from . import services
from .models import BudgetSource, ItemKind, ItemStatus


class BudgetField(forms.CharField):
    """A whole number of đồng; "56,8 tỷ" is refused with a message.

    Shown grouped the Vietnamese way (4.300.000.000), which it also reads back.
    """

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return services.parse_budget(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value


KIND_ORDER = [
    UnitKind.NATION,
    UnitKind.PROVINCE,
    UnitKind.DEPARTMENT,
    UnitKind.COMMITTEE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.OTHER,
]


def unit_choices(units: Iterable[Unit]) -> list:
    """Choices grouped by kind (the province, agencies, communes), so long lists stay usable.

    Within a group the units keep the order they came in.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in units:
        groups.setdefault(unit.kind, []).append((unit.code, unit.name))
    if len(groups) == 1:
        return next(iter(groups.values()))
    labels = dict(UnitKind.choices)
    order = {kind: n for n, kind in enumerate(KIND_ORDER)}
    kinds = sorted(groups, key=lambda kind: order.get(kind, len(order)))
    return [(labels.get(kind, kind), groups[kind]) for kind in kinds]


class ItemForm(BootstrapForm):
    plan = forms.ChoiceField(label=_("Kế hoạch"))
    kind = forms.ChoiceField(label=_("Loại"), choices=ItemKind.choices)
    code = forms.CharField(label=_("Mã"), max_length=50)
    name = forms.CharField(label=_("Tên"), max_length=500)
    lead_agency = forms.ChoiceField(label=_("Cơ quan chủ trì"))
    coordinating = forms.MultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Giữ phím Ctrl để chọn nhiều cơ quan."),
    )
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE_WIDGET)
    deadline = forms.DateField(label=_("Hạn hoàn thành"), widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ItemStatus.choices)
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0)
    planned_budget = BudgetField(
        label=_("Kinh phí kế hoạch (đồng)"), required=False, help_text=_("Ví dụ: 2.500.000.000")
    )
    disbursed_budget = BudgetField(label=_("Đã giải ngân (đồng)"), required=False)
    confirm_over_budget = forms.BooleanField(
        label=_("Xác nhận giải ngân vượt kế hoạch"), required=False
    )
    budget_source = forms.ChoiceField(
        label=_("Nguồn vốn"), choices=BudgetSource.choices, initial=BudgetSource.PROVINCIAL
    )

    def __init__(self, *args, plans=(), agencies=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.code, f"{p.name} ({p.years_label})") for p in plans]
        self.fields["lead_agency"].choices = unit_choices(agencies)
        self.fields["coordinating"].choices = unit_choices(units)

    def clean(self):
        data = super().clean()
        start, deadline = data.get("start_date"), data.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", _("Hạn hoàn thành không được trước ngày bắt đầu."))
        return data


class UpdateForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ItemStatus.choices)
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    disbursed_budget = BudgetField(label=_("Đã giải ngân (đồng)"), required=False)
    confirm_over_budget = forms.BooleanField(
        label=_("Xác nhận giải ngân vượt kế hoạch"), required=False
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(BootstrapForm):
    owner_unit = forms.ChoiceField(label=_("Đơn vị ban hành"))
    code = forms.CharField(
        label=_("Mã"),
        max_length=50,
        help_text=_("Chữ không dấu, số, dấu gạch; ví dụ KH-CDS-2026."),
    )
    name = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    year_from = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    legal_reference = forms.CharField(
        label=_("Văn bản ban hành"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Kế hoạch số 125/KH-UBND ngày 20/01/2026"),
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = unit_choices(owners)

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_to < year_from:
            self.add_error("year_to", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        return data


class DocumentForm(BootstrapForm):
    number = forms.CharField(label=_("Số hiệu"), max_length=50, help_text=_("Ví dụ: 301/QĐ-UBND"))
    date = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE_WIDGET)
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    url = forms.URLField(
        label=_("Đường dẫn"),
        required=False,
        assume_scheme="https",
        help_text=_("Nếu văn bản có trên cổng thông tin hoặc hệ thống quản lý văn bản."),
    )


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
