"""Forms of the project register pages. They parse input; services save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dxboard.community.forms import DATE_WIDGET, BootstrapForm

from . import services
from .models import BudgetSource, ItemKind, ItemStatus


class BudgetField(forms.CharField):
    """A whole number of đồng; "56,8 tỷ" is refused with a message."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return services.parse_budget(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class ItemForm(BootstrapForm):
    plan = forms.ChoiceField(label=_("Kế hoạch"))
    kind = forms.ChoiceField(label=_("Loại"), choices=ItemKind.choices)
    code = forms.CharField(label=_("Mã"), max_length=50)
    name = forms.CharField(label=_("Tên"), max_length=500)
    lead_agency = forms.ChoiceField(label=_("Cơ quan chủ trì"))
    coordinating = forms.MultipleChoiceField(
        label=_("Cơ quan phối hợp"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    start_date = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE_WIDGET)
    deadline = forms.DateField(label=_("Hạn hoàn thành"), widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=ItemStatus.choices)
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0)
    planned_budget = BudgetField(
        label=_("Kinh phí kế hoạch (đồng)"), required=False, help_text=_("Ví dụ: 2.500.000.000")
    )
    disbursed_budget = BudgetField(label=_("Đã giải ngân (đồng)"), required=False)
    budget_source = forms.ChoiceField(label=_("Nguồn vốn"), choices=BudgetSource.choices)

    def __init__(self, *args, plans=(), agencies=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.code, f"{p.name} ({p.years_label})") for p in plans]
        self.fields["lead_agency"].choices = [(u.code, u.name) for u in agencies]
        self.fields["coordinating"].choices = [(u.code, u.name) for u in units]

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
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
