"""Who may act on community digital technology teams.

Registered in `dxboard.permissions`; `dxboard/tests/permissions_snapshot.txt` lists them.
"""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

EDIT_TEAM = Action(
    "community.edit_team",
    (
        Role.ADMIN,
        Role.PROVINCE_OFFICER,
        Role.REPORTER,
        Role.APPROVER,
    ),
    "Lập, sửa, giải thể tổ; thêm, cho thôi thành viên; ghi hoạt động.",
)

ACTIONS = [EDIT_TEAM]
