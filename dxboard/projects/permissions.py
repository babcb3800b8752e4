"""Who may act on DX plans, tasks and projects.

Registered in `dxboard.permissions`; `dxboard/tests/permissions_snapshot.txt` lists them.
"""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

EDIT_ITEM = Action(
    "projects.edit_item",
    (
        Role.ADMIN,
        Role.PROVINCE_OFFICER,
        Role.REPORTER,
        Role.APPROVER,
    ),
    "Cập nhật tiến độ, kinh phí, tài liệu của nhiệm vụ, dự án do đơn vị chủ trì.",
)
CREATE_PLAN = Action(
    "projects.create_plan",
    (
        Role.ADMIN,
        Role.PROVINCE_OFFICER,
    ),
    "Lập kế hoạch, thêm nhiệm vụ, dự án.",
)

ACTIONS = [EDIT_ITEM, CREATE_PLAN]
