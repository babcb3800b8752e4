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

IMPORT_FORMER_REPORTS = Action(
    "feedback.import_former_reports",
    (Role.PROVINCE_OFFICER, Role.ADMIN),
    "Nhập phản ánh từ hệ thống cũ của tỉnh (giữ thời điểm và lịch sử gốc).",
)

ACTIONS = [HANDLE, EDIT_HOLIDAYS, IMPORT_FORMER_REPORTS]
