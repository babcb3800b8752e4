"""Web forms for units and unit groups. They only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dxboard.forms import ServiceErrorsMixin

from .models import UnitKind
from .services import LOCAL_KINDS


class UnitForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=50)
    name = forms.CharField(label=_("Tên"), max_length=200)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=UnitKind.choices)
    division_type = forms.CharField(
        label=_("Loại đơn vị hành chính"),
        max_length=30,
        required=False,
        help_text=_("Ví dụ: ấp, khóm, thôn, tổ dân phố, sở."),
    )
    parent = forms.CharField(
        label=_("Mã đơn vị cấp trên"),
        max_length=50,
        required=False,
        help_text=_("Ví dụ: 30313 (mã xã) hoặc 91 (mã tỉnh)."),
    )
    valid_from = forms.DateField(label=_("Hiệu lực từ"), required=False)
    population = forms.IntegerField(label=_("Dân số"), min_value=0, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Người liên hệ"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def __init__(self, *args, user=None, official: bool = False, current_kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.is_superuser and not official:
            allowed = {*LOCAL_KINDS, current_kind}
            self.fields["kind"].choices = [(k.value, k.label) for k in UnitKind if k in allowed]
        if official:
            # Official units keep the number and kind the State gave them.
            for name in ("code", "kind"):
                self.fields[name].disabled = True


class GroupForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Mã nhóm"), max_length=50)
    name = forms.CharField(label=_("Tên nhóm"), max_length=200)
    owner_unit = forms.CharField(
        label=_("Mã đơn vị quản lý nhóm"), max_length=50, help_text=_("Ví dụ: 91")
    )
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea)

    service_error_fields = {"parent": "owner_unit"}  # the service names the owner "parent"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV (UTF-8) hoặc Excel (.xlsx)"),
        help_text=_("Dùng tệp mẫu; tối đa 5 MB."),
    )
