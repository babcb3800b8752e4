"""Forms of the committee's reports: they parse input; the services check and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dxboard.forms import BootstrapForm


class CreateForm(BootstrapForm):
    programme = forms.ChoiceField(label=_("Chương trình"))
    unit = forms.ChoiceField(label=_("Đơn vị"))
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        max_length=10,
        help_text=_("Quý 2026Q1, 6 tháng 2026S1 hoặc năm 2026."),
    )
    from_previous = forms.BooleanField(
        label=_("Bắt đầu từ nội dung báo cáo kỳ trước"), required=False, initial=True
    )

    def __init__(self, *args, programmes=(), units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        programme, unit = self.fields["programme"], self.fields["unit"]
        assert isinstance(programme, forms.ChoiceField) and isinstance(unit, forms.ChoiceField)
        programme.choices = [(p.code, p.name) for p in programmes]
        unit.choices = [(u.code, u.name) for u in units]


class DraftForm(BootstrapForm):
    # Limits are checked by the service (with the count in the message); the form lets a
    # long paste through so the officer sees that message rather than a truncated text.
    subject = forms.CharField(label=_("Trích yếu"), max_length=1000)
    shortcomings = forms.CharField(
        label=_("II. Tồn tại, hạn chế"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Mỗi đoạn một dòng; tối đa 20.000 ký tự."),
    )
    directions = forms.CharField(
        label=_("III. Phương hướng, nhiệm vụ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    signer_authority = forms.CharField(label=_("Quyền hạn ký"), required=False, max_length=1000)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=1000)
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=1000)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận; dòng “Lưu: VT.” được thêm tự động."),
    )
