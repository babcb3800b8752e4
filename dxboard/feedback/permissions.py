"""Actions of the feedback app and the roles that may perform them (see dxboard/permissions.py)."""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

ACTIONS: list[Action] = [
    Action(
        "feedback.import_former_reports",
        (Role.PROVINCE_OFFICER, Role.ADMIN),
        "Nhập phản ánh từ hệ thống cũ của tỉnh (giữ thời điểm và lịch sử gốc).",
    ),
]
