"""Who may write figures.

Registered in `dxboard.permissions`; `dxboard/tests/permissions_snapshot.txt` lists them.
"""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

WRITE_VALUES = Action(
    "collection.write_values",
    (
        Role.REPORTER,
        Role.PROVINCE_OFFICER,
        Role.ADMIN,
    ),
    "Nhập, sửa, xóa số liệu của đơn vị (web, Excel, dataValueSets).",
)

ACTIONS = [WRITE_VALUES]
