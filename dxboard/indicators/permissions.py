"""Who may act on the catalogue, programmes and targets.

Registered in `dxboard.permissions`; `dxboard/tests/permissions_snapshot.txt` lists them.
"""

from dxboard.accounts.models import Role
from dxboard.permissions import Action

IMPORT_METADATA = Action(
    "indicators.import_metadata",
    (
        Role.PROVINCE_OFFICER,
        Role.ADMIN,
    ),
    "Nhập danh mục, chương trình, chỉ tiêu từ tệp metadata.",
)
EDIT_TARGETS = Action(
    "indicators.edit_targets",
    (
        Role.PROVINCE_OFFICER,
        Role.ADMIN,
    ),
    "Giao, sửa, xóa chỉ tiêu kế hoạch của chương trình.",
)

ACTIONS = [IMPORT_METADATA, EDIT_TARGETS]
