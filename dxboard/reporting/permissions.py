"""Who may act on periodic reports.

Registered in `dxboard.permissions`; `dxboard/tests/permissions_snapshot.txt` lists them.
"""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

SUBMIT = Action(
    "reporting.submit",
    (
        Role.REPORTER,
        Role.PROVINCE_OFFICER,
        Role.ADMIN,
    ),
    "Nhập và nộp báo cáo của đơn vị (cùng vai trò với collection.write_values).",
)
APPROVE = Action(
    "reporting.approve",
    (
        Role.APPROVER,
        Role.ADMIN,
    ),
    "Duyệt hoặc trả lại báo cáo đã nộp.",
)
REOPEN = Action(
    "reporting.reopen",
    (
        Role.PROVINCE_OFFICER,
        Role.ADMIN,
    ),
    "Mở lại báo cáo, đóng, mở, khóa sổ kỳ báo cáo.",
)

REMIND = Action(
    "reporting.remind",
    (
        Role.PROVINCE_OFFICER,
        Role.APPROVER,
        Role.ADMIN,
    ),
    "Nhắc ngay đơn vị chậm nộp báo cáo (gửi thư cho cán bộ báo cáo của đơn vị).",
)

ACTIONS = [SUBMIT, APPROVE, REOPEN, REMIND]
