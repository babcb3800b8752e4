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

# A commune's own officers handle what is routed to their commune (issue 20): in the
# first week a ward has reporters and a leader, rarely a dedicated feedback handler. The
# role must be held on the commune itself (not on the province above it), and gives no
# supervision: closing and extensions stay with the unit above.
HANDLE_OWN_COMMUNE = Action(
    "feedback.handle_own_commune",
    (
        Role.REPORTER,
        Role.APPROVER,
    ),
    "Cán bộ của xã, phường xử lý phản ánh được chuyển cho chính xã, phường mình.",
)

ACTIONS = [HANDLE, HANDLE_OWN_COMMUNE, EDIT_HOLIDAYS, IMPORT_FORMER_REPORTS]
