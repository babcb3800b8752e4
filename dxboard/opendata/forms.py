"""The form a province officer fills to choose and describe a dataset (services save)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxboard import permissions
from dxboard.forms import BootstrapForm
from dxboard.indicators.models import Programme
from dxboard.indicators.services import list_programmes
from dxboard.opendata.models import Dataset, Frequency, Licence, SourceKind, Theme
from dxboard.reporting.models import ReportForm
from dxboard.units.models import Unit, UnitKind


class DatasetForm(BootstrapForm):
    name = forms.SlugField(label=_("Tên định danh"), max_length=100)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    title_en = forms.CharField(label=_("Tiêu đề tiếng Anh"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Mô tả"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Mô tả tiếng Anh"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    source = forms.ChoiceField(label=_("Nguồn số liệu"), choices=SourceKind.choices)
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Chương trình (với kết quả chỉ tiêu)"), queryset=None, required=False
    )
    report_form_code = forms.ChoiceField(
        label=_("Biểu mẫu (với tình hình nộp báo cáo)"), choices=(), required=False
    )
    publisher: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Đơn vị công bố"), queryset=None
    )
    coverage: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Phạm vi không gian"),
        queryset=None,
        help_text=_("Số liệu của đơn vị này và các đơn vị trực thuộc."),
    )
    period_start = forms.CharField(
        label=_("Từ kỳ"), max_length=10, help_text=_("Mã kỳ: 2024, 2024Q1, 202401.")
    )
    period_end = forms.CharField(label=_("Đến kỳ"), max_length=10)
    licence = forms.ChoiceField(label=_("Giấy phép"), choices=Licence.choices)
    frequency = forms.ChoiceField(
        label=_("Tần suất cập nhật"), choices=Frequency.choices, initial=Frequency.QUARTERLY
    )
    theme = forms.ChoiceField(label=_("Chủ đề"), choices=Theme.choices)
    keywords = forms.CharField(
        label=_("Từ khóa"), required=False, help_text=_("Cách nhau bằng dấu phẩy.")
    )
    contact_name = forms.CharField(
        label=_("Đầu mối liên hệ"),
        max_length=200,
        help_text=_("Tên phòng, đơn vị; không ghi tên cá nhân."),
    )
    contact_email = forms.EmailField(label=_("Thư điện tử liên hệ"))
    published = forms.BooleanField(label=_("Công khai"), required=False, initial=True)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        publishers = permissions.units_for(user, "opendata.manage").in_force()
        self.fields["publisher"].queryset = publishers.order_by("sort_key")  # type: ignore[attr-defined]
        self.fields["coverage"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.visible_to(user)
            .in_force()
            .exclude(kind=UnitKind.HAMLET)
            .order_by("depth", "sort_key")
        )
        self.fields["programme"].queryset = list_programmes(user).order_by("code")  # type: ignore[attr-defined]
        # Most officers publish for their own province: start from it.
        first = publishers.order_by("depth", "sort_key").first()
        if first is not None:
            self.fields["publisher"].initial = first.pk
            self.fields["coverage"].initial = first.pk
        forms_ = ReportForm.objects.order_by("code").values_list("code", "name")
        self.fields["report_form_code"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((code, f"{code} – {name}") for code, name in forms_),
        ]

    @staticmethod
    def initial_for(dataset: Dataset) -> dict[str, Any]:
        fields = [f for f in DatasetForm.base_fields if f != "keywords"]
        initial = {f: getattr(dataset, f) for f in fields}
        initial["keywords"] = ", ".join(dataset.keywords)
        return initial
