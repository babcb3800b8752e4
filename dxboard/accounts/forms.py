from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: Đồng bộ IOC tỉnh"),
    )
    expires_in_days = forms.IntegerField(
        label=_("Hết hạn sau (ngày)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Để trống nếu không hết hạn."),
    )
