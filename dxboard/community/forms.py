"""Forms of the team register pages. They only parse input; services do the saving."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxboard.forms import DATE_WIDGET, BootstrapForm

from .models import ActivityKind, AgeGroup, Gender, MemberRole, TeamStatus


class TeamForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("Thôn, ấp hoặc xã, phường"))
    name = forms.CharField(
        label=_("Tên tổ"),
        max_length=200,
        required=False,
        help_text=_("Để trống thì tên là “Tổ công nghệ số cộng đồng” và tên thôn, ấp."),
    )
    founded_on = forms.DateField(label=_("Ngày thành lập"), required=False, widget=DATE_WIDGET)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50, required=False)
    decision_date = forms.DateField(label=_("Ngày quyết định"), required=False, widget=DATE_WIDGET)
    decision_signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), choices=TeamStatus.choices)
    dissolved_on = forms.DateField(
        label=_("Ngày giải thể"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Khi tổ giải thể; để trống thì lấy ngày hôm nay. Tổ vẫn được tính trong số liệu"
            " các kỳ kết thúc trước ngày này."
        ),
    )

    def __init__(self, *args, units=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            del self.fields["status"]
            del self.fields["dissolved_on"]
            self.fields["unit"].choices = [
                (u.code, f"{u.parent.name} – {u.name}" if _in_commune(u) else u.name)
                for u in sorted(units or [], key=_commune_then_hamlet)
            ]


def _in_commune(unit) -> bool:
    return unit.kind == "hamlet" and unit.parent is not None


def _commune_then_hamlet(unit) -> tuple[str, str]:
    """A commune, then its hamlets, in Vietnamese alphabetical order."""
    if _in_commune(unit):
        return unit.parent.sort_key, unit.sort_key
    return unit.sort_key, ""


class MemberForm(BootstrapForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    role = forms.ChoiceField(label=_("Chức danh trong tổ"), choices=MemberRole.choices)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    gender = forms.ChoiceField(
        label=_("Giới tính"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_year = forms.IntegerField(
        label=_("Năm sinh"), min_value=1900, max_value=2020, required=False
    )
    age_group = forms.ChoiceField(
        label=_("Nhóm tuổi (nếu không rõ năm sinh)"),
        choices=[("", "—"), *AgeGroup.choices],
        required=False,
    )
    organisation = forms.CharField(
        label=_("Đơn vị công tác"),
        max_length=150,
        required=False,
        help_text=_("Ví dụ: Đoàn Thanh niên, Hội Phụ nữ, Công an xã, giáo viên."),
    )
    trained = forms.BooleanField(label=_("Đã được tập huấn"), required=False)
    joined_on = forms.DateField(label=_("Ngày tham gia"), required=False, widget=DATE_WIDGET)


class MemberLeaveForm(BootstrapForm):
    left_on = forms.DateField(
        label=_("Ngày thôi tham gia"),
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        help_text=_("Thành viên vẫn được tính trong số liệu các kỳ kết thúc trước ngày này."),
    )


class ActivityForm(BootstrapForm):
    date = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Nội dung"), choices=ActivityKind.choices)
    people_helped = forms.IntegerField(label=_("Số người được hỗ trợ"), min_value=0, initial=0)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class ImportForm(BootstrapForm):
    unit = forms.ChoiceField(label=_("Đơn vị"))
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units or []]
