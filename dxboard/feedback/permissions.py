"""Who may act on citizen field reports.

Registered in `dxboard.permissions`; `dxboard/tests/permissions_snapshot.txt` lists them.
"""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

HANDLE = Action(
    "feedback.handle",
    (
        Role.FEEDBACK_HANDLER,
        Role.ADMIN,
    ),
    "Tiếp nhận, chuyển, xử lý phản ánh của đơn vị.",
)
EDIT_HOLIDAYS = Action(
    "feedback.edit_holidays",
    (
        Role.PROVINCE_OFFICER,
        Role.ADMIN,
    ),
    "Sửa lịch ngày nghỉ (tại cấp tỉnh trở lên).",
)

ACTIONS = [HANDLE, EDIT_HOLIDAYS]
